"""Reads of the publicity app, scoped to the actor or to one committee and year."""

from __future__ import annotations

from django.db.models import Count, Min, Q, QuerySet

from portal.access import Actor, scope

from .models import Activity, Article, Channel, InternalBulletin, RoleModel

HIGH_LEVELS = (Article.Level.CENTRAL, Article.Level.PROVINCIAL)


def articles_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, Article.objects.all(), None)


def article_counts_by_level(qs: QuerySet, year: int) -> dict[str, int]:
    """{level: count} of the year's articles for every level, zero included."""
    counts = {level: 0 for level in Article.Level.values}
    # __year on a DateField is a Jan 1 – Dec 31 range, inclusive at both ends.
    for row in qs.filter(date__year=year).values("level").annotate(n=Count("id")).order_by():
        counts[row["level"]] = row["n"]
    return counts


def high_level_article_count(qs: QuerySet, year: int) -> int:
    """Articles at 省部级 or 中央级: the report's "省部级及以上媒体" figure."""
    return qs.filter(date__year=year, level__in=HIGH_LEVELS).count()


def bulletin_counts_by_series(qs: QuerySet, year: int) -> dict[str, int]:
    rows = qs.filter(date__year=year).values("series").annotate(n=Count("id")).order_by("series")
    return {row["series"]: row["n"] for row in rows}


def bulletins_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, InternalBulletin.objects.all(), None)


def channels_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, Channel.objects.all(), None)


def channel_checks(channel: Channel) -> QuerySet:
    return channel.checks.select_related("created_by").order_by("-date", "-id")


def activities_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, Activity.objects.all(), None)


def activity_counts_by_kind(qs: QuerySet, year: int) -> dict[str, int]:
    counts = {kind: 0 for kind in Activity.Kind.values}
    for row in qs.filter(date__year=year).values("kind").annotate(n=Count("id")).order_by():
        counts[row["kind"]] = row["n"]
    return counts


def activity_photos(activity: Activity) -> QuerySet:
    return activity.photos.order_by("id")


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume (reports/compiler.py is the caller).


def report_article_counts(committee, year: int) -> dict:
    rows = Article.objects.filter(committee=committee, date__year=year).values("level").annotate(n=Count("id"))
    by_level = {r["level"]: r["n"] for r in rows}
    return {
        "by_level": [
            {"level": value, "label": str(label), "count": by_level.get(value, 0)} for value, label in Article.Level.choices
        ],
        "provincial_and_above": by_level.get(Article.Level.CENTRAL, 0) + by_level.get(Article.Level.PROVINCIAL, 0),
        "total": sum(by_level.values()),
    }


def report_articles(committee, year: int) -> list[dict]:
    rows = Article.objects.filter(committee=committee, date__year=year).order_by("date", "id").values(
        "date", "title", "outlet", "level", "author"
    )
    labels = dict(Article.Level.choices)
    return [{**r, "level_label": str(labels.get(r["level"], r["level"]))} for r in rows]


def report_bulletin_counts(committee, year: int) -> list[dict]:
    """Issues per series in the year, series in order of their first issue."""
    rows = (
        InternalBulletin.objects.filter(committee=committee, date__year=year)
        .values("series")
        .annotate(n=Count("id"), first=Min("date"))
        .order_by("first", "series")
    )
    return [{"series": r["series"], "count": r["n"]} for r in rows]


def report_bulletins(committee, year: int) -> list[dict]:
    return list(
        InternalBulletin.objects.filter(committee=committee, date__year=year)
        .order_by("series", "date", "id")
        .values("series", "issue_no", "date", "title")
    )


def report_channels(committee, year: int) -> list[dict]:
    """Every channel with the number of supervision checks made in the year."""
    rows = (
        Channel.objects.filter(committee=committee)
        .annotate(checks_in_year=Count("checks", filter=Q(checks__date__year=year, checks__deleted_at__isnull=True)))
        .order_by("kind", "id")
        .values("kind", "name", "location", "admin", "checks_in_year")
    )
    labels = dict(Channel.Kind.choices)
    return [{**r, "kind_label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def report_role_models(committee, year: int) -> list[dict]:
    return list(
        RoleModel.objects.filter(committee=committee, year=year)
        .order_by("id")
        .values("person__name", "honour", "video_url")
    )


def report_activities(committee, year: int) -> list[dict]:
    rows = Activity.objects.filter(committee=committee, date__year=year).order_by("date", "id").values(
        "date", "kind", "title", "place", "participants"
    )
    labels = dict(Activity.Kind.choices)
    return [{**r, "kind_label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def report_activity_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Activity.Kind.choices]
