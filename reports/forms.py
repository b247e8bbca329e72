from django import forms

from portal.forms import DateInput

from .models import AnnualReport


class ReportForm(forms.ModelForm):
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
            "status",
            "issued_on",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 4}) for name in fields if name not in ("title", "status", "issued_on")},
            "issued_on": DateInput,
        }
