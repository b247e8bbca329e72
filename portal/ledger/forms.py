from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import validate_upload


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("台账工作簿（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], extensions={"xlsx"})
