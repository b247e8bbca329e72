"""Reads of the responsibility app, scoped to the actor or to one committee and year."""


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume, so the annual report compiles in
# constant queries (reports/compiler.py is the only caller).
from django.db.models import Count, Q  # noqa: E402

from portal.models import Branch, Person  # noqa: E402

from .models import (  # noqa: E402
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)


def report_branches(committee) -> list[dict]:
    """The committee's live branches (id, name), in their usual order."""
    return list(Branch.objects.filter(committee=committee).order_by("id").values("id", "name"))


def report_assignments(committee, year: int) -> list[dict]:
    rows = (
        Assignment.objects.filter(committee=committee, year=year)
        .order_by("kind", "person_id")
        .values("kind", "scope", "person__name", "person__title")
    )
    labels = dict(Assignment.Kind.choices)
    return [
        {"kind": r["kind"], "kind_label": str(labels.get(r["kind"], r["kind"])), "name": r["person__name"],
         "title": r["person__title"], "scope": r["scope"]}
        for r in rows
    ]


def report_letter_counts(committee, year: int) -> dict:
    """Branches that signed the year's letter: online (complete) or on paper."""
    branches = report_branches(committee)
    signed_ids = set(
        ResponsibilityLetter.objects.filter(committee=committee, year=year)
        .exclude(status=ResponsibilityLetter.Status.REVOKED)
        .filter(Q(status=ResponsibilityLetter.Status.COMPLETE) | Q(offline=True, offline_signed_on__isnull=False))
        .values_list("branch_id", flat=True)
        .distinct()
    )
    return {
        "branches": len(branches),
        "signed": sum(1 for b in branches if b["id"] in signed_ids),
        "unsigned_names": [b["name"] for b in branches if b["id"] not in signed_ids],
    }


def report_meeting_counts(committee, year: int) -> dict:
    agg = CommitteeMeeting.objects.filter(committee=committee, date__year=year).aggregate(
        total=Count("id"), ideology=Count("id", filter=Q(is_ideology=True))
    )
    return {"total": agg["total"], "ideology": agg["ideology"]}


def report_meetings(committee, year: int) -> list[dict]:
    return list(
        CommitteeMeeting.objects.filter(committee=committee, date__year=year)
        .order_by("date", "id")
        .values("date", "title", "is_ideology")
    )


def report_documents(committee, year: int) -> list[dict]:
    rows = WorkDocument.objects.filter(committee=committee, date__year=year).order_by("date", "id").values(
        "date", "kind", "title"
    )
    labels = dict(WorkDocument.Kind.choices)
    return [{**r, "kind_label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def report_task_counts(committee, year: int) -> dict:
    """Monthly tasks of the year; "on time" means closed within its month."""
    rows = MonthlyTask.objects.filter(committee=committee, month__year=year).values_list("month", "done_on", "is_ideology")
    total = ideology = done = on_time = ideology_on_time = 0
    for month, done_on, is_ideology in rows:
        total += 1
        ideology += is_ideology
        if done_on:
            done += 1
            timely = (done_on.year, done_on.month) <= (month.year, month.month)
            on_time += timely
            ideology_on_time += timely and is_ideology
    return {"total": total, "ideology": ideology, "done": done, "on_time": on_time, "ideology_on_time": ideology_on_time}


def report_inspection_counts(committee, year: int) -> dict:
    rows = Inspection.objects.filter(committee=committee, date__year=year).values("form").annotate(n=Count("id"))
    labels = dict(Inspection.Form.choices)
    by_form = [{"form": r["form"], "label": str(labels.get(r["form"], r["form"])), "count": r["n"]} for r in rows]
    return {"total": sum(r["count"] for r in by_form), "by_form": sorted(by_form, key=lambda r: r["form"])}


def report_talk_counts(committee, year: int) -> dict:
    """Talks held by committee members (班子成员), per member; names and counts only,
    never summaries (谈话要点 are confidential)."""
    members = list(
        Person.objects.filter(committee=committee, is_committee_member=True).order_by("id").values("id", "name", "title")
    )
    counts = dict(
        Talk.objects.filter(committee=committee, date__year=year, talker__is_committee_member=True)
        .values_list("talker_id")
        .annotate(n=Count("id"))
        .values_list("talker_id", "n")
    )
    per_member = [{"name": m["name"], "title": m["title"], "count": counts.get(m["id"], 0)} for m in members]
    return {"total": sum(counts.values()), "per_member": per_member}


def report_trend_analyses(committee, year: int) -> dict:
    """Quarterly analyses done per branch and quarter, against branches × 4."""
    branches = report_branches(committee)
    rows = list(
        TrendAnalysis.objects.filter(committee=committee, year=year).values(
            "branch_id", "quarter", "date", "is_special_survey", "survey_topic"
        )
    )
    done: dict[int, dict[int, object]] = {}
    surveys: list[str] = []
    for r in rows:
        done.setdefault(r["branch_id"], {})[r["quarter"]] = r["date"]
        if r["is_special_survey"] and r["survey_topic"] and r["survey_topic"] not in surveys:
            surveys.append(r["survey_topic"])
    matrix = [
        {"branch": b["name"], "quarters": [done.get(b["id"], {}).get(q) for q in (1, 2, 3, 4)]} for b in branches
    ]
    return {
        "expected": len(branches) * 4,
        "done": sum(1 for b in branches for q in (1, 2, 3, 4) if q in done.get(b["id"], {})),
        "matrix": matrix,
        "survey_topics": sorted(surveys),
        "special_surveys": sum(1 for r in rows if r["is_special_survey"]),
    }
