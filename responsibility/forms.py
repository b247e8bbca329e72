"""Forms of the responsibility records and of the letter workflow."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from portal.forms import DateInput, DOCUMENT_EXTENSIONS, RecordForm, validate_upload
from portal.models import Person
from portal.rules import allowed

from .models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)
from .services import assignment_refusal

SCAN_EXTENSIONS = {"pdf", "png", "jpg", "jpeg"}


class AssignmentForm(RecordForm):
    class Meta:
        model = Assignment
        fields = ["year", "person", "kind", "branch", "scope", "committee_member"]

    def _post_clean(self):
        # After the model's own checks: a row naming the user as a letter signer is
        # refused here as a form error; the service refuses it again on save.
        super()._post_clean()
        refusal = assignment_refusal(actor=self.actor, assignment=self.instance)
        if refusal:
            self.add_error(None, refusal)

    def duplicate_message(self, other, constraint=None) -> str:
        return _("该人员本年度已有相同的责任分工")


class WorkDocumentForm(RecordForm):
    class Meta:
        model = WorkDocument
        fields = ["date", "kind", "title", "file"]
        widgets = {"date": DateInput}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload, extensions=DOCUMENT_EXTENSIONS)
        return upload


class CommitteeMeetingForm(RecordForm):
    class Meta:
        model = CommitteeMeeting
        fields = ["date", "title", "is_ideology", "host", "agenda"]
        widgets = {"date": DateInput}


class MonthField(forms.DateField):
    """An <input type=month> giving the first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class MonthlyTaskForm(RecordForm):
    month = MonthField(label=_l("月份"))

    class Meta:
        model = MonthlyTask
        fields = ["month", "task", "branch", "is_ideology", "done_on"]
        widgets = {"done_on": DateInput}


class InspectionForm(RecordForm):
    class Meta:
        model = Inspection
        fields = ["date", "form", "branches", "findings", "rectification", "closed_on"]
        widgets = {"date": DateInput, "closed_on": DateInput, "branches": forms.CheckboxSelectMultiple}


class TalkForm(RecordForm):
    class Meta:
        model = Talk
        fields = ["date", "talker", "talkee", "kind", "summary"]
        widgets = {"date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A leader records their own talks only; the office records anyone's.
        if not allowed(self.actor, "responsibility.record_any_talk") and self.actor.person is not None:
            self.fields["talker"].queryset = Person.objects.filter(pk=self.actor.person.pk)
            self.fields["talker"].initial = self.actor.person.pk
            self.fields["talker"].empty_label = None


class TrendAnalysisForm(RecordForm):
    class Meta:
        model = TrendAnalysis
        fields = ["branch", "year", "quarter", "date", "topic", "findings", "measures", "is_special_survey", "survey_topic"]
        widgets = {"date": DateInput}

    def duplicate_message(self, other, constraint=None) -> str:
        return _("%(branch)s %(year)s年第%(quarter)s季度的思想动态分析已经录入，不能重复录入") % {
            "branch": other.branch.name, "year": other.year, "quarter": other.quarter
        }


# -- letters ---------------------------------------------------------------------------


class LetterCreateForm(RecordForm):
    """Office picks a branch and year; the body comes from the template with these duties."""

    duties = forms.CharField(
        label=_l("支部工作职责"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_l("每行一条；留空则使用标准职责条款。"),
    )

    class Meta:
        model = ResponsibilityLetter
        fields = ["branch", "year"]

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError(_("年度应在 2000 至 2100 之间。"))
        return year


class LetterUpdateForm(RecordForm):
    class Meta:
        model = ResponsibilityLetter
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}


class LetterSignForm(forms.Form):
    """The password and signature are checked by the service (one place for the rules)."""

    body_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=600_000)
    password = forms.CharField(label=_l("登录密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class LetterRevokeForm(forms.Form):
    reason = forms.CharField(label=_l("撤销原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class LetterOfflineForm(forms.Form):
    signed_on = forms.DateField(label=_l("签订日期"), widget=DateInput)
    signer = forms.CharField(label=_l("支部签字人"), max_length=50)
    scan = forms.FileField(label=_l("扫描件"), help_text=_l("PDF 或图片"))

    def clean_scan(self):
        return validate_upload(self.cleaned_data.get("scan"), extensions=SCAN_EXTENSIONS)


HASH_FORMAT = _l("正文哈希应为 64 位十六进制数（0–9、a–f）。")
HASH_FORMAT_LENGTH = _l("正文哈希应为 64 位十六进制数（0–9、a–f），您输入的是 %(n)s 位。")


class LetterVerifyForm(forms.Form):
    """A body hash as printed on a paper copy: it checks the text, not a file
    (files are verified by their seal on the portal's verify page)."""

    sha256 = forms.CharField(
        label=_l("正文哈希（SHA-256）"),
        max_length=200,
        help_text=_l("打印件“审计信息”页所印的 64 位十六进制数（0–9、a–f），大小写均可，可含空格或换行。"),
        error_messages={"required": _l("请输入正文哈希。"), "max_length": HASH_FORMAT},
    )

    def clean_sha256(self):
        value = "".join(self.cleaned_data["sha256"].split()).lower()
        if any(ch not in "0123456789abcdef" for ch in value):
            raise forms.ValidationError(_("正文哈希只能由数字 0–9 和字母 a–f 组成，请核对输入。"))
        if len(value) != 64:
            raise forms.ValidationError(HASH_FORMAT_LENGTH % {"n": len(value)})
        return value
