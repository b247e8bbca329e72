"""Record pages of the publicity app (list / create / detail / edit / delete),
with the channel's supervision checks and the activity's photos on their
detail pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse

from portal import figures
from portal.crud import RecordViews
from portal.models import Record
from portal.years import selected_year

from . import selectors
from .forms import (
    ActivityForm,
    ActivityPhotoForm,
    ArticleForm,
    ChannelCheckForm,
    ChannelForm,
    InternalBulletinForm,
    RoleModelForm,
)
from .models import Activity, Article, Channel, InternalBulletin, RoleModel


class ArticleViews(RecordViews):
    model = Article
    form_class = ArticleForm
    name = "article"
    title = "宣传稿件"
    columns = [("date", "日期"), ("title", "标题"), ("outlet", "媒体"), ("level", "媒体级别"), ("author", "作者")]
    search_fields = ["title", "outlet", "author"]
    filter_fields = ["level"]
    list_template = "publicity/article_list.html"

    def extra_list_context(self, request: HttpRequest, qs: QuerySet) -> dict:
        committee, year = request.actor.committee, selected_year(request)
        counts = selectors.article_counts_by_level(committee, year)
        labels = dict(Article.Level.choices)
        return {
            "level_counts": [(labels[level], level, n) for level, n in counts.items()],
            "high_level_count": selectors.articles_provincial_plus(committee, year).count(),
            "high_level_url": figures.url("articles_provincial_plus", year),
        }


class InternalBulletinViews(RecordViews):
    model = InternalBulletin
    form_class = InternalBulletinForm
    name = "bulletin"
    title = "内部刊物"
    columns = [("date", "日期"), ("series", "刊物名称"), ("issue_no", "期号"), ("title", "标题")]
    search_fields = ["series", "issue_no", "title"]
    list_template = "publicity/bulletin_list.html"

    def extra_list_context(self, request: HttpRequest, qs: QuerySet) -> dict:
        year = selected_year(request)
        return {"series_counts": selectors.bulletin_counts_by_series(request.actor.committee, year)}


class ChannelViews(RecordViews):
    model = Channel
    form_class = ChannelForm
    name = "channel"
    title = "宣传阵地"
    columns = [("kind", "类型"), ("name", "名称"), ("location", "位置或平台"), ("admin", "管理员")]
    search_fields = ["name", "location", "admin", "themes"]
    filter_fields = ["kind"]
    date_field = None
    ordering = ["kind", "id"]
    detail_template = "publicity/channel_detail.html"

    def extra_detail_context(self, request: HttpRequest, obj: Record) -> dict:
        may_add = self.may_change(request.actor, obj)
        return {
            "checks": selectors.channel_checks(obj),
            "check_form": ChannelCheckForm(actor=request.actor) if may_add else None,
            "may_change_checks": may_add,
            "check_add_url": reverse("publicity:channel_check_add", args=[obj.pk]),
        }

    def urlpatterns(self) -> list:
        from . import views

        return super().urlpatterns() + [
            path("channel/<int:pk>/checks/new/", views.channel_check_add_view, name="channel_check_add"),
            path(
                "channel/<int:pk>/checks/<int:check_pk>/delete/",
                views.channel_check_remove_view,
                name="channel_check_remove",
            ),
        ]


class RoleModelViews(RecordViews):
    model = RoleModel
    form_class = RoleModelForm
    name = "rolemodel"
    title = "先进典型"
    columns = [("year", "年度"), ("person", "姓名"), ("honour", "称号")]
    search_fields = ["honour", "story", "person__name"]
    date_field = None
    year_field = "year"
    ordering = ["-year", "-id"]
    select_related = ["person"]
    detail_template = "publicity/rolemodel_detail.html"


class ActivityViews(RecordViews):
    model = Activity
    form_class = ActivityForm
    name = "activity"
    title = "活动"
    columns = [("date", "日期"), ("kind", "类别"), ("title", "名称"), ("place", "地点"), ("participants", "参加人数")]
    search_fields = ["title", "place", "description"]
    filter_fields = ["kind"]
    detail_template = "publicity/activity_detail.html"

    def extra_detail_context(self, request: HttpRequest, obj: Record) -> dict:
        may_add = self.may_change(request.actor, obj)
        photos = [
            {"photo": p, "url": reverse("file_download", args=[p._meta.label_lower, p.pk, "image"])}
            for p in selectors.activity_photos(obj)
        ]
        return {
            "photos": photos,
            "photo_form": ActivityPhotoForm() if may_add else None,
            "may_change_photos": may_add,
            "photo_add_url": reverse("publicity:activity_photo_add", args=[obj.pk]),
        }

    def urlpatterns(self) -> list:
        from . import views

        return super().urlpatterns() + [
            path("activity/<int:pk>/photos/new/", views.activity_photo_add_view, name="activity_photo_add"),
            path(
                "activity/<int:pk>/photos/<int:photo_pk>/delete/",
                views.activity_photo_remove_view,
                name="activity_photo_remove",
            ),
        ]
