"""Writes of attachments: add files to a record, move one to the trash.

Any app (the assessment too) attaches evidence through these functions, which
ask the same rules as the pages: adding or removing a record's attachment is
changing the record (``portal.attachments.change``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..access import Actor
from ..models import Attachment, Record
from ..rules import allowed
from ..services import record_trash
from .uploads import CheckedFile, check_file

NOTE_LIMIT = Attachment._meta.get_field("note").max_length


def change_refusal(actor: Actor, record: Record) -> str | None:
    """Why the actor may not add or remove this record's attachments, or None."""
    if allowed(actor, "portal.attachments.change", record):
        return None
    if getattr(record, "is_frozen", False):
        return _("“%(record)s”已冻结（如已下发或签署的责任书），附件不能增删。") % {"record": record}
    return _("您没有权限修改此记录的附件。")


def _require_change(actor: Actor, record: Record) -> None:
    refusal = change_refusal(actor, record)
    if refusal:
        raise PermissionDenied(refusal)


def _lock(record: Record) -> None:
    """Serialise the writes on one record's attachments (the count limit holds
    when two people upload at the same moment)."""
    type(record)._base_manager.select_for_update().filter(pk=record.pk).values_list("pk").first()


def _checked(uploads: Sequence) -> list[CheckedFile]:
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as exc:
            name = getattr(upload, "name", "") or _("（无名文件）")
            errors += [_("“%(name)s”：%(reason)s") % {"name": name, "reason": m} for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def attachments_add(*, actor: Actor, record: Record, uploads: Sequence, note: str = "") -> list[Attachment]:
    """Store the files on the record: all of them, or none with every reason
    (ValidationError); PermissionDenied when the actor may not change the record."""
    _require_change(actor, record)
    if not uploads:
        raise ValidationError(_("请选择要上传的文件。"))
    if len(note) > NOTE_LIMIT:
        raise ValidationError(_("说明最多%(limit)s个字。") % {"limit": NOTE_LIMIT})
    checked = _checked(uploads)  # before the lock: unpacking an Office file takes a moment
    _lock(record)
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    _check_room(content_type, record, len(uploads))
    added: list[Attachment] = []
    try:
        for upload, facts in zip(uploads, checked):
            added.append(_store(actor, record, content_type, upload, facts, note.strip()))
    except Exception:
        for attachment in added:  # the rows go with the transaction; the files must go too
            attachment.file.delete(save=False)
        raise
    return added


def _check_room(content_type: ContentType, record: Record, adding: int) -> None:
    present = Attachment.objects.filter(content_type=content_type, object_id=record.pk).count()
    limit = settings.PORTAL_ATTACHMENTS_PER_RECORD
    if present + adding > limit:
        raise ValidationError(
            _("每条记录最多 %(limit)s 个附件，已有 %(count)s 个，本次最多还能上传 %(left)s 个。")
            % {"limit": limit, "count": present, "left": max(limit - present, 0)}
        )


def _store(actor: Actor, record: Record, content_type: ContentType, upload, facts: CheckedFile, note: str) -> Attachment:
    attachment = Attachment(
        committee_id=record.committee_id, created_by=actor.user, content_type=content_type, object_id=record.pk,
        original_name=facts.name, size=facts.size, sha256=facts.sha256, mime_type=facts.mime_type, note=note,
    )
    attachment.file.save(facts.name, upload, save=False)
    attachment._change_reason = _("上传附件")
    attachment._history_user = actor.user  # also when called outside a request (a task)
    attachment.save()
    return attachment


def attachment_add(*, actor: Actor, record: Record, upload, note: str = "") -> Attachment:
    """One file on the record (see :func:`attachments_add`)."""
    return attachments_add(actor=actor, record=record, uploads=[upload], note=note)[0]


@transaction.atomic
def attachment_remove(*, actor: Actor, attachment: Attachment) -> None:
    """Move the attachment to the trash (the office can restore it there)."""
    record = attachment.record
    if record is None or attachment.is_deleted:
        raise PermissionDenied(_("附件已删除。"))
    _require_change(actor, record)
    record_trash(actor=actor, record=attachment)
