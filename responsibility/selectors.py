"""Reads of the responsibility app, scoped to the actor or to one committee and year."""

from __future__ import annotations

import datetime

import rules
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from portal.access import Actor, scope
from portal.models import Branch, Person

from .models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    LetterSignature,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)

Status = ResponsibilityLetter.Status


# -- talks (summaries are confidential) ----------------------------------------------


def sees_all_talk_summaries(actor: Actor) -> bool:
    return actor.is_office or actor.is_committee_secretary


def talk_summary_q(actor: Actor) -> Q:
    """The talks whose summary the actor may read: their own as talker, or all for office/secretary."""
    if sees_all_talk_summaries(actor):
        return Q(pk__isnull=False)  # an empty Q() is not allowed in When()
    if actor.person is not None:
        return Q(talker=actor.person)
    return Q(pk__in=[])


def may_see_talk_summary(actor: Actor, talk: Talk) -> bool:
    return sees_all_talk_summaries(actor) or (actor.person is not None and talk.talker_id == actor.person.pk)


def talks_visible_to(actor: Actor) -> QuerySet[Talk]:
    """Talks of the actor's committee; ``visible_summary`` is "" where the summary is confidential.

    Anything that lists or exports talks must show ``visible_summary``, never ``summary``.
    """
    return (
        scope(actor, Talk.objects.all())
        .select_related("talker", "talkee")
        .annotate(
            visible_summary=Case(
                When(talk_summary_q(actor), then=F("summary")), default=Value(""), output_field=CharField()
            )
        )
    )


def talk_search_q(actor: Actor, text: str) -> Q:
    """Search by names and kind; the summary text only among talks whose summary the actor may read."""
    return (
        Q(talker__name__icontains=text)
        | Q(talkee__name__icontains=text)
        | Q(kind__icontains=text)
        | (Q(summary__icontains=text) & talk_summary_q(actor))
    )


def talks_per_member(committee, year: int) -> list[dict]:
    """Talks held by each committee member in the year (talks by others do not count)."""
    counts = dict(
        Talk.objects.filter(committee=committee, date__year=year, talker__is_committee_member=True)
        .values_list("talker")
        .annotate(n=Count("id"))
        .values_list("talker", "n")
    )
    people = Person.objects.filter(committee=committee, is_committee_member=True).order_by("id")
    return [{"person": p, "count": counts.get(p.pk, 0)} for p in people]


def committee_talk_count(committee, year: int) -> int:
    """"局党委班子成员共开展了N次交心谈心": talks whose talker is a committee member."""
    return Talk.objects.filter(committee=committee, date__year=year, talker__is_committee_member=True).count()


# -- letters ---------------------------------------------------------------------------


def _signing_q(actor: Actor, kind: str | None = None) -> Q | None:
    """The letters the actor signs by the 责任分工 of their years (None when they sign none)."""
    if actor.person is None:
        return None
    rows = Assignment.objects.signing().filter(committee=actor.committee, person=actor.person)
    if kind:
        rows = rows.filter(kind=kind)
    q = None
    for row_kind, year, branch_id in rows.values_list("kind", "year", "branch_id"):
        part = Q(year=year) if row_kind == Assignment.Kind.FIRST else Q(year=year, branch_id=branch_id)
        q = part if q is None else q | part
    return q


def letters_visible_to(actor: Actor) -> QuerySet[ResponsibilityLetter]:
    """The actor's scope, plus the letters they sign (a year's signer may since have moved branch)."""
    qs = ResponsibilityLetter.objects.select_related("branch")
    signing = _signing_q(actor)
    if signing is None:
        return scope(actor, qs)
    return qs.filter(committee=actor.committee).filter(Q(pk__in=scope(actor, qs).values("pk")) | signing)


def _awaiting(actor: Actor, kind: str, status: str, rule: str) -> list[ResponsibilityLetter]:
    signing = _signing_q(actor, kind)
    if signing is None:
        return []
    candidates = letters_visible_to(actor).filter(signing, status=status).order_by("-year", "id")[:50]
    return [letter for letter in candidates if rules.test_rule(rule, actor, letter)]


def letters_to_sign(actor: Actor) -> list[ResponsibilityLetter]:
    """Issued letters waiting for this actor's signature as the year's 支部书记 of their branch."""
    return _awaiting(actor, Assignment.Kind.BRANCH, Status.ISSUED, "letters.sign")


def letters_to_countersign(actor: Actor) -> list[ResponsibilityLetter]:
    """Branch-signed letters waiting for this actor's countersignature as the year's 第一责任人."""
    return _awaiting(actor, Assignment.Kind.FIRST, Status.SIGNED, "letters.countersign")


def letter_progress(committee, year: int) -> dict:
    """Signed N of M branches for the year (a branch counts once its secretary has signed)."""
    branches = list(Branch.objects.filter(committee=committee).order_by("id"))
    letters = ResponsibilityLetter.objects.filter(committee=committee, year=year).exclude(status=Status.REVOKED)
    by_branch = {letter.branch_id: letter for letter in letters}
    rows = [{"branch": b, "letter": by_branch.get(b.pk)} for b in branches]
    signed = sum(1 for r in rows if r["letter"] and r["letter"].is_signed_by_branch)
    complete = sum(1 for r in rows if r["letter"] and r["letter"].status == Status.COMPLETE)
    return {"rows": rows, "signed": signed, "complete": complete, "total": len(branches)}


def letter_signatures(letter: ResponsibilityLetter) -> dict[str, LetterSignature]:
    return {s.role: s for s in letter.signatures.all()}


def letters_with_hash(actor: Actor, hashes: set[str]) -> QuerySet[ResponsibilityLetter]:
    return letters_visible_to(actor).filter(body_sha256__in=hashes).order_by("year", "branch_id", "version")


# -- monthly tasks -----------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def overdue_tasks(actor: Actor, today: datetime.date | None = None) -> QuerySet[MonthlyTask]:
    """Open tasks whose month has ended."""
    today = today or timezone.localdate()
    return (
        scope(actor, MonthlyTask.objects.select_related("branch"))
        .filter(done_on__isnull=True, month__lt=month_start(today))
        .order_by("month", "id")
    )


def tasks_of_month(actor: Actor, month: datetime.date) -> list[dict]:
    """The month's tasks grouped by branch (committee-level tasks first)."""
    tasks = scope(actor, MonthlyTask.objects.select_related("branch", "done_by__person")).filter(month=month)
    groups: dict = {}
    for task in tasks.order_by("branch_id", "id"):
        groups.setdefault(task.branch, []).append(task)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is not None, item[0].pk if item[0] else 0))
    return [{"branch": branch, "tasks": items} for branch, items in ordered]


# -- quarterly analyses --------------------------------------------------------------------


def analysis_matrix(actor: Actor, year: int, today: datetime.date | None = None) -> list[dict]:
    """Branches × quarters: each cell done / late / missing / pending (quarter not yet due)."""
    today = today or timezone.localdate()
    branches = scope(actor, Branch.objects.all(), branch_field=None).order_by("id")
    if actor.is_branch_secretary:
        branches = branches.filter(pk=actor.branch.pk)
    analyses = scope(actor, TrendAnalysis.objects.all()).filter(year=year)
    found = {(a.branch_id, a.quarter): a for a in analyses}
    rows = []
    for branch in branches:
        cells = []
        for quarter in range(1, 5):
            analysis = found.get((branch.pk, quarter))
            if analysis is not None:
                state = "late" if analysis.is_late else "done"
            elif TrendAnalysis.deadline(year, quarter) < today:
                state = "missing"
            else:
                state = "pending"
            cells.append({"quarter": quarter, "analysis": analysis, "state": state})
        rows.append({"branch": branch, "cells": cells})
    return rows


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data in a fixed
# number of queries whatever the volume, so the annual report compiles in
# constant queries (reports/compiler.py is the only caller).


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
    per_member = [{"id": m["id"], "name": m["name"], "title": m["title"], "count": counts.get(m["id"], 0)} for m in members]
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
