"""List / create / detail / edit / delete pages for committee records.

Each record type declares one :class:`RecordViews` subclass (its columns,
filters, search fields and who may write); the views here do the rest through
the scoping layer in :mod:`portal.access` and the write services in
:mod:`portal.services`, so every record page scopes and checks the same way.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _

from . import figures, history, services
from .access import Actor, can_write, get_readable, scope
from .forms import RecordForm
from .models import Branch, Record, Role
from .years import selected_year

PAGE_SIZE = 20


def display_value(obj: models.Model, field_name: str) -> Any:
    """A human value for a model field or a dotted path (``branch.name``)."""
    value: Any = obj
    for part in field_name.split("."):
        if value is None:
            return ""
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if hasattr(value, "all") and callable(value.all):
        return "、".join(str(item) for item in value.all())
    if callable(value):
        value = value()
    return "" if value is None else value


class RecordViews:
    """Declarative CRUD for one record model; subclasses set the class attributes."""

    model: ClassVar[type[Record]]
    form_class: ClassVar[type[RecordForm]]
    name: ClassVar[str]  # URL name prefix, e.g. "meeting" gives "meeting_list"
    title: ClassVar[str]  # Chinese plural title of the list page
    columns: ClassVar[list[tuple[str, str]]] = []  # (field path, label)
    detail_fields: ClassVar[list[str] | None] = None  # default: the form's fields
    search_fields: ClassVar[list[str]] = []
    filter_fields: ClassVar[list[str]] = []  # choice or FK fields offered as filters
    date_field: ClassVar[str | None] = "date"
    year_field: ClassVar[str | None] = None
    ordering: ClassVar[list[str]] = ["-date", "-id"]
    select_related: ClassVar[list[str]] = []
    prefetch_related: ClassVar[list[str]] = []
    write_roles: ClassVar[tuple[str, ...]] = (Role.OFFICE,)
    branch_field: ClassVar[str | None] = None  # set when the record belongs to a branch
    branch_writable: ClassVar[bool] = False  # branch secretaries write their own branch's
    list_template = "records/list.html"
    detail_template = "records/detail.html"
    form_template = "records/form.html"
    delete_template = "records/confirm_delete.html"

    # -- querysets and permissions -------------------------------------------------

    def base_queryset(self, actor: Actor) -> QuerySet:
        qs = self.model.objects.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return scope(actor, qs, self.branch_field)

    def get_object(self, actor: Actor, pk) -> Record:
        return get_readable(actor, self.base_queryset(actor), pk, self.branch_field)

    def object_branch(self, obj: Record):
        return getattr(obj, self.branch_field) if self.branch_field else None

    def may_create(self, actor: Actor) -> bool:
        return can_write(actor, self.write_roles, actor.branch, self.branch_writable)

    def may_change(self, actor: Actor, obj: Record) -> bool:
        return can_write(actor, self.write_roles, self.object_branch(obj), self.branch_writable)

    def check_change(self, actor: Actor, obj: Record) -> None:
        if not self.may_change(actor, obj):
            raise PermissionDenied(_("您没有权限修改此记录。"))

    def check_posted_branch(self, request: HttpRequest, actor: Actor) -> None:
        """A branch secretary posting for another branch is refused outright."""
        if not (actor.is_branch_secretary and self.branch_field and self.branch_writable):
            return
        posted = request.POST.get(self.branch_field)
        if posted and posted != str(actor.branch.pk):
            raise PermissionDenied(_("只能为本支部录入记录。"))

    # -- list --------------------------------------------------------------------

    def filter_queryset(self, request: HttpRequest, qs: QuerySet, year: int | None) -> tuple[QuerySet, dict]:
        applied: dict[str, str] = {}
        if year is not None:
            if self.date_field:
                qs = qs.filter(**{f"{self.date_field}__year": year})
            elif self.year_field:
                qs = qs.filter(**{self.year_field: year})
        for field_name in self.filter_fields:
            value = request.GET.get(field_name, "")
            if value == "":
                continue
            field = self.model._meta.get_field(field_name)
            if isinstance(field, models.BooleanField):
                qs = qs.filter(**{field_name: value == "1"})
            elif field.is_relation:
                if value == "none":
                    qs = qs.filter(**{f"{field_name}__isnull": True})
                elif value.isdigit():
                    qs = qs.filter(**{field_name: int(value)})
                else:
                    continue
            else:
                qs = qs.filter(**{field_name: value})
            applied[field_name] = value
        figure = request.GET.get("figure", "")
        if figure:  # the records behind a number of the report (portal.figures), within the actor's scope
            qs = figures.restrict(qs, figure, request.actor.committee, selected_year(request))
            applied["figure"] = figure
        q = request.GET.get("q", "").strip()[:100]
        if q and self.search_fields:
            cond = Q()
            for field_name in self.search_fields:
                cond |= Q(**{f"{field_name}__icontains": q})
            qs = qs.filter(cond)
            if any("__" in f for f in self.search_fields):
                qs = qs.distinct()
        return qs, applied

    def filter_options(self, actor: Actor) -> list[dict]:
        options = []
        for field_name in self.filter_fields:
            field = self.model._meta.get_field(field_name)
            if isinstance(field, models.BooleanField):
                choices = [("1", _("是")), ("0", _("否"))]
            elif field.is_relation:
                related = scope(actor, field.related_model.objects.all())
                if field.related_model is Branch and actor.is_branch_secretary:
                    # A secretary's rows are already limited; offer only what they can see.
                    related = related.filter(pk=actor.branch.pk)
                choices = [(str(o.pk), str(o)) for o in related]
                if field.null:
                    choices.append(("none", _("（无）")))
            else:
                choices = [(str(v), str(label)) for v, label in field.choices]
            options.append({"name": field_name, "label": field.verbose_name, "choices": choices})
        return options

    def list_view(self, request: HttpRequest) -> HttpResponse:
        actor = request.actor
        year = selected_year(request) if (self.date_field or self.year_field) else None
        qs, applied = self.filter_queryset(request, self.base_queryset(actor), year)
        page = Paginator(qs.order_by(*self.ordering), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {"obj": obj, "cells": [self.cell(actor, obj, f) for f, _label in self.columns]} for obj in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "views": self,
            "title": self.title,
            "rows": rows,
            "page": page,
            "columns": [label for _f, label in self.columns],
            "filters": self.filter_options(actor),
            "applied": applied,
            "figure": figures.describe(applied["figure"], selected_year(request)) if "figure" in applied else None,
            "q": request.GET.get("q", ""),
            "querystring": query.urlencode(),
            "may_create": self.may_create(actor),
            "year": year,
            "total": page.paginator.count,
        }
        context.update(self.extra_list_context(request, qs))
        return render(request, self.list_template, context)

    def extra_list_context(self, request: HttpRequest, qs: QuerySet) -> dict:
        return {}

    def cell(self, actor: Actor, obj: Record, field_name: str) -> Any:
        return display_value(obj, field_name)

    # -- detail ------------------------------------------------------------------

    def detail_rows(self, actor: Actor, obj: Record) -> list[tuple[str, Any]]:
        names = self.detail_fields or list(self.form_class.base_fields)
        rows = []
        for name in names:
            field = self.model._meta.get_field(name.split(".")[0])
            value = display_value(obj, name)
            if isinstance(field, models.FileField):
                value = {"file_url": self.file_url(obj, name)} if getattr(obj, name) else ""
            rows.append((field.verbose_name, value))
        return rows

    def file_url(self, obj: Record, field_name: str) -> str:
        return reverse("file_download", args=[obj._meta.label_lower, obj.pk, field_name])

    def detail_view(self, request: HttpRequest, pk) -> HttpResponse:
        actor = request.actor
        obj = self.get_object(actor, pk)
        context = {
            "views": self,
            "title": self.title,
            "obj": obj,
            "rows": self.detail_rows(actor, obj),
            "may_change": self.may_change(actor, obj),
            "history_url": self.history_url(actor, obj),
        }
        context.update(self.extra_detail_context(request, obj))
        return render(request, self.detail_template, context)

    def extra_detail_context(self, request: HttpRequest, obj: Record) -> dict:
        return {}

    # -- create / update ---------------------------------------------------------

    def form_kwargs(self, request: HttpRequest) -> dict:
        return {"actor": request.actor, "branch_field": self.branch_field if self.branch_writable else None}

    def create_view(self, request: HttpRequest) -> HttpResponse:
        actor = request.actor
        if not self.may_create(actor):
            raise PermissionDenied(_("您没有权限新增此类记录。"))
        if request.method == "POST":
            self.check_posted_branch(request, actor)
            form = self.form_class(request.POST, request.FILES, **self.form_kwargs(request))
            if form.is_valid() and (obj := self.save_or_report(actor, form)):
                messages.success(request, _("已保存。"))
                return redirect(self.url("detail", obj.pk))
        else:
            form = self.form_class(initial=self.initial(request), **self.form_kwargs(request))
        return render(request, self.form_template, {"views": self, "title": self.title, "form": form, "obj": None})

    def initial(self, request: HttpRequest) -> dict:
        initial = {}
        actor = request.actor
        if self.branch_field and actor.is_branch_secretary:
            initial[self.branch_field] = actor.branch.pk
        return initial

    def update_view(self, request: HttpRequest, pk) -> HttpResponse:
        actor = request.actor
        obj = self.get_object(actor, pk)
        self.check_change(actor, obj)
        if request.method == "POST":
            self.check_posted_branch(request, actor)
            form = self.form_class(request.POST, request.FILES, instance=obj, **self.form_kwargs(request))
            if form.is_valid() and self.save_or_report(actor, form):
                messages.success(request, _("已保存。"))
                return redirect(self.url("detail", obj.pk))
        else:
            form = self.form_class(instance=obj, **self.form_kwargs(request))
        return render(request, self.form_template, {"views": self, "title": self.title, "form": form, "obj": obj})

    def save_or_report(self, actor: Actor, form: RecordForm) -> Record | None:
        """Save, or put a form error when the database refuses a duplicate.

        Forms check uniqueness first; this covers two people saving the same
        record at the same moment, which the form check cannot see.
        """
        try:
            return self.save(actor, form)
        except IntegrityError:
            form.add_error(None, _("已有相同的记录（可能刚由他人录入），未保存。请刷新后核对。"))
            return None

    def save(self, actor: Actor, form: RecordForm) -> Record:
        return services.record_save(actor=actor, form=form)

    # -- delete ------------------------------------------------------------------

    def delete_view(self, request: HttpRequest, pk) -> HttpResponse:
        actor = request.actor
        obj = self.get_object(actor, pk)
        self.check_change(actor, obj)
        if request.method == "POST":
            services.record_trash(actor=actor, record=obj)
            messages.success(request, _("已移入回收站，可由党委办公室恢复。"))
            return redirect(self.url("list"))
        return render(request, self.delete_template, {"views": self, "title": self.title, "obj": obj})

    # -- history (office only) ---------------------------------------------------

    def may_view_history(self, actor: Actor) -> bool:
        return actor.is_office

    def history_url(self, actor: Actor, obj: Record) -> str | None:
        if not self.may_view_history(actor):
            return None
        try:
            return self.url("history", obj.pk)
        except NoReverseMatch:  # a subclass that replaced urlpatterns()
            return None

    def check_history(self, actor: Actor) -> None:
        if not self.may_view_history(actor):
            raise PermissionDenied(_("只有党委办公室可以查看修改历史。"))

    def history_view(self, request: HttpRequest, pk) -> HttpResponse:
        actor = request.actor
        obj = self.get_object(actor, pk)
        self.check_history(actor)
        context = {
            "views": self,
            "title": self.title,
            "obj": obj,
            "versions": history.record_versions(obj),
            "may_change": self.may_change(actor, obj),
        }
        return render(request, "portal/history.html", context)

    def history_restore_view(self, request: HttpRequest, pk, history_id) -> HttpResponse:
        actor = request.actor
        obj = self.get_object(actor, pk)
        self.check_history(actor)
        self.check_change(actor, obj)
        version = history.historical_version(obj, history_id)
        if version is None:
            raise Http404
        if request.method == "POST":
            try:
                history.record_revert(actor=actor, record=obj, history_id=history_id)
            except history.RestoreRefused as exc:
                messages.error(request, str(exc))
                return redirect(self.url("history", obj.pk))
            messages.success(request, _("已恢复为所选版本，恢复操作也记入了修改历史。"))
            return redirect(self.url("detail", obj.pk))
        context = {"views": self, "title": self.title, "obj": obj, "version": version}
        return render(request, "portal/history_restore.html", context)

    # -- URLs --------------------------------------------------------------------

    def url(self, action: str, pk=None) -> str:
        return reverse(self.url_name(action), args=[pk] if pk is not None else [])

    def app_namespace(self) -> str:
        return self.model._meta.app_label

    def url_name(self, action: str) -> str:
        return f"{self.app_namespace()}:{self.name}_{action}"

    @property
    def url_list(self) -> str:
        return self.url("list")

    @property
    def url_create(self) -> str:
        return self.url("create")

    @property
    def detail_url_name(self) -> str:
        return self.url_name("detail")

    @property
    def update_url_name(self) -> str:
        return self.url_name("update")

    @property
    def delete_url_name(self) -> str:
        return self.url_name("delete")

    @property
    def history_url_name(self) -> str:
        return self.url_name("history")

    @property
    def history_restore_url_name(self) -> str:
        return self.url_name("history_restore")

    def urlpatterns(self) -> list:
        p = self.name
        return [
            path(f"{p}/", login_required(self.list_view), name=f"{p}_list"),
            path(f"{p}/new/", login_required(self.create_view), name=f"{p}_create"),
            path(f"{p}/<int:pk>/", login_required(self.detail_view), name=f"{p}_detail"),
            path(f"{p}/<int:pk>/edit/", login_required(self.update_view), name=f"{p}_update"),
            path(f"{p}/<int:pk>/delete/", login_required(self.delete_view), name=f"{p}_delete"),
            path(f"{p}/<int:pk>/history/", login_required(self.history_view), name=f"{p}_history"),
            path(
                f"{p}/<int:pk>/history/<int:history_id>/restore/",
                login_required(self.history_restore_view),
                name=f"{p}_history_restore",
            ),
        ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
