from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import validate_upload
from portal.years import MAX_YEAR, MIN_YEAR

from .models import RubricItem
from .scoring import INDICATORS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)


class RubricUploadForm(YearForm):
    file = forms.FileField(label=_("考核细则工作簿（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}))

    def clean_file(self):
        return validate_upload(self.cleaned_data["file"], extensions={"xlsx"})


class RubricItemForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=_("指标"), required=False,
                                  choices=[("", "—")] + [(key, key) for key in INDICATORS])

    class Meta:
        model = RubricItem
        fields = ("code", "category", "content", "points", "method", "indicator", "target", "scoring", "deduct_per")
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}


class SelfScoreForm(forms.Form):
    self_score = forms.CharField(label=_("自评分"), required=False, max_length=10)
    explanation = forms.CharField(label=_("自评说明"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核"), choices=[("accept", _("认可")), ("adjust", _("调整得分"))])
    score = forms.CharField(label=_("审核得分"), required=False, max_length=10)
    reason = forms.CharField(label=_("调整理由"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("退回意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FinaliseForm(forms.Form):
    due_date = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("整改说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新打开理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("新的整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class BandsForm(forms.Form):
    excellent = forms.DecimalField(label=_("优秀线"), max_digits=5, decimal_places=1)
    good = forms.DecimalField(label=_("良好线"), max_digits=5, decimal_places=1)
    passing = forms.DecimalField(label=_("合格线"), max_digits=5, decimal_places=1)
