"""The trash: records moved there by "delete", listed for the office of their
committee across every record type, restored by the office, purged for good
only by an administrator."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import history, services
from .access import Actor, record_model_or_404
from .models import Record
from .registry import RecordType, record_type_for
from .rules import require

TRASH_PAGE_LIMIT = 200


class RestoreRefused(Exception):
    """The record cannot come back; the message says why (in Chinese)."""


@dataclass
class TrashItem:
    record: Record
    deleted_by: str  # the person's name, else the login
    date: object  # the record's own date (or year), if it has one
    history_url: str | None


@dataclass
class TrashGroup:
    key: str
    label: str
    items: list[TrashItem]
    more: bool


def deleter_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def trash_item(record_type: RecordType | None, record: Record) -> TrashItem:
    date = None
    if record_type is not None and (record_type.date_field or record_type.year_field):
        date = getattr(record, record_type.date_field or record_type.year_field, None)
    history_url = record_type.history_url(record.pk) if record_type is not None and record_type.form else None
    return TrashItem(record, deleter_name(record.deleted_by), date, history_url)


def record_models() -> list[type[Record]]:
    """Every concrete record model, registered in the registry or not."""
    return [m for m in apps.get_models() if issubclass(m, Record) and not m._meta.abstract]


def trashed_groups(actor: Actor) -> list[TrashGroup]:
    groups = []
    for model in record_models():
        qs = (
            model.all_objects.filter(committee=actor.committee, deleted_at__isnull=False)
            .select_related("deleted_by__person")
            .order_by("-deleted_at", "-pk")
        )
        items = list(qs[: TRASH_PAGE_LIMIT + 1])
        if not items:
            continue
        record_type = record_type_for(model)
        label = record_type.label if record_type else str(model._meta.verbose_name_plural)
        shown = [trash_item(record_type, item) for item in items[:TRASH_PAGE_LIMIT]]
        groups.append(TrashGroup(model._meta.label_lower, label, shown, len(items) > TRASH_PAGE_LIMIT))
    return groups


def trashed_record(actor: Actor, label: str, pk: int) -> Record:
    """A trashed record of the actor's committee; 404 for anything else."""
    model = record_model_or_404(label)
    record = model.all_objects.filter(committee=actor.committee, deleted_at__isnull=False, pk=pk).first()
    if record is None:
        raise Http404
    return record


@transaction.atomic
def trash_restore(*, actor: Actor, record: Record) -> None:
    """Bring a record back unless a live one now has the same natural key."""
    record.deleted_at = None
    try:
        history.check_restore_hook(actor, record)
    except history.RestoreRefused as exc:
        raise RestoreRefused(str(exc)) from None
    try:
        record.validate_unique()
        record.validate_constraints()
    except ValidationError as exc:
        raise RestoreRefused(
            _("无法恢复“%(record)s”：已有相同的有效记录（%(reason)s）。请先修改或删除那条记录。")
            % {"record": record, "reason": "；".join(exc.messages)}
        ) from None
    try:
        with transaction.atomic():
            services.record_restore(actor=actor, record=record)
    except IntegrityError:
        # A concurrent save slipped in between the check and the write.
        raise RestoreRefused(_("无法恢复“%(record)s”：已有相同的有效记录。") % {"record": record}) from None


@transaction.atomic
def trash_purge(*, actor: Actor, record: Record) -> None:
    require(actor, "portal.trash_purge", message=_("只有系统管理员可以彻底删除记录。"))
    record.delete()


@login_required
def trash_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "portal.trash")
    return render(request, "portal/trash.html", {"groups": trashed_groups(actor)})


@login_required
@require_POST
def trash_restore_view(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    actor = request.actor
    require(actor, "portal.trash")
    record = trashed_record(actor, label, pk)
    try:
        trash_restore(actor=actor, record=record)
    except RestoreRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已恢复“%(record)s”。") % {"record": record})
    return redirect("trash")


@login_required
@require_POST
def trash_purge_view(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    actor = request.actor
    require(actor, "portal.trash_purge", message=_("只有系统管理员可以彻底删除记录。"))
    record = trashed_record(actor, label, pk)
    name = str(record)
    try:
        trash_purge(actor=actor, record=record)
    except (models.ProtectedError, models.RestrictedError, IntegrityError):
        messages.error(request, _("无法彻底删除“%(record)s”：仍有其他记录引用它。") % {"record": name})
    else:
        messages.success(request, _("已彻底删除“%(record)s”。") % {"record": name})
    return redirect("trash")
