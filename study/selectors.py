"""Reads of the study app, scoped to the actor or to one committee and year."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.db.models import Avg, Count, Min, QuerySet
from django.db.models.functions import ExtractMonth

from portal.access import Actor, scope
from portal.models import Committee

from .models import MaterialHandout, StudyAppStat, StudySession

MONTHS = list(range(1, 13))


def sessions_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, StudySession.objects.all(), "branch")


def sessions_in_year(qs: QuerySet, year: int) -> QuerySet:
    # __year on a DateField is a Jan 1 – Dec 31 range, inclusive at both ends.
    return qs.filter(date__year=year)


def session_counts_by_kind(qs: QuerySet, year: int) -> dict[str, int]:
    """{kind: count} for every kind, zero where there were no sessions."""
    counts = {kind: 0 for kind in StudySession.Kind.values}
    for row in sessions_in_year(qs, year).values("kind").annotate(n=Count("id")).order_by():
        counts[row["kind"]] = row["n"]
    return counts


def session_counts_by_month_and_kind(qs: QuerySet, year: int) -> dict[str, list[int]]:
    """{kind: [count for January .. December]} for every kind."""
    table = {kind: [0] * 12 for kind in StudySession.Kind.values}
    rows = sessions_in_year(qs, year).annotate(m=ExtractMonth("date")).values("kind", "m").annotate(n=Count("id"))
    for row in rows.order_by():
        table[row["kind"]][row["m"] - 1] = row["n"]
    return table


def central_group_sessions(qs: QuerySet, year: int) -> QuerySet:
    return (
        sessions_in_year(qs, year)
        .filter(kind=StudySession.Kind.CENTRAL_GROUP)
        .select_related("host")
        .prefetch_related("attendees")
        .order_by("date", "id")
    )


def appstats_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, StudyAppStat.objects.all(), "branch")


def unit_appstats_by_month(qs: QuerySet, year: int) -> list[StudyAppStat | None]:
    """The whole-unit figure of each month of the year (None where missing)."""
    by_month: list[StudyAppStat | None] = [None] * 12
    for stat in qs.filter(branch__isnull=True, month__year=year):
        by_month[stat.month.month - 1] = stat
    return by_month


def handouts_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, MaterialHandout.objects.all(), None)


def handout_counts_by_scope(qs: QuerySet, year: int) -> dict[str, int]:
    counts = {scope_value: 0 for scope_value in MaterialHandout.Scope.values}
    for row in qs.filter(date__year=year).values("scope").annotate(n=Count("id")).order_by():
        counts[row["scope"]] = row["n"]
    return counts


def appstat_year_summary(committee: Committee, year: int) -> dict:
    """Lowest and mean unit-level activity rate and mean daily score of the year.

    The report says "活跃率长期保持在X%，日人均分基本达到Y分以上": Y is the mean
    rounded down, so the sentence never claims more than the figures show.
    """
    qs = StudyAppStat.objects.filter(committee=committee, branch__isnull=True, month__year=year)
    agg = qs.aggregate(n=Count("id"), min_rate=Min("activity_rate"), avg_rate=Avg("activity_rate"), avg_score=Avg("avg_score"))
    if not agg["n"]:
        return {"months": 0, "min_rate": None, "avg_rate": None, "avg_score": None, "avg_score_floor": None}
    avg_score = Decimal(agg["avg_score"])
    return {
        "months": agg["n"],
        "min_rate": Decimal(agg["min_rate"]),
        "avg_rate": Decimal(agg["avg_rate"]).quantize(Decimal("0.01")),
        "avg_score": avg_score.quantize(Decimal("0.01")),
        "avg_score_floor": int(avg_score.to_integral_value(rounding=ROUND_FLOOR)),
    }


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume (reports/compiler.py is the caller).


def report_session_counts(committee, year: int) -> list[dict]:
    """Sessions counted per (kind, month, ideology theme), aggregated in the database."""
    rows = (
        StudySession.objects.filter(committee=committee, date__year=year)
        .annotate(m=ExtractMonth("date"))
        .values("kind", "m", "is_ideology")
        .annotate(n=Count("id"))
        .order_by("kind", "m", "is_ideology")
    )
    return [{"kind": r["kind"], "month": r["m"], "is_ideology": r["is_ideology"], "count": r["n"]} for r in rows]


def report_session_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in StudySession.Kind.choices]


def report_sessions(committee, year: int) -> list[dict]:
    rows = (
        StudySession.objects.filter(committee=committee, date__year=year)
        .order_by("date", "id")
        .values("date", "kind", "theme", "is_ideology", "headcount", "branch__name", "host__name")
    )
    labels = dict(StudySession.Kind.choices)
    return [{**r, "kind_label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def report_app_stats(committee, year: int) -> list[dict]:
    """学习强国 figures of the whole unit (rows without a branch), one per month."""
    return list(
        StudyAppStat.objects.filter(committee=committee, month__year=year, branch__isnull=True)
        .order_by("month")
        .values("month", "activity_rate", "avg_score")
    )


def report_handouts(committee, year: int) -> list[dict]:
    rows = MaterialHandout.objects.filter(committee=committee, date__year=year).order_by("date", "id").values(
        "date", "title", "scope", "quantity"
    )
    labels = dict(MaterialHandout.Scope.choices)
    return [{**r, "scope_label": str(labels.get(r["scope"], r["scope"]))} for r in rows]
