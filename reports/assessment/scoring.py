"""Scoring rules of the 考核细则 (ASSESSMENT.md), pure functions on Decimals.

Every score is a multiple of 0.5 (the sheets score in halves), rounded down so
a unit never gets more than its records show, and never below 0.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from portal import figures

HALF = Decimal("0.5")
HUNDRED = Decimal(100)

# The indicator keys of ASSESSMENT.md; each is a figure of the annual report (portal.figures).
INDICATORS = (
    "ideology_meetings", "letters_signed_ratio", "committee_talks", "analyses_done_ratio",
    "central_group_sessions", "central_group_quarters", "central_group_ideology_sessions",
    "app_active_rate_min", "app_daily_score_mean", "articles_provincial_plus", "bulletin_issues",
    "ideology_tasks_done_ratio", "inspections", "work_documents", "activities",
)
# Indicators measured in per cent (0–100): their target may be written 100, 100% or 1.
PERCENT_INDICATORS = frozenset({
    "letters_signed_ratio", "analyses_done_ratio", "app_active_rate_min", "ideology_tasks_done_ratio",
})


def floor_half(number: Decimal) -> Decimal:
    """Rounded down to a multiple of 0.5."""
    return (Decimal(number) / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF


def is_half_step(number: Decimal) -> bool:
    return floor_half(number) == Decimal(number)


def percent_target(raw: Decimal | str, *, written_as_percent: bool = False) -> Decimal:
    """A percentage target as 0–100: ``100``, ``100%`` and ``1`` all mean 100 %.

    A bare number up to 1 is a fraction (a target of 1 % is not plausible),
    as ledger rates are read (portal.ledger.parse.rate)."""
    number = Decimal(raw)
    if not written_as_percent and number <= 1:
        number *= HUNDRED
    return number


def score(*, points: Decimal, scoring: str, target: Decimal, value, deduct_per: Decimal | None = None) -> Decimal:
    """The score of an automatic item whose indicator has ``value`` (None: nothing to measure, 0)."""
    if value is None:
        return Decimal(0)
    value = Decimal(value)
    if scoring == "threshold":
        return points if value >= target else Decimal(0)
    if scoring == "ratio":
        if target <= 0:
            return points
        return floor_half(points * min(Decimal(1), value / target))
    if scoring == "deduct":
        missing = max(Decimal(0), target - value)
        return max(Decimal(0), floor_half(points - Decimal(deduct_per or 0) * missing))
    raise ValueError(scoring)


def indicator_value(key: str, committee, year: int) -> Decimal | None:
    """The figure's value for the committee and year, as the report states it."""
    result = figures.value(key, committee, year)
    if result is None:
        return None
    try:
        return Decimal(result)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(str(result))


def item_score(item, committee, year: int) -> tuple[Decimal | None, Decimal]:
    """(value, score) of an automatic rubric item for the committee, computed live."""
    value = indicator_value(item.indicator, committee, year)
    return value, score(points=item.points, scoring=item.scoring, target=item.target, value=value,
                        deduct_per=item.deduct_per)
