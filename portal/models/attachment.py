"""Evidence (佐证材料) on any record: scans of sign-in sheets, minutes, photos."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Record


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name, so nobody can guess one file's path from another's; the
    name people see is ``original_name`` (the suffix is already checked)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"attachments/{timezone.now():%Y}/{secrets.token_hex(16)}{suffix}"


class Attachment(Record):
    """A file attached to one record of the same committee.

    It is served only by ``portal.attachments.views`` after the scope check of
    the record it belongs to; removing it moves it to the trash like any record,
    and its history keeps who uploaded and removed it.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录类型")
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mime_type = models.CharField(_("文件格式"), max_length=100)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("附件（佐证材料）")
        verbose_name_plural = _("附件（佐证材料）")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self) -> str:
        return self.original_name

    def restore_refusal(self, actor) -> str | None:
        """Coming back from the trash is adding the file again: the record must
        still take attachments (it exists, is not frozen, has room)."""
        record = self.record
        if record is None:
            return str(_("附件所属的记录已不存在，不能恢复。"))
        if getattr(record, "is_frozen", False):
            return str(_("“%(record)s”已冻结（如已下发或签署的责任书），附件不能恢复。") % {"record": record})
        live = Attachment.objects.filter(content_type_id=self.content_type_id, object_id=self.object_id).count()
        if live >= settings.PORTAL_ATTACHMENTS_PER_RECORD:
            return str(
                _("“%(record)s”已有 %(count)s 个附件，达到上限，不能恢复。") % {"record": record, "count": live}
            )
        return None
