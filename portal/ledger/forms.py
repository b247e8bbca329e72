from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import validate_upload

from .exporter import CONTENT_TYPE


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("台账工作簿（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{CONTENT_TYPE}"}),
    )

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], extensions={"xlsx"})
