"""Record pages of the study app (list / create / detail / edit / delete)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.charts import Series, line_chart
from portal.crud import RecordViews
from portal.models import Role
from portal.years import selected_year

from . import selectors
from .forms import MaterialHandoutForm, StudyAppStatForm, StudySessionForm
from .models import MaterialHandout, StudyAppStat, StudySession


class StudySessionViews(RecordViews):
    model = StudySession
    form_class = StudySessionForm
    name = "session"
    title = "学习活动"
    columns = [
        ("date", "日期"),
        ("kind", "类别"),
        ("branch", "支部"),
        ("theme", "主题"),
        ("is_ideology", "意识形态主题"),
        ("attendance", "参加人数"),
    ]
    detail_fields = ["date", "kind", "branch", "theme", "is_ideology", "host", "attendees", "headcount", "content", "minutes"]
    search_fields = ["theme", "content"]
    filter_fields = ["kind", "branch", "is_ideology"]
    select_related = ["branch", "host"]
    prefetch_related = ["attendees"]
    branch_field = "branch"
    branch_writable = True
    list_template = "study/session_list.html"

    def cell(self, actor: Actor, obj, field_name: str):
        if field_name == "branch" and obj.branch is None:
            return _("党委层面")
        return super().cell(actor, obj, field_name)


class StudyAppStatViews(RecordViews):
    model = StudyAppStat
    form_class = StudyAppStatForm
    name = "appstat"
    title = "学习强国月度数据"
    columns = [("month", "月份"), ("branch", "支部"), ("activity_rate", "活跃率（%）"), ("avg_score", "日人均积分")]
    filter_fields = ["branch"]
    date_field = "month"
    ordering = ["-month", "branch_id", "-id"]
    select_related = ["branch"]
    branch_field = "branch"
    list_template = "study/appstat_list.html"

    def cell(self, actor: Actor, obj, field_name: str):
        if field_name == "month":
            return f"{obj.month:%Y-%m}"
        if field_name == "branch" and obj.branch is None:
            return _("全单位")
        return super().cell(actor, obj, field_name)

    def extra_list_context(self, request: HttpRequest, qs: QuerySet) -> dict:
        actor = request.actor
        year = selected_year(request)
        months = selectors.unit_appstats_by_month(actor.committee, year)
        labels = [f"{m}月" for m in selectors.MONTHS]
        chart = line_chart(
            labels,
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
            "may_upload": actor.has_role((Role.OFFICE,)),
            "upload_url": reverse("study:appstat_upload"),
        }


class MaterialHandoutViews(RecordViews):
    model = MaterialHandout
    form_class = MaterialHandoutForm
    name = "handout"
    title = "学习资料发放"
    columns = [("date", "日期"), ("title", "书名"), ("scope", "发放范围"), ("quantity", "数量")]
    search_fields = ["title"]
    filter_fields = ["scope"]
