"""The upload form: one or more files and a note; the files' content is checked
by the service (portal.attachments.uploads), so pages and other callers
refuse the same files with the same reasons."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .uploads import EXTENSIONS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            return super().clean(None, initial)  # "required"
        cleaned = []
        for item in files:
            cleaned.append(super().clean(item, initial))
        return cleaned


class AttachmentForm(forms.Form):
    files = MultipleFileField(
        label=_("文件"),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的。"), "invalid": _("请选择文件。")},
        widget=MultipleFileInput(attrs={"accept": ",".join(f".{ext}" for ext in EXTENSIONS)}),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("说明最多200个字。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "可一次选择多个文件。允许 %(formats)s；每个文件不超过 %(size)s；每条记录最多 %(count)s 个附件。"
        ) % {
            "formats": "、".join(ext.upper() for ext in EXTENSIONS),
            "size": filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES),
            "count": settings.PORTAL_ATTACHMENTS_PER_RECORD,
        }
