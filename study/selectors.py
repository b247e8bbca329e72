"""Reads of the study app, scoped to the actor or to one committee and year."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth

from portal.access import Actor, scope
from portal.figures import Figure
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


def appstats_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, StudyAppStat.objects.all(), "branch")


def unit_appstats_by_month(committee, year: int) -> list[StudyAppStat | None]:
    """The whole-unit figure of each month of the year (None where missing)."""
    by_month: list[StudyAppStat | None] = [None] * 12
    for stat in unit_app_stats(committee, year):
        by_month[stat.month.month - 1] = stat
    return by_month


def handouts_visible_to(actor: Actor) -> QuerySet:
    return scope(actor, MaterialHandout.objects.all(), None)


def appstat_year_summary(committee: Committee, year: int) -> dict:
    """The dashboard's 学习强国 line: months recorded, lowest rate and mean daily score
    of the whole unit (the report's ``app_active_rate_min`` and ``app_daily_score_mean``)."""
    mean = app_daily_score_mean(committee, year)
    return {
        "months": unit_app_stats(committee, year).count(),
        "min_rate": app_active_rate_min(committee, year),
        "avg_score": None if mean is None else mean.quantize(Decimal("0.01")),
        "avg_score_floor": None if mean is None else int(mean.to_integral_value(rounding=ROUND_FLOOR)),
    }


# -- report figures --------------------------------------------------------------------
# Each figure of the annual report is one function (committee, year) -> the QuerySet of
# the records behind it, with its value next to it where that is not their count; see
# portal.figures and FIGURES below.


def sessions(committee, year: int) -> QuerySet[StudySession]:
    return sessions_in_year(StudySession.objects.filter(committee=committee), year)


def central_group_sessions(committee, year: int) -> QuerySet[StudySession]:
    """"全年共开展了N次党委理论学习中心组学习"."""
    return sessions(committee, year).filter(kind=StudySession.Kind.CENTRAL_GROUP)


def central_group_ideology_sessions(committee, year: int) -> QuerySet[StudySession]:
    """"其中M月份召开了以“意识形态”为主题的党委理论学习中心组学习": M are their months."""
    return central_group_sessions(committee, year).filter(is_ideology=True)


def central_group_ideology_months(committee, year: int) -> list[int]:
    days = central_group_ideology_sessions(committee, year).values_list("date", flat=True)
    return sorted({day.month for day in days})


def central_group_quarters(committee, year: int) -> int:
    """Quarters (0–4) with at least one central-group session."""
    days = central_group_sessions(committee, year).values_list("date", flat=True)
    return len({(day.month - 1) // 3 for day in days})


def sessions_by_kind(committee, year: int, kind: str) -> QuerySet[StudySession]:
    """"各党支部开展主题党日N次、…": the year's sessions of one kind (counted by ``session_counts_by_kind``)."""
    return sessions(committee, year).filter(kind=kind)


def unit_app_stats(committee, year: int) -> QuerySet[StudyAppStat]:
    """学习强国 figures of the whole unit (rows without a branch), one per month."""
    return StudyAppStat.objects.filter(committee=committee, month__year=year, branch__isnull=True)


def app_active_rate_min(committee, year: int) -> Decimal | None:
    """"学员活跃率保持在{min}%以上": the lowest monthly activity rate of the whole unit."""
    rates = list(unit_app_stats(committee, year).values_list("activity_rate", flat=True))
    return min(rates) if rates else None


def app_daily_score_mean(committee, year: int) -> Decimal | None:
    """"日人均分基本达到{S}分以上": the mean daily score (the report states it rounded down,
    so the sentence never claims more than the figures show)."""
    scores = list(unit_app_stats(committee, year).values_list("avg_score", flat=True))
    return sum(scores) / len(scores) if scores else None


def handouts(committee, year: int) -> QuerySet[MaterialHandout]:
    return MaterialHandout.objects.filter(committee=committee, date__year=year)


def handouts_by_scope(committee, year: int, handed_to: str) -> QuerySet[MaterialHandout]:
    """"每位党员发放了…" / "每个支部发放了…": ``handed_to`` is the handout's scope."""
    return handouts(committee, year).filter(scope=handed_to)


FIGURES = (
    Figure("central_group_sessions", "党委理论学习中心组学习", "study:session_list", central_group_sessions),
    Figure("central_group_ideology_sessions", "以“意识形态”为主题的党委理论学习中心组学习", "study:session_list",
           central_group_ideology_sessions),
    Figure("central_group_quarters", "开展党委理论学习中心组学习的季度数", "study:session_list", central_group_sessions,
           value=central_group_quarters),
    Figure("sessions_by_kind", "学习活动", "study:session_list", sessions_by_kind,
           arg_labels=lambda: dict(StudySession.Kind.choices)),
    Figure("app_active_rate_min", "全单位“学习强国”最低月活跃率（%）", "study:appstat_list", unit_app_stats,
           value=app_active_rate_min),
    Figure("app_daily_score_mean", "全单位“学习强国”日人均积分（平均）", "study:appstat_list", unit_app_stats,
           value=app_daily_score_mean),
    Figure("handouts_by_scope", "学习资料发放", "study:handout_list", handouts_by_scope,
           arg_labels=lambda: dict(MaterialHandout.Scope.choices)),
)


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume (reports/compiler.py is the caller).


def report_session_counts(committee, year: int) -> list[dict]:
    """Sessions counted per (kind, month), for the chart."""
    rows = (
        sessions(committee, year)
        .annotate(m=ExtractMonth("date"))
        .values("kind", "m")
        .annotate(n=Count("id"))
        .order_by("kind", "m")
    )
    return [{"kind": r["kind"], "month": r["m"], "count": r["n"]} for r in rows]


def report_session_kind_counts(committee, year: int) -> dict[str, int]:
    return session_counts_by_kind(StudySession.objects.filter(committee=committee), year)


def report_central_group(committee, year: int) -> dict:
    return {
        "count": central_group_sessions(committee, year).count(),
        "ideology_months": central_group_ideology_months(committee, year),
    }


def report_session_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in StudySession.Kind.choices]


def report_app_stats(committee, year: int) -> list[dict]:
    """学习强国 figures of the whole unit, one per month."""
    return list(unit_app_stats(committee, year).order_by("month").values("month", "activity_rate", "avg_score"))


def report_handouts(committee, year: int) -> list[dict]:
    rows = handouts(committee, year).order_by("date", "id").values("date", "title", "scope", "quantity")
    labels = dict(MaterialHandout.Scope.choices)
    return [{**r, "scope_label": str(labels.get(r["scope"], r["scope"]))} for r in rows]
