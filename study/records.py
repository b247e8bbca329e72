"""The record types of the study app, each declared once: label, pages (form,
columns, filters), date field, who may write it."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from portal import rules
from portal.charts import Series, line_chart
from portal.filters import RecordFilterSet, YesNoFilter, branch_filter
from portal.models import Person
from portal.registry import Column, RecordType, register
from portal.years import selected_year

from . import selectors
from .forms import MaterialHandoutForm, StudyAppStatForm, StudySessionForm
from .models import MaterialHandout, StudyAppStat, StudySession


class StudySessionFilter(RecordFilterSet):
    search_fields = ("theme", "content")
    branch = branch_filter()
    is_ideology = YesNoFilter(label=_l("意识形态主题"))

    class Meta:
        model = StudySession
        fields = ["kind", "branch", "is_ideology"]


class StudyAppStatFilter(RecordFilterSet):
    branch = branch_filter()

    class Meta:
        model = StudyAppStat
        fields = ["branch"]


class MaterialHandoutFilter(RecordFilterSet):
    search_fields = ("title",)

    class Meta:
        model = MaterialHandout
        fields = ["scope"]


def _session_branch(obj) -> str:
    return obj.branch or _("党委层面")


def _appstat_branch(obj) -> str:
    return obj.branch or _("全单位")


def _appstat_list(request: HttpRequest, qs: QuerySet) -> dict:
    actor = request.actor
    year = selected_year(request)
    months = selectors.unit_appstats_by_month(actor.committee, year)
    chart = line_chart(
        [f"{m}月" for m in selectors.MONTHS],
        [
            Series(_("活跃率（%）"), [s.activity_rate if s else None for s in months]),
            Series(_("日人均积分"), [s.avg_score if s else None for s in months]),
        ],
        title=_("%(year)s年学习强国全单位月度数据") % {"year": year},
        max_value=100,
    )
    return {
        "chart": chart,
        "has_data": any(months),
        "may_upload": rules.allowed(actor, "study.upload_appstat"),
        "upload_url": reverse("study:appstat_upload"),
    }


SESSION = RecordType(
    "study.session", _l("学习活动"), StudySession,
    form=StudySessionForm, filterset=StudySessionFilter,
    columns=(
        Column("date", _l("日期")), Column("kind", _l("类别")),
        Column("branch", _l("支部"), sort="branch__name", display=_session_branch), Column("theme", _l("主题")),
        Column("is_ideology", _l("意识形态主题")), Column("attendance", _l("参加人数"), sort=None),
    ),
    detail_fields=("date", "kind", "branch", "theme", "is_ideology", "host", "attendees", "headcount", "content", "minutes"),
    # Attendees are shown by name and counted: their other fields would only cost time.
    select_related=("branch", "host"), branch_field="branch",
    prefetch_related=(Prefetch("attendees", queryset=Person.objects.only("id", "name")),),
    writers=rules.office_or_own_branch, list_template="study/session_list.html",
)
APPSTAT = RecordType(
    "study.appstat", _l("学习强国月度数据"), StudyAppStat, "month",
    form=StudyAppStatForm, filterset=StudyAppStatFilter,
    columns=(
        Column("month", _l("月份"), display=lambda obj: f"{obj.month:%Y-%m}"),
        Column("branch", _l("支部"), sort="branch__name", display=_appstat_branch),
        Column("activity_rate", _l("活跃率（%）")), Column("avg_score", _l("日人均积分")),
    ),
    ordering=("-month", "branch_id", "-id"), select_related=("branch",), branch_field="branch",
    list_template="study/appstat_list.html", list_context=_appstat_list,
)
HANDOUT = RecordType(
    "study.handout", _l("学习资料发放"), MaterialHandout,
    form=MaterialHandoutForm, filterset=MaterialHandoutFilter,
    columns=(Column("date", _l("日期")), Column("title", _l("书名")), Column("scope", _l("发放范围")),
             Column("quantity", _l("数量"))),
)

RECORD_TYPES = (SESSION, APPSTAT, HANDOUT)
for record_type in RECORD_TYPES:
    register(record_type)
