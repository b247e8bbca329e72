from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput

from .models import AnnualReport
from .services import REASON_MAX


class ReportForm(forms.ModelForm):
    """The office's text of a draft. Its status changes only by making it final (定稿)
    or reopening it with a reason (reports.services), never from this form."""

    class Meta:
        model = AnnualReport
        fields = [
            "title",
            "intro",
            "narrative_leadership",
            "narrative_study",
            "narrative_publicity",
            "narrative_activities",
            "shortcomings",
            "next_steps",
            "issued_on",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 4}) for name in fields if name not in ("title", "issued_on")},
            "issued_on": DateInput,
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销定稿的原因"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("原因将记入报告的修改历史和定稿记录。撤销后报告按最新记录重新汇总，需再次定稿。"),
    )
