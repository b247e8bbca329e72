"""Reads of the publicity app, scoped to the actor or to one committee and year."""

from __future__ import annotations

from django.db.models import Count, Min, QuerySet

from portal.access import Actor, scope
from portal.figures import Figure

from .models import Activity, Article, Channel, ChannelCheck, InternalBulletin, RoleModel

HIGH_LEVELS = (Article.Level.CENTRAL, Article.Level.PROVINCIAL)


def articles_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, Article.objects.all(), None)


def bulletins_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, InternalBulletin.objects.all(), None)


def channels_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, Channel.objects.all(), None)


def channel_checks(channel: Channel) -> QuerySet:
    return channel.checks.select_related("created_by").order_by("-date", "-id")


def activities_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, Activity.objects.all(), None)


def activity_photos(activity: Activity) -> QuerySet:
    return activity.photos.order_by("id")


# -- report figures --------------------------------------------------------------------
# Each figure of the annual report is one function (committee, year) -> the QuerySet of
# the records behind it; see portal.figures and FIGURES below.


def articles(committee, year: int) -> QuerySet[Article]:
    # __year on a DateField is a Jan 1 – Dec 31 range, inclusive at both ends.
    return Article.objects.filter(committee=committee, date__year=year)


def articles_by_level(committee, year: int, level: str) -> QuerySet[Article]:
    """"其中中央级2篇、省部级7篇、…": the year's articles at one outlet level."""
    return articles(committee, year).filter(level=level)


def articles_provincial_plus(committee, year: int) -> QuerySet[Article]:
    """"在省部级及以上媒体上发布N篇文章": articles at 省部级 or 中央级 outlets."""
    return articles(committee, year).filter(level__in=HIGH_LEVELS)


def article_counts_by_level(committee, year: int) -> dict[str, int]:
    """{level: count} for every level in the order of Article.Level, zero included (``articles_by_level``)."""
    counts = {level: 0 for level in Article.Level.values}
    for row in articles(committee, year).order_by().values("level").annotate(n=Count("id")):
        counts[row["level"]] = row["n"]
    return counts


def bulletin_issues(committee, year: int) -> QuerySet[InternalBulletin]:
    return InternalBulletin.objects.filter(committee=committee, date__year=year)


def bulletin_issues_of_series(committee, year: int, series: str) -> QuerySet[InternalBulletin]:
    """"发布了N期《X》": the year's issues of one series (named as recorded)."""
    return bulletin_issues(committee, year).filter(series=series)


def bulletin_counts_by_series(committee, year: int) -> dict[str, int]:
    """{series: issues} in the order of each series' first issue (``bulletin_issues_of_series``)."""
    rows = (
        bulletin_issues(committee, year)
        .values("series")
        .annotate(n=Count("id"), first=Min("date"))
        .order_by("first", "series")
    )
    return {row["series"]: row["n"] for row in rows}


def channels(committee, year: int) -> QuerySet[Channel]:
    """"…等宣传阵地由专人管理": every live channel (channels are not dated)."""
    return Channel.objects.filter(committee=committee)


def channels_supervised(committee, year: int) -> QuerySet[Channel]:
    """"全年对…开展了监管检查": channels with at least one supervision check in the year."""
    checked = ChannelCheck.objects.filter(committee=committee, date__year=year).values("channel")
    return channels(committee, year).filter(pk__in=checked)


def role_models(committee, year: int) -> QuerySet[RoleModel]:
    return RoleModel.objects.filter(committee=committee, year=year)


def activities(committee, year: int) -> QuerySet[Activity]:
    return Activity.objects.filter(committee=committee, date__year=year)


def activities_by_kind(committee, year: int, kind: str) -> QuerySet[Activity]:
    """Section 4: "一是开展了“宪法宣传周”活动。…", one paragraph per kind."""
    return activities(committee, year).filter(kind=kind)


FIGURES = (
    Figure("articles", "宣传稿件", "publicity:article_list", articles),
    Figure("articles_by_level", "宣传稿件", "publicity:article_list", articles_by_level,
           arg_labels=lambda: dict(Article.Level.choices)),
    Figure("articles_provincial_plus", "省部级及以上媒体发稿", "publicity:article_list", articles_provincial_plus),
    Figure("bulletin_issues", "内部刊物", "publicity:bulletin_list", bulletin_issues),
    Figure("bulletin_issues_of_series", "内部刊物", "publicity:bulletin_list", bulletin_issues_of_series,
           arg_labels=lambda: {}),  # the series names itself
    Figure("channels", "宣传阵地", "publicity:channel_list", channels),
    Figure("channels_supervised", "开展了监管检查的宣传阵地", "publicity:channel_list", channels_supervised),
    Figure("role_models", "先进典型", "publicity:rolemodel_list", role_models),
    Figure("activities", "活动", "publicity:activity_list", activities),
    Figure("activities_by_kind", "活动", "publicity:activity_list", activities_by_kind,
           arg_labels=lambda: dict(Activity.Kind.choices)),
)


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume (reports/compiler.py is the caller).


def report_article_counts(committee, year: int) -> dict:
    """Articles per outlet level (every level, in the order of Article.Level), all and at 省部级 or above."""
    counts = article_counts_by_level(committee, year)
    labels = dict(Article.Level.choices)
    return {
        "by_level": [{"level": level, "label": str(labels[level]), "count": n} for level, n in counts.items()],
        "total": sum(counts.values()),
        "provincial_and_above": articles_provincial_plus(committee, year).count(),
    }


def report_bulletin_counts(committee, year: int) -> list[dict]:
    """Issues per series in the year, series in order of their first issue."""
    return [{"series": series, "count": n} for series, n in bulletin_counts_by_series(committee, year).items()]


def report_channels(committee, year: int) -> list[dict]:
    """Every channel, and whether it was supervised in the year (``channels_supervised``)."""
    supervised = set(channels_supervised(committee, year).values_list("pk", flat=True))
    rows = channels(committee, year).order_by("kind", "id").values("id", "kind", "name", "location", "admin")
    labels = dict(Channel.Kind.choices)
    return [
        {**r, "kind_label": str(labels.get(r["kind"], r["kind"])), "supervised": r["id"] in supervised} for r in rows
    ]


def report_role_models(committee, year: int) -> list[dict]:
    return list(role_models(committee, year).order_by("id").values("person__name", "honour", "video_url"))


def report_activities(committee, year: int) -> list[dict]:
    rows = activities(committee, year).order_by("date", "id").values("date", "kind", "title", "place", "participants")
    labels = dict(Activity.Kind.choices)
    return [{**r, "kind_label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def report_activity_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Activity.Kind.choices]
