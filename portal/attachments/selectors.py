"""Reads of attachments: those of many records at once, one record's attachment
history, and the attachment a user asked for (after the record's scope)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import Actor, scope
from ..models import Attachment, Record
from ..registry import RecordType, record_type_for
from ..rules import allowed


def attachments_of(records: Iterable[Record]) -> dict[Record, list[Attachment]]:
    """The live attachments of each record, oldest first: one query for any
    number of records of any types. The records are the caller's, already read
    through the actor's scope; see :func:`attachments_visible_to` for the rule
    some types add (talks)."""
    records = list(records)
    found: dict[Record, list[Attachment]] = {record: [] for record in records}
    keys: dict[tuple[int, int], Record] = {}
    ids_by_type: dict[int, list[int]] = {}
    for record in records:
        type_id = ContentType.objects.get_for_model(record, for_concrete_model=True).pk
        keys[(type_id, record.pk)] = record
        ids_by_type.setdefault(type_id, []).append(record.pk)
    if not records:
        return found
    condition = Q()
    for type_id, ids in ids_by_type.items():
        condition |= Q(content_type_id=type_id, object_id__in=ids)
    rows = Attachment.objects.filter(condition).select_related("created_by__person").order_by("created_at", "pk")
    for attachment in rows:
        found[keys[(attachment.content_type_id, attachment.object_id)]].append(attachment)
    return found


def attachments_visible_to(actor: Actor, records: Iterable[Record]) -> dict[Record, list[Attachment]]:
    """:func:`attachments_of`, leaving out the records whose attachments the
    actor may not read (``portal.attachments.read``)."""
    return attachments_of(r for r in records if allowed(actor, "portal.attachments.read", r))


def uploader_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


# -- the record an attachment page is about ---------------------------------------------------


def record_type_or_404(model: type) -> RecordType:
    record_type = record_type_for(model) if model is not None else None
    if record_type is None:
        raise Http404
    return record_type


def trashed_record(actor: Actor, record_type: RecordType, pk: int) -> Record | None:
    """The record in the trash, for who may see its history (the office); else None."""
    qs = record_type.model._base_manager.filter(deleted_at__isnull=False)
    record = scope(actor, qs, record_type.branch_field).filter(pk=pk).first()
    if record is None or not allowed(actor, record_type.rule("history"), record):
        return None
    return record


def readable_attachment(actor: Actor, pk: int) -> tuple[Attachment, Record]:
    """The attachment and its record if the actor may read them; 404 otherwise.

    The record is looked up through its type's own scope, so whoever may not
    read the record never learns the attachment exists. A removed attachment,
    or one of a record in the trash, is shown only to who may see the record's
    history (the office); a type's ``attachment_reader`` rule refuses with 403.
    """
    attachment = Attachment.all_objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    record_type = record_type_or_404(attachment.content_type.model_class())
    try:
        record = record_type.get_object(actor, attachment.object_id)
    except Http404:
        record = trashed_record(actor, record_type, attachment.object_id)
        if record is None:
            raise
    else:
        if attachment.is_deleted and not allowed(actor, record_type.rule("history"), record):
            raise Http404
    if not allowed(actor, "portal.attachments.read", record):
        raise PermissionDenied(_("您没有权限查看此记录的附件。"))
    return attachment, record


# -- history ------------------------------------------------------------------------------------


@dataclass
class AttachmentEvent:
    date: Any
    user: str
    action: str  # the change reason the service wrote (上传附件, 移入回收站...), else the kind
    name: str
    attachment_id: int


ACTIONS = {"+": gettext_lazy("上传附件"), "~": gettext_lazy("修改"), "-": gettext_lazy("彻底删除")}


def attachment_history(record: Record, limit: int = 200) -> list[AttachmentEvent]:
    """Every upload, removal and restore of the record's attachments, newest first (one query)."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    rows = (
        Attachment.history.filter(content_type_id=content_type.pk, object_id=record.pk)
        .select_related("history_user__person")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return [
        AttachmentEvent(
            date=row.history_date,
            user=uploader_name(row.history_user),
            action=row.history_change_reason or str(ACTIONS.get(row.history_type, row.history_type)),
            name=row.original_name,
            attachment_id=row.id,
        )
        for row in rows
    ]
