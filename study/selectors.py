"""Reads of the study app, scoped to the actor or to one committee and year."""


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume (reports/compiler.py is the caller).
from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractMonth  # noqa: E402

from .models import MaterialHandout, StudyAppStat, StudySession  # noqa: E402


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
