"""Forms of the study app; every related choice is limited to the committee."""

from __future__ import annotations

from django import forms
from django.db.models import Case, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import DateInput, PeopleSelect, RecordForm

from .models import MaterialHandout, StudyAppStat, StudySession


class StudySessionForm(RecordForm):
    class Meta:
        model = StudySession
        fields = ["date", "kind", "branch", "theme", "is_ideology", "host", "attendees", "headcount", "content", "minutes"]
        widgets = {
            "date": DateInput,
            "attendees": PeopleSelect,
            "content": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attendees = self.fields["attendees"]
        attendees.help_text = _("输入姓名或支部搜索并选择参加人员，或只填写参加人数。")
        # Own branch first for a branch secretary; the branch names the person.
        attendees.queryset = attendees.queryset.select_related("branch").order_by("branch__name", "id")
        if self.actor.is_branch_secretary:
            own = Q(branch=self.actor.branch)
            attendees.queryset = attendees.queryset.annotate(own=Case(When(own, then=0), default=1)).order_by(
                "own", "branch__name", "id"
            )
        attendees.label_from_instance = _person_label
        if self.fields["branch"].required:
            self.fields["branch"].help_text = ""


def _person_label(person) -> str:
    return f"{person.name}（{person.branch.name}）" if person.branch else person.name


class StudyAppStatForm(RecordForm):
    month = forms.DateField(
        label=gettext_lazy("月份"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("请按“年-月”填写月份，例如 2020-06。")},
    )

    class Meta:
        model = StudyAppStat
        fields = ["month", "branch", "activity_rate", "avg_score"]

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)

    def duplicate_message(self, other, constraint=None) -> str:
        return _("该月份（%(who)s）的数据已存在，请编辑原记录") % {"who": other.branch or _("全单位")}


class MaterialHandoutForm(RecordForm):
    class Meta:
        model = MaterialHandout
        fields = ["date", "title", "scope", "quantity"]
        widgets = {"date": DateInput}


class AppStatUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("学习强国数据表（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
