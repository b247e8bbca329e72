"""Form base classes: every choice of a related record is limited to the
user's committee, and a branch secretary can only pick their own branch."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .access import Actor, scope


class RecordForm(forms.ModelForm):
    def __init__(self, *args, actor: Actor, branch_field: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "committee"):
                field.queryset = scope(actor, queryset, branch_field=None)
        if branch_field and actor.is_branch_secretary and branch_field in self.fields:
            field = self.fields[branch_field]
            field.queryset = field.queryset.filter(pk=actor.branch.pk)
            field.required = True
            field.empty_label = None


def validate_upload(upload, *, extensions: set[str], max_bytes: int | None = None, image: bool = False):
    """Bound an untrusted upload by size, extension and (for images) content."""
    if upload is None or upload is False:
        return upload
    limit = max_bytes or settings.PORTAL_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    suffix = Path(upload.name).suffix.lower().lstrip(".")
    if suffix not in extensions:
        raise forms.ValidationError(
            _("不支持的文件类型“%(ext)s”，允许：%(allowed)s。")
            % {"ext": suffix or "?", "allowed": "、".join(sorted(extensions))}
        )
    head = upload.read(8)
    upload.seek(0)
    if suffix == "pdf" and not head.startswith(b"%PDF"):
        raise forms.ValidationError(_("文件内容不是有效的 PDF。"))
    if suffix in {"docx", "xlsx", "pptx"} and not head.startswith(b"PK\x03\x04"):
        raise forms.ValidationError(_("文件内容与扩展名不符。"))
    if image or suffix in {"png", "jpg", "jpeg", "gif", "webp"}:
        from PIL import Image

        try:
            with Image.open(upload) as img:
                img.verify()
        except Exception:
            raise forms.ValidationError(_("文件不是有效的图片。")) from None
        finally:
            upload.seek(0)
    return upload


DOCUMENT_EXTENSIONS = {"pdf", "docx", "doc", "xlsx", "xls", "png", "jpg", "jpeg", "txt"}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}
