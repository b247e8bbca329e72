"""The record types of the publicity app, each declared once: label, pages
(form, columns, filters), year and date fields, who may write it. The
channel's supervision checks and the activity's photos show on their
detail pages (written by publicity.views)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l

from portal import figures, rules
from portal.filters import RecordFilterSet
from portal.models import Record
from portal.registry import Column, RecordType, register
from portal.years import selected_year

from . import selectors
from .forms import ActivityForm, ActivityPhotoForm, ArticleForm, ChannelCheckForm, ChannelForm, InternalBulletinForm, RoleModelForm
from .models import Activity, ActivityPhoto, Article, Channel, ChannelCheck, InternalBulletin, RoleModel


class ArticleFilter(RecordFilterSet):
    search_fields = ("title", "outlet", "author")

    class Meta:
        model = Article
        fields = ["level"]


class InternalBulletinFilter(RecordFilterSet):
    search_fields = ("series", "issue_no", "title")

    class Meta:
        model = InternalBulletin
        fields = []


class ChannelFilter(RecordFilterSet):
    search_fields = ("name", "location", "admin", "themes")

    class Meta:
        model = Channel
        fields = ["kind"]


class RoleModelFilter(RecordFilterSet):
    search_fields = ("honour", "story", "person__name")

    class Meta:
        model = RoleModel
        fields = []


class ActivityFilter(RecordFilterSet):
    search_fields = ("title", "place", "description")

    class Meta:
        model = Activity
        fields = ["kind"]


def _article_list(request: HttpRequest, qs: QuerySet) -> dict:
    committee, year = request.actor.committee, selected_year(request)
    counts = selectors.article_counts_by_level(committee, year)
    labels = dict(Article.Level.choices)
    return {
        "level_counts": [(labels[level], level, n) for level, n in counts.items()],
        "high_level_count": selectors.articles_provincial_plus(committee, year).count(),
        "high_level_url": figures.url("articles_provincial_plus", year),
    }


def _bulletin_list(request: HttpRequest, qs: QuerySet) -> dict:
    return {"series_counts": selectors.bulletin_counts_by_series(request.actor.committee, selected_year(request))}


def _channel_detail(request: HttpRequest, obj: Record) -> dict:
    may_add = rules.allowed(request.actor, "publicity.channel.change", obj)
    return {
        "checks": selectors.channel_checks(obj),
        "check_form": ChannelCheckForm(actor=request.actor) if may_add else None,
        "may_change_checks": may_add,
        "check_add_url": reverse("publicity:channel_check_add", args=[obj.pk]),
    }


def _activity_detail(request: HttpRequest, obj: Record) -> dict:
    may_add = rules.allowed(request.actor, "publicity.activity.change", obj)
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


ARTICLE = RecordType(
    "publicity.article", _l("宣传稿件"), Article,
    form=ArticleForm, filterset=ArticleFilter,
    columns=(Column("date", _l("日期")), Column("title", _l("标题")), Column("outlet", _l("媒体")),
             Column("level", _l("媒体级别")), Column("author", _l("作者"))),
    list_template="publicity/article_list.html", list_context=_article_list,
)
BULLETIN = RecordType(
    "publicity.bulletin", _l("内部刊物"), InternalBulletin,
    form=InternalBulletinForm, filterset=InternalBulletinFilter,
    columns=(Column("date", _l("日期")), Column("series", _l("刊物名称")), Column("issue_no", _l("期号")),
             Column("title", _l("标题"))),
    list_template="publicity/bulletin_list.html", list_context=_bulletin_list,
)
CHANNEL = RecordType(
    "publicity.channel", _l("宣传阵地"), Channel, None,
    form=ChannelForm, filterset=ChannelFilter,
    columns=(Column("kind", _l("类型")), Column("name", _l("名称")), Column("location", _l("位置或平台")),
             Column("admin", _l("管理员"))),
    ordering=("kind", "id"), dashboard=False,
    detail_template="publicity/channel_detail.html", detail_context=_channel_detail,
)
# Checks and photos have no pages of their own: they show on their parent's page.
CHANNEL_CHECK = RecordType(
    "publicity.channelcheck", _l("阵地检查"), ChannelCheck, list_url="publicity:channel_list", dashboard=False
)
ROLE_MODEL = RecordType(
    "publicity.rolemodel", _l("先进典型"), RoleModel, None, year_field="year",
    form=RoleModelForm, filterset=RoleModelFilter,
    columns=(Column("year", _l("年度")), Column("person", _l("姓名"), sort="person__name"), Column("honour", _l("称号"))),
    ordering=("-year", "-id"), select_related=("person",), detail_template="publicity/rolemodel_detail.html",
)
ACTIVITY = RecordType(
    "publicity.activity", _l("活动"), Activity,
    form=ActivityForm, filterset=ActivityFilter,
    columns=(Column("date", _l("日期")), Column("kind", _l("类别")), Column("title", _l("名称")),
             Column("place", _l("地点")), Column("participants", _l("参加人数"))),
    detail_template="publicity/activity_detail.html", detail_context=_activity_detail,
)
ACTIVITY_PHOTO = RecordType("publicity.activityphoto", _l("活动照片"), ActivityPhoto, None, dashboard=False)

RECORD_TYPES = (ARTICLE, BULLETIN, CHANNEL, CHANNEL_CHECK, ROLE_MODEL, ACTIVITY, ACTIVITY_PHOTO)
for record_type in RECORD_TYPES:
    register(record_type)
