"""The record types of the responsibility app, each declared once: label,
pages (form, columns, filters), year and date fields, who may write it."""

from __future__ import annotations

import django_filters as df
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from portal import rules
from portal.filters import RecordFilterSet, YesNoFilter, branch_filter
from portal.registry import Column, RecordType, register
from portal.selectors import committee_members

from . import forms, selectors, services
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

# -- filters ------------------------------------------------------------------------------


class AssignmentFilter(RecordFilterSet):
    search_fields = ("person__name", "scope")

    class Meta:
        model = Assignment
        fields = ["kind"]


class WorkDocumentFilter(RecordFilterSet):
    search_fields = ("title",)

    class Meta:
        model = WorkDocument
        fields = ["kind"]


class CommitteeMeetingFilter(RecordFilterSet):
    search_fields = ("title", "agenda")
    is_ideology = YesNoFilter(label=_l("意识形态专题"))

    class Meta:
        model = CommitteeMeeting
        fields = ["is_ideology"]


class MonthlyTaskFilter(RecordFilterSet):
    search_fields = ("task",)
    branch = branch_filter(_l("责任支部"))
    is_ideology = YesNoFilter(label=_l("意识形态任务"))

    class Meta:
        model = MonthlyTask
        fields = ["branch", "is_ideology"]


class InspectionFilter(RecordFilterSet):
    search_fields = ("findings", "rectification")

    class Meta:
        model = Inspection
        fields = ["form"]


class TalkFilter(RecordFilterSet):
    talker = df.ModelChoiceFilter(label=_l("谈话人"), queryset=lambda request: committee_members(request.actor.committee))

    class Meta:
        model = Talk
        fields = ["talker"]

    def search(self, qs, name, value):
        """Names and kind; the summary text only where the user may read it."""
        value = value.strip()[:100]
        return qs.filter(selectors.talk_search_q(self.request.actor, value)) if value else qs


class TrendAnalysisFilter(RecordFilterSet):
    search_fields = ("topic", "findings", "survey_topic")
    branch = branch_filter(null=False)
    is_special_survey = YesNoFilter(label=_l("专题调研"))

    class Meta:
        model = TrendAnalysis
        fields = ["branch", "quarter", "is_special_survey"]


class LetterFilter(RecordFilterSet):
    search_fields = ("title",)
    branch = branch_filter(null=False)

    class Meta:
        model = ResponsibilityLetter
        fields = ["branch", "status"]


# -- how some cells read --------------------------------------------------------------------


def _month(obj) -> str:
    return _("%(y)s年%(m)s月") % {"y": obj.month.year, "m": obj.month.month}


def _findings(obj) -> str:
    return obj.findings[:40] + "…" if len(obj.findings) > 40 else obj.findings


def _talk_detail(actor, obj, rows: list) -> list:
    """谈话要点 are confidential: only the talker, the committee secretary and the office read them."""
    summary = str(Talk._meta.get_field("summary").verbose_name)
    rows = [row for row in rows if str(row[0]) != summary]
    if rules.allowed(actor, "responsibility.read_talk_summary", obj):
        return rows + [(_("谈话要点"), obj.summary)]
    return rows + [(_("谈话要点"), _("（保密，仅谈话人、党委书记和党委办公室可见）"))]


def _analysis_list(request, qs) -> dict:
    return {"matrix_url": reverse("responsibility:analysis_matrix")}


# -- the record types ---------------------------------------------------------------------------

ASSIGNMENT = RecordType(
    "responsibility.assignment", _l("责任分工"), Assignment, None, year_field="year",
    form=forms.AssignmentForm, filterset=AssignmentFilter,
    columns=(
        Column("year", _l("年度")), Column("person", _l("姓名"), sort="person__name"),
        Column("person.title", _l("职务")), Column("kind", _l("责任角色")), Column("scope", _l("分管范围")),
        Column("committee_member", _l("当年班子成员"), display=lambda a: a.counts_as_member),
    ),
    ordering=("-year", "kind", "id"), select_related=("person", "branch"),
    # Who signs a year's letters is set here: logged, and never by the signer themselves.
    save=services.assignment_save,
)
DOCUMENT = RecordType(
    "responsibility.document", _l("工作文件"), WorkDocument,
    form=forms.WorkDocumentForm, filterset=WorkDocumentFilter,
    columns=(Column("date", _l("日期")), Column("kind", _l("类型")), Column("title", _l("标题"))),
)
MEETING = RecordType(
    "responsibility.meeting", _l("党委会议"), CommitteeMeeting,
    form=forms.CommitteeMeetingForm, filterset=CommitteeMeetingFilter,
    columns=(
        Column("date", _l("日期")), Column("title", _l("会议名称")),
        Column("is_ideology", _l("意识形态专题")), Column("host", _l("主持人"), sort="host__name"),
    ),
    select_related=("host",),
)
TASK = RecordType(
    "responsibility.task", _l("党建任务月销单"), MonthlyTask, "month",
    form=forms.MonthlyTaskForm, filterset=MonthlyTaskFilter,
    columns=(
        Column("month", _l("月份"), display=_month), Column("task", _l("任务")),
        Column("branch", _l("责任支部"), sort="branch__name"), Column("is_ideology", _l("意识形态任务")),
        Column("done_on", _l("销号日期")), Column("done_by", _l("销号人"), sort=None),
    ),
    ordering=("-month", "branch_id", "id"), select_related=("branch", "done_by"), branch_field="branch",
    list_template="responsibility/task_list.html",
)
INSPECTION = RecordType(
    "responsibility.inspection", _l("督导检查"), Inspection,
    form=forms.InspectionForm, filterset=InspectionFilter,
    columns=(
        Column("date", _l("日期")), Column("form", _l("方式")), Column("branches", _l("对象"), sort=None),
        Column("findings", _l("发现问题"), display=_findings), Column("closed_on", _l("整改完成日期")),
    ),
    # A branch secretary sees inspections of their branch and committee-wide ones.
    prefetch_related=("branches",), branch_field="branches",
)
TALK = RecordType(
    "responsibility.talk", _l("谈心谈话"), Talk,
    form=forms.TalkForm, filterset=TalkFilter,
    columns=(
        Column("date", _l("日期")), Column("talker", _l("谈话人"), sort="talker__name"),
        Column("talkee", _l("谈话对象"), sort="talkee__name"), Column("kind", _l("谈话类型")),
    ),
    # Anything that lists or exports talks shows ``visible_summary``, never ``summary``.
    export_columns=(
        Column("date", _l("日期")), Column("talker", _l("谈话人")), Column("talkee", _l("谈话对象")),
        Column("kind", _l("谈话类型")), Column("visible_summary", _l("谈话要点")),
    ),
    writers=rules.office_or_talker, queryset=selectors.talks_visible_to, detail_rows=_talk_detail,
    # A talk's attachments (minutes, notes) say what the confidential summary says.
    attachment_reader="responsibility.read_talk_summary",
)
ANALYSIS = RecordType(
    "responsibility.analysis", _l("思想动态分析"), TrendAnalysis, year_field="year",
    form=forms.TrendAnalysisForm, filterset=TrendAnalysisFilter,
    columns=(
        Column("branch", _l("支部"), sort="branch__name"), Column("year", _l("年度")), Column("quarter", _l("季度")),
        Column("date", _l("日期")), Column("topic", _l("主题")), Column("is_special_survey", _l("专题调研")),
        Column("survey_topic", _l("调研专题")),
    ),
    ordering=("-year", "branch_id", "quarter", "id"), select_related=("branch",), branch_field="branch",
    writers=rules.office_or_own_branch, list_template="responsibility/analysis_list.html",
    list_context=_analysis_list,
)
def _letter_status(letter) -> str:
    status = letter.get_status_display()
    if letter.body_intact is False:
        return _("%(status)s（正文与哈希不一致）") % {"status": status}
    return status


LETTER = RecordType(
    "responsibility.letter", _l("意识形态工作责任书"), ResponsibilityLetter, None, year_field="year",
    form=forms.LetterUpdateForm, filterset=LetterFilter,
    columns=(
        Column("title", _l("标题")), Column("branch", _l("支部"), sort="branch__name"), Column("year", _l("年度")),
        Column("version", _l("版本")), Column("status", _l("状态"), display=_letter_status),
    ),
    ordering=("-year", "branch_id", "-version", "id"), select_related=("branch",), branch_field="branch",
    writers=rules.letter_writers, list_template="responsibility/letter_list.html",
    # Besides what the actor's scope shows: the letters they sign as that year's signer.
    queryset=lambda actor: selectors.letters_visible_to(actor),
    detail_template="responsibility/letter_detail.html",
)

RECORD_TYPES = (MEETING, TALK, ANALYSIS, TASK, INSPECTION, DOCUMENT, ASSIGNMENT, LETTER)  # dashboard order
for record_type in RECORD_TYPES:
    register(record_type)
