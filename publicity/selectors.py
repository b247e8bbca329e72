"""Reads of the publicity app, scoped to the actor or to one committee and year."""


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume (reports/compiler.py is the caller).
from django.db.models import Count, Min, Q  # noqa: E402

from .models import Activity, Article, Channel, InternalBulletin, RoleModel  # noqa: E402


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
