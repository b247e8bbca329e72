"""Forms of the publicity app; every related choice is limited to the committee."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import DateInput, DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, RecordForm, validate_upload

from .models import Activity, Article, Channel, ChannelCheck, InternalBulletin, RoleModel

MAX_PHOTO_BYTES = 5 * 1024 * 1024


class ArticleForm(RecordForm):
    link = forms.URLField(label=gettext_lazy("链接"), required=False, assume_scheme="https")

    class Meta:
        model = Article
        fields = ["date", "title", "outlet", "level", "author", "link"]
        widgets = {"date": DateInput}


class InternalBulletinForm(RecordForm):
    class Meta:
        model = InternalBulletin
        fields = ["series", "issue_no", "date", "title", "file"]
        widgets = {"date": DateInput}

    def clean_series(self):
        return self.cleaned_data["series"].strip()

    def clean_issue_no(self):
        return self.cleaned_data["issue_no"].strip()

    def clean_file(self):
        return validate_upload(self.cleaned_data.get("file"), extensions=DOCUMENT_EXTENSIONS)

    def duplicate_message(self, other, constraint=None) -> str:
        return _("%(year)s年的%(series)s %(issue)s 已存在") % {
            "year": other.date.year, "series": other.series, "issue": other.issue_no
        }


class ChannelForm(RecordForm):
    class Meta:
        model = Channel
        fields = ["kind", "name", "location", "admin", "themes"]


class ChannelCheckForm(RecordForm):
    class Meta:
        model = ChannelCheck
        fields = ["date", "findings"]
        widgets = {"date": DateInput, "findings": forms.Textarea(attrs={"rows": 2})}


class RoleModelForm(RecordForm):
    video_url = forms.URLField(label=gettext_lazy("视频链接"), required=False, assume_scheme="https")

    class Meta:
        model = RoleModel
        fields = ["year", "person", "honour", "story", "video_url"]


class ActivityForm(RecordForm):
    class Meta:
        model = Activity
        fields = ["date", "kind", "title", "place", "participants", "description"]
        widgets = {"date": DateInput}


class ActivityPhotoForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("照片"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    caption = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def clean_image(self):
        return validate_upload(self.cleaned_data["image"], extensions=IMAGE_EXTENSIONS, max_bytes=MAX_PHOTO_BYTES, image=True)
