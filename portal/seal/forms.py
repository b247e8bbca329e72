from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(label=gettext_lazy("PDF 文件"), help_text=gettext_lazy("本平台签发的责任书、年度报告等 PDF 原件"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        limit = settings.VERIFY_MAX_BYTES
        # Refused by its declared size, before a byte of it is read.
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size)s），上限为 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("校验码"), max_length=40, help_text=gettext_lazy("打印件上的 12 位校验码，如 K7QX-M2PD-9TRA")
    )
