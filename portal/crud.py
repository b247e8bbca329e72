"""The record pages every record type shares: list (filter, sort, export),
create / edit, detail, delete, history.

Plain view functions: each takes the record type's declaration
(:class:`portal.registry.RecordType`) as an argument from its URL pattern and
asks :mod:`portal.rules` who may do what. A type that needs a page of its own
(the letters) passes its own function for that action to :func:`record_urls`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from . import figures, history, services
from .access import Actor, scope
from .exports import list_xlsx
from .filters import RecordFilterSet
from .forms import RecordForm
from .models import Record
from .registry import Column, RecordType
from .rules import allowed, require
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


def cell(obj: models.Model, column: Column) -> Any:
    return column.display(obj) if column.display else display_value(obj, column.field)


# -- list ------------------------------------------------------------------------------


def filtered_rows(request: HttpRequest, rt: RecordType) -> tuple[Any, RecordFilterSet, int | None]:
    """The rows the list shows: the actor's scope, the year being viewed, the filters."""
    year = selected_year(request) if rt.has_year else None
    qs = rt.rows(request.actor)
    if year is not None:
        qs = rt.in_year(qs, year)
    filterset = (rt.filterset or RecordFilterSet)(
        request.GET, qs.order_by(*rt.ordering), request=request, record_type=rt
    )
    return filterset.qs, filterset, year


def _query(request: HttpRequest, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


def _headers(request: HttpRequest, rt: RecordType, sorted_by: str) -> list[dict]:
    headers = []
    for column in rt.columns:
        header = {"label": column.label, "url": None, "direction": None}
        if column.sort_key:
            if sorted_by == column.field:
                header["direction"], next_sort = "asc", f"-{column.field}"
            elif sorted_by == f"-{column.field}":
                header["direction"], next_sort = "desc", column.field
            else:
                next_sort = column.field
            header["url"] = "?" + _query(request, sort=next_sort, page=None)
        headers.append(header)
    return headers


@login_required
def record_list(request: HttpRequest, rt: RecordType) -> HttpResponse:
    actor = request.actor
    qs, filterset, year = filtered_rows(request, rt)
    if request.GET.get("export") == "xlsx":
        columns = rt.export_columns or rt.columns
        rows = ([cell(obj, c) for c in columns] for obj in qs.iterator(chunk_size=500))
        filename, content_type, content = list_xlsx(rt.label, [c.label for c in columns], rows, year)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"obj": obj, "cells": [cell(obj, c) for c in rt.columns]} for obj in page.object_list]
    context = {
        "record_type": rt,
        "title": rt.label,
        "rows": rows,
        "page": page,
        "headers": _headers(request, rt, filterset.sorted_by),
        "filterset": filterset,
        "querystring": _query(request, page=None, export=None),
        "export_query": _query(request, page=None, export="xlsx"),
        "hidden_query": [(k, v) for k, values in request.GET.lists() if k not in ("page", "export") for v in values],
        "may_create": allowed(actor, rt.rule("add")),
        "year": year,
        "total": page.paginator.count,
        "figure": figures.describe(request.GET["figure"], year) if request.GET.get("figure") else None,
    }
    if rt.list_context:
        context.update(rt.list_context(request, qs))
    return render(request, rt.list_template, context)


# -- detail -------------------------------------------------------------------------------


def detail_rows(rt: RecordType, actor: Actor, obj: Record) -> list[tuple[str, Any]]:
    names = rt.detail_fields or list(rt.form.base_fields)
    rows = []
    for name in names:
        field = rt.model._meta.get_field(name.split(".")[0])
        value = display_value(obj, name)
        if isinstance(field, models.FileField):
            url = reverse("file_download", args=[obj._meta.label_lower, obj.pk, name])
            value = {"file_url": url} if getattr(obj, name) else ""
        rows.append((field.verbose_name, value))
    return rt.detail_rows(actor, obj, rows) if rt.detail_rows else rows


@login_required
def record_detail(request: HttpRequest, rt: RecordType, pk) -> HttpResponse:
    actor = request.actor
    obj = rt.get_object(actor, pk)
    context = {"record_type": rt, "title": rt.label, "obj": obj, "rows": detail_rows(rt, actor, obj)}
    if rt.detail_context:
        context.update(rt.detail_context(request, obj))
    return render(request, rt.detail_template, context)


# -- create / update ----------------------------------------------------------------------


def default_date(year: int, today: datetime.date | None = None) -> datetime.date:
    """A date inside the year being viewed: today's date in that year (1 January of a later year)."""
    today = today or timezone.localdate()
    if year > today.year:
        return datetime.date(year, 1, 1)
    try:
        return today.replace(year=year)
    except ValueError:  # 29 February in a common year
        return today.replace(year=year, day=28)


def initial_values(request: HttpRequest, rt: RecordType) -> dict:
    """Pre-fill a new record from the year being viewed and the query string
    (the analysis matrix links a missing cell with its branch and quarter)."""
    fields = rt.form.base_fields
    initial = {name: request.GET[name] for name in fields if request.GET.get(name)}
    if rt.has_year:
        year = selected_year(request)
        if rt.year_field in fields:
            initial.setdefault(rt.year_field, year)
        if rt.date_field in fields:
            day = default_date(year)
            monthly = fields[rt.date_field].widget.attrs.get("type") == "month"
            initial.setdefault(rt.date_field, day.replace(day=1) if monthly else day)
    actor = request.actor
    if rt.branch_field in fields and actor.is_branch_secretary:
        initial[rt.branch_field] = actor.branch.pk
    return initial


def _check_posted_branch(request: HttpRequest, rt: RecordType, obj: Record | None) -> None:
    """Posting a record for a branch the actor may not write is refused outright."""
    posted = request.POST.get(rt.branch_field) if rt.branch_field else None
    if not posted or not posted.isdigit() or not request.actor.is_branch_secretary:
        return
    probe = rt.model(committee=request.actor.committee, **{f"{rt.branch_field}_id": int(posted)})
    require(request.actor, rt.rule("change"), probe, _("只能为本支部录入记录。"))


def save_or_report(actor: Actor, form: RecordForm, rt: RecordType) -> Record | None:
    """Save, or put a form error when the database refuses a duplicate.

    Forms check uniqueness first; this covers two people saving the same
    record at the same moment, which the form check cannot see.
    """
    try:
        return (rt.save or services.record_save)(actor=actor, form=form)
    except IntegrityError:
        form.add_error(None, _("已有相同的记录（可能刚由他人录入），未保存。请刷新后核对。"))
        return None


def _after_save(request: HttpRequest, rt: RecordType, obj: Record) -> HttpResponse:
    if "_addanother" not in request.POST:
        messages.success(request, _("已保存。"))
        return redirect(rt.url("detail", obj.pk))
    messages.success(request, _("已保存“%(record)s”，请继续新增。") % {"record": obj})
    carried = {}
    if rt.date_field and getattr(obj, rt.date_field, None):
        carried = {"year": getattr(obj, rt.date_field).year, rt.date_field: getattr(obj, rt.date_field).isoformat()}
    elif rt.year_field and getattr(obj, rt.year_field, None):
        carried = {"year": getattr(obj, rt.year_field)}
    return redirect(rt.url("create") + ("?" + urlencode(carried) if carried else ""))


@login_required
def record_form(request: HttpRequest, rt: RecordType, pk=None) -> HttpResponse:
    actor = request.actor
    obj = rt.get_object(actor, pk) if pk is not None else None
    require(actor, rt.rule("change" if obj else "add"), obj)
    writes_branch = rt.branch_field if actor.is_branch_secretary else None
    kwargs = {"actor": actor, "branch_field": writes_branch, "instance": obj}
    if request.method == "POST":
        _check_posted_branch(request, rt, obj)
        form = rt.form(request.POST, request.FILES, **kwargs)
        if form.is_valid() and (saved := save_or_report(actor, form, rt)):
            return _after_save(request, rt, saved)
    else:
        form = rt.form(initial=initial_values(request, rt) if obj is None else None, **kwargs)
    return render(request, "records/form.html", {"record_type": rt, "title": rt.label, "form": form, "obj": obj})


# -- delete --------------------------------------------------------------------------------


@login_required
def record_delete(request: HttpRequest, rt: RecordType, pk) -> HttpResponse:
    actor = request.actor
    obj = rt.get_object(actor, pk)
    require(actor, rt.rule("delete"), obj)
    if request.method == "POST":
        services.record_trash(actor=actor, record=obj)
        messages.success(request, _("已移入回收站，可由党委办公室恢复。"))
        return redirect(rt.url_list)
    return render(request, "records/confirm_delete.html", {"record_type": rt, "title": rt.label, "obj": obj})


# -- history (office only) -----------------------------------------------------------------


def _history_object(request: HttpRequest, rt: RecordType, pk) -> Record:
    """The record, trashed or not (the trash links here), once the actor may see history."""
    actor = request.actor
    try:
        obj = scope(actor, rt.model.all_objects.all(), rt.branch_field).get(pk=int(pk))
    except (ValueError, TypeError, rt.model.DoesNotExist):
        raise Http404 from None
    if obj.deleted_at is None:
        obj = rt.get_object(actor, pk)  # a live record: the type's own scope (e.g. talks)
    require(actor, rt.rule("history"), obj, _("只有党委办公室可以查看修改历史。"))
    return obj


@login_required
def record_history(request: HttpRequest, rt: RecordType, pk) -> HttpResponse:
    obj = _history_object(request, rt, pk)
    context = {"record_type": rt, "title": rt.label, "obj": obj, "versions": history.record_versions(obj)}
    return render(request, "portal/history.html", context)


@login_required
def record_history_restore(request: HttpRequest, rt: RecordType, pk, history_id) -> HttpResponse:
    actor = request.actor
    obj = _history_object(request, rt, pk)
    require(actor, rt.rule("change"), obj, _("您没有权限修改此记录。"))
    version = history.historical_version(obj, history_id)
    if version is None:
        raise Http404
    if request.method == "POST":
        try:
            history.record_revert(actor=actor, record=obj, history_id=history_id)
        except history.RestoreRefused as exc:
            messages.error(request, str(exc))
            return redirect(rt.url("history", obj.pk))
        messages.success(request, _("已恢复为所选版本，恢复操作也记入了修改历史。"))
        return redirect(rt.url("detail", obj.pk))
    context = {"record_type": rt, "title": rt.label, "obj": obj, "version": version}
    return render(request, "portal/history_restore.html", context)


# -- URLs ------------------------------------------------------------------------------------


def record_urls(rt: RecordType, **views) -> list:
    """The URL patterns of a record type's pages; ``views`` replaces some (action -> view)."""
    p = rt.name
    routes = [
        ("list", f"{p}/", record_list),
        ("create", f"{p}/new/", record_form),
        ("detail", f"{p}/<int:pk>/", record_detail),
        ("update", f"{p}/<int:pk>/edit/", record_form),
        ("delete", f"{p}/<int:pk>/delete/", record_delete),
        ("history", f"{p}/<int:pk>/history/", record_history),
        ("history_restore", f"{p}/<int:pk>/history/<int:history_id>/restore/", record_history_restore),
    ]
    patterns = []
    for action, route, view in routes:
        if action in views:
            patterns.append(path(route, views.pop(action), name=f"{p}_{action}"))
        else:
            patterns.append(path(route, view, {"rt": rt}, name=f"{p}_{action}"))
    assert not views, f"unknown record actions: {sorted(views)}"
    return patterns
