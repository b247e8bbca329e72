"""CRUD pages of the responsibility records, declared on portal.crud.RecordViews."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.crud import RecordViews
from portal.models import Role
from portal.selectors import committee_members

from .. import forms, selectors, services
from ..models import Assignment, CommitteeMeeting, Inspection, MonthlyTask, Talk, TrendAnalysis, WorkDocument


class AssignmentViews(RecordViews):
    model = Assignment
    form_class = forms.AssignmentForm
    name = "assignment"
    title = "责任分工"
    columns = [("year", "年度"), ("person", "姓名"), ("person.title", "职务"), ("kind", "责任角色"), ("scope", "分管范围")]
    search_fields = ["person__name", "scope"]
    filter_fields = ["kind"]
    date_field = None
    year_field = "year"
    ordering = ["-year", "kind", "id"]
    select_related = ["person"]

    def save(self, actor, form):
        # Who signs a year's letters is set here: logged, and never by the signer themselves.
        return services.assignment_save(actor=actor, form=form)


class WorkDocumentViews(RecordViews):
    model = WorkDocument
    form_class = forms.WorkDocumentForm
    name = "document"
    title = "工作文件"
    columns = [("date", "日期"), ("kind", "类型"), ("title", "标题")]
    search_fields = ["title"]
    filter_fields = ["kind"]


class CommitteeMeetingViews(RecordViews):
    model = CommitteeMeeting
    form_class = forms.CommitteeMeetingForm
    name = "meeting"
    title = "党委会议"
    columns = [("date", "日期"), ("title", "会议名称"), ("is_ideology", "意识形态专题"), ("host", "主持人")]
    search_fields = ["title", "agenda"]
    filter_fields = ["is_ideology"]
    select_related = ["host"]


class MonthlyTaskViews(RecordViews):
    model = MonthlyTask
    form_class = forms.MonthlyTaskForm
    name = "task"
    title = "党建任务月销单"
    columns = [
        ("month", "月份"),
        ("task", "任务"),
        ("branch", "责任支部"),
        ("is_ideology", "意识形态任务"),
        ("done_on", "销号日期"),
        ("done_by", "销号人"),
    ]
    search_fields = ["task"]
    filter_fields = ["branch", "is_ideology"]
    date_field = "month"
    ordering = ["-month", "branch_id", "id"]
    select_related = ["branch", "done_by"]
    branch_field = "branch"
    list_template = "responsibility/task_list.html"

    def cell(self, actor: Actor, obj, field_name: str):
        if field_name == "month":
            return _("%(y)s年%(m)s月") % {"y": obj.month.year, "m": obj.month.month}
        return super().cell(actor, obj, field_name)


class InspectionViews(RecordViews):
    model = Inspection
    form_class = forms.InspectionForm
    name = "inspection"
    title = "督导检查"
    columns = [("date", "日期"), ("form", "方式"), ("branches", "对象"), ("findings", "发现问题"), ("closed_on", "整改完成日期")]
    search_fields = ["findings", "rectification"]
    filter_fields = ["form"]
    prefetch_related = ["branches"]
    # A branch secretary sees inspections of their branch and committee-wide ones.
    branch_field = "branches"

    def cell(self, actor: Actor, obj, field_name: str):
        value = super().cell(actor, obj, field_name)
        if field_name == "findings" and len(value) > 40:
            return value[:40] + "…"
        return value


class TalkViews(RecordViews):
    """Talk summaries are confidential: only the talker, the committee secretary and the office read them."""

    model = Talk
    form_class = forms.TalkForm
    name = "talk"
    title = "谈心谈话"
    columns = [("date", "日期"), ("talker", "谈话人"), ("talkee", "谈话对象"), ("kind", "谈话类型")]
    filter_fields = ["talker"]
    write_roles = (Role.OFFICE, Role.LEADER)
    # The report counts only talks held by committee members (班子成员).
    presets = {"members": ("班子成员开展的谈话", Q(talker__is_committee_member=True))}

    def base_queryset(self, actor: Actor) -> QuerySet:
        return selectors.talks_visible_to(actor)

    def filter_queryset(self, request: HttpRequest, qs: QuerySet, year):
        qs, applied = super().filter_queryset(request, qs, year)
        q = request.GET.get("q", "").strip()[:100]
        if q:
            qs = qs.filter(selectors.talk_search_q(request.actor, q))
        return qs, applied

    def filter_options(self, actor: Actor) -> list[dict]:
        choices = [(str(p.pk), p.name) for p in committee_members(actor.committee)]
        presets = [(key, label) for key, (label, _cond) in self.presets.items()]
        return [
            {"name": "talker", "label": _("谈话人"), "choices": choices},
            {"name": "preset", "label": _("范围"), "choices": presets},
        ]

    def may_change(self, actor: Actor, obj) -> bool:
        if actor.is_office:
            return True
        return actor.is_leader and actor.person is not None and obj.talker_id == actor.person.pk

    def detail_rows(self, actor: Actor, obj) -> list:
        rows = [row for row in super().detail_rows(actor, obj) if row[0] != Talk._meta.get_field("summary").verbose_name]
        if selectors.may_see_talk_summary(actor, obj):
            rows.append((_("谈话要点"), obj.summary))
        else:
            rows.append((_("谈话要点"), _("（保密，仅谈话人、党委书记和党委办公室可见）")))
        return rows


class TrendAnalysisViews(RecordViews):
    model = TrendAnalysis
    form_class = forms.TrendAnalysisForm
    name = "analysis"
    title = "思想动态分析"
    columns = [
        ("branch", "支部"),
        ("year", "年度"),
        ("quarter", "季度"),
        ("date", "日期"),
        ("topic", "主题"),
        ("is_special_survey", "专题调研"),
        ("survey_topic", "调研专题"),
    ]
    search_fields = ["topic", "findings", "survey_topic"]
    filter_fields = ["branch", "quarter", "is_special_survey"]
    date_field = None
    year_field = "year"
    ordering = ["-year", "branch_id", "quarter"]
    select_related = ["branch"]
    branch_field = "branch"
    branch_writable = True
    list_template = "responsibility/analysis_list.html"

    def initial(self, request: HttpRequest) -> dict:
        """The matrix page links a missing cell here with branch, year and quarter filled in."""
        initial = super().initial(request)
        for key in ("branch", "year", "quarter"):
            value = request.GET.get(key, "")
            if value.isdigit() and key not in initial:
                initial[key] = int(value)
        return initial

    def extra_list_context(self, request: HttpRequest, qs: QuerySet) -> dict:
        return {"matrix_url": reverse("responsibility:analysis_matrix")}


RECORD_VIEWS = [
    AssignmentViews(),
    WorkDocumentViews(),
    CommitteeMeetingViews(),
    MonthlyTaskViews(),
    InspectionViews(),
    TalkViews(),
    TrendAnalysisViews(),
]
