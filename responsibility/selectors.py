"""Reads of the responsibility app, scoped to the actor or to one committee and year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import rules
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import Actor, scope
from portal.figures import Figure, percent
from portal.models import Branch, Person
from portal.rules import allowed
from portal.selectors import branches_of

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
QUARTERS = (1, 2, 3, 4)


# -- membership by year ------------------------------------------------------------
# MEMBERSHIP_RULE, in the words the report page shows: a year's committee members,
# branches and branch secretaries are those the year's 责任分工 names, never today's
# flags, so a person who joins the committee later does not turn earlier talks into
# committee talks, and a branch merged away (trashed) later still counts in the years
# it led. Until a year's 责任分工 names any member (any 支部书记), today's list stands
# in, and the report page says so.

MEMBERSHIP_RULE = _(
    "某年度的班子成员、党支部和支部书记以该年度“责任分工”为准：第一责任人、直接责任人和勾选了“班子成员”的分工人员是当年的班子成员，"
    "有“支部书记”分工的支部是当年的党支部；该年度尚未录入的，暂按当前名单统计。"
)


def member_assignments(committee, year: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(committee=committee, year=year).filter(Assignment.member_q())


def secretary_assignments(committee, year: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(committee=committee, year=year, kind=Assignment.Kind.BRANCH, branch__isnull=False)


def year_members(committee, year: int) -> QuerySet[Person]:
    """The committee members (班子成员) of the year, trashed people included (one query as a subquery)."""
    rows = member_assignments(committee, year)
    return Person.all_objects.filter(committee=committee).filter(
        Exists(rows.filter(person=OuterRef("pk")))
        | (~Exists(rows) & Q(is_committee_member=True, deleted_at__isnull=True))
    ).order_by("id")


def year_branches(committee, year: int) -> QuerySet[Branch]:
    """The branches of the year, trashed (merged) ones included, in their usual order."""
    rows = secretary_assignments(committee, year)
    return Branch.all_objects.filter(committee=committee).filter(
        Exists(rows.filter(branch=OuterRef("pk"))) | (~Exists(rows) & Q(deleted_at__isnull=True))
    ).order_by("id")


def year_roster(committee, year: int) -> dict:
    """The year's members and branches with their secretaries, as plain data, and whether
    the year's 责任分工 names them (False: today's list stands in)."""
    secretaries: dict[int, list[str]] = {}
    for branch_id, name in secretary_assignments(committee, year).order_by("id").values_list("branch_id", "person__name"):
        secretaries.setdefault(branch_id, []).append(name)
    branches = year_branches(committee, year).values("id", "name", "deleted_at")
    return {
        "year": year,
        "members": [m["name"] for m in year_members(committee, year).values("name")],
        "branches": [{"name": b["name"], "secretaries": secretaries.get(b["id"], []), "trashed": b["deleted_at"] is not None}
                     for b in branches],
        "members_recorded": member_assignments(committee, year).exists(),
        "branches_recorded": bool(secretaries),
        "rule": MEMBERSHIP_RULE,
    }


# -- talks (summaries are confidential) ----------------------------------------------


def talk_summary_q(actor: Actor) -> Q:
    """The talks whose summary the actor may read (the query form of the rule
    ``responsibility.read_talk_summary``): their own as talker, or all."""
    if allowed(actor, "responsibility.read_all_talk_summaries"):
        return Q(pk__isnull=False)  # an empty Q() is not allowed in When()
    if actor.person is not None and not actor.views_other_committee:
        return Q(talker=actor.person)
    return Q(pk__in=[])


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
    """Each committee member of the year with the number of their talks counted in
    ``committee_talks`` (names and counts only, never summaries: 谈话要点 are confidential)."""
    rows = committee_talks(committee, year).order_by().values("talker_id").annotate(n=Count("id"))
    counts = {r["talker_id"]: r["n"] for r in rows}
    members = year_members(committee, year).values("id", "name", "title")
    return [{"id": m["id"], "name": m["name"], "title": m["title"], "count": counts.get(m["id"], 0)} for m in members]


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
    """Each branch of the year's live letter, and the report's figure: branches that signed
    (``signed_letters``) of the year's branches (``year_branches``); ``awaiting`` are signed by the branch, not yet countersigned."""
    branches = list(year_branches(committee, year))
    letters = ResponsibilityLetter.objects.filter(committee=committee, year=year).exclude(status=Status.REVOKED)
    by_branch = {letter.branch_id: letter for letter in letters}
    rows = [{"branch": b, "letter": by_branch.get(b.pk)} for b in branches]
    awaiting = sum(1 for r in rows if r["letter"] and r["letter"].status == Status.SIGNED)
    return {"rows": rows, "signed": signed_branch_count(committee, year), "awaiting": awaiting, "total": len(branches)}


def letter_signatures(letter: ResponsibilityLetter) -> dict[str, LetterSignature]:
    return {s.role: s for s in letter.signatures.all()}


def letters_with_hash(actor: Actor, hashes: set[str]) -> QuerySet[ResponsibilityLetter]:
    return letters_visible_to(actor).filter(body_sha256__in=hashes).order_by("year", "branch_id", "version")


# -- monthly tasks -----------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def overdue_tasks(actor: Actor, today: datetime.date | None = None) -> QuerySet[MonthlyTask]:
    """Open tasks whose month has ended, of those the actor sees."""
    return scope(actor, committee_overdue_tasks(actor.committee, today or timezone.localdate()))


def committee_overdue_tasks(committee, today: datetime.date) -> QuerySet[MonthlyTask]:
    """Every open task of the committee whose month has ended (the office's reminder)."""
    return (
        MonthlyTask.objects.filter(committee=committee, done_on__isnull=True, month__lt=month_start(today))
        .select_related("branch")
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
    branches = scope(actor, year_branches(actor.committee, year), branch_field=None)
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


def ended_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """(year, quarter) of the last twelve months whose quarter has ended, oldest first."""
    quarters = []
    for year in (today.year - 1, today.year):
        for quarter in QUARTERS:
            end = TrendAnalysis.quarter_end(year, quarter)
            if end < today and (today - end).days <= 366:
                quarters.append((year, quarter))
    return quarters


def analyses_outstanding(committee, today: datetime.date, *, past_deadline: bool = False) -> list[tuple[Branch, int, int]]:
    """(branch, year, quarter) of live branches with no analysis for a quarter that has ended
    (``past_deadline``: whose deadline has passed too, the matrix's "missing"), oldest first."""
    quarters = [
        (year, quarter) for year, quarter in ended_quarters(today)
        if not past_deadline or TrendAnalysis.deadline(year, quarter) < today
    ]
    if not quarters:
        return []
    years = {year for year, _quarter in quarters}
    done = set(
        TrendAnalysis.objects.filter(committee=committee, year__in=years).values_list("branch_id", "year", "quarter")
    )
    branches = list(branches_of(committee).select_related("secretary__user"))
    return [
        (branch, year, quarter) for year, quarter in quarters for branch in branches if (branch.pk, year, quarter) not in done
    ]


# -- report figures --------------------------------------------------------------------
# Each figure of the annual report is one function (committee, year) -> the QuerySet of
# the records behind it, with its value next to it where that is not their count. They
# are registered in FIGURES (below) and read through portal.figures by the report, the
# dashboard, the evidence lists and the assessment.


def ideology_meetings(committee, year: int) -> QuerySet[CommitteeMeeting]:
    """"党委专题研究了N次意识形态工作": committee meetings flagged 意识形态专题."""
    return CommitteeMeeting.objects.filter(committee=committee, date__year=year, is_ideology=True)


def signed_letters(committee, year: int) -> QuerySet[ResponsibilityLetter]:
    """Letters of the year's branches that count as signed: countersigned online (complete)
    or signed on paper; a letter signed by its branch but not yet countersigned is not signed yet."""
    return (
        ResponsibilityLetter.objects.filter(committee=committee, year=year, branch__in=year_branches(committee, year))
        .exclude(status=Status.REVOKED)
        .filter(Q(status=Status.COMPLETE) | Q(offline=True, offline_signed_on__isnull=False))
    )


def signed_branch_count(committee, year: int) -> int:
    """"{S}个党支部签订了意识形态工作责任书"."""
    return signed_letters(committee, year).values("branch").distinct().count()


def unsigned_branches(committee, year: int) -> QuerySet[Branch]:
    """"{U}个党支部尚未签订": the year's branches without a signed letter."""
    return year_branches(committee, year).exclude(pk__in=signed_letters(committee, year).values("branch"))


def letters_signed_ratio(committee, year: int) -> Decimal | None:
    return percent(signed_branch_count(committee, year), year_branches(committee, year).count())


def committee_talks(committee, year: int) -> QuerySet[Talk]:
    """"局党委班子成员共开展了N次交心谈心": talks whose talker was a committee member that year."""
    return Talk.objects.filter(committee=committee, date__year=year, talker__in=year_members(committee, year))


def analyses_done(committee, year: int) -> QuerySet[TrendAnalysis]:
    """"实际开展{D}次": the year's quarterly analyses of the year's branches (one per branch and quarter)."""
    return TrendAnalysis.objects.filter(
        committee=committee, year=year, quarter__in=QUARTERS, branch__in=year_branches(committee, year)
    )


def analyses_expected(committee, year: int) -> int:
    """"应开展{E}次": four per branch of the year (the records behind it are those branches)."""
    return len(QUARTERS) * year_branches(committee, year).count()


def analyses_done_ratio(committee, year: int) -> Decimal | None:
    return percent(analyses_done(committee, year).count(), analyses_expected(committee, year))


def special_surveys(committee, year: int) -> QuerySet[TrendAnalysis]:
    """"并针对“后疫情”时期…进行了专题调研分析": analyses flagged as a special survey, with its topic."""
    return analyses_done(committee, year).filter(is_special_survey=True).exclude(survey_topic="")


def tasks(committee, year: int) -> QuerySet[MonthlyTask]:
    """"全年列入月销单任务N项"."""
    return MonthlyTask.objects.filter(committee=committee, month__year=year)


def ideology_tasks(committee, year: int) -> QuerySet[MonthlyTask]:
    """"其中意识形态工作任务N项"."""
    return tasks(committee, year).filter(is_ideology=True)


def ideology_tasks_on_time(committee, year: int) -> QuerySet[MonthlyTask]:
    """"按月销号M项": ideology tasks closed within their month."""
    def year_month(field):
        return ExtractYear(field) * 12 + ExtractMonth(field)

    return ideology_tasks(committee, year).filter(LessThanOrEqual(year_month("done_on"), year_month("month")))


def ideology_tasks_done_ratio(committee, year: int) -> Decimal | None:
    return percent(ideology_tasks_on_time(committee, year).count(), ideology_tasks(committee, year).count())


def inspections(committee, year: int) -> QuerySet[Inspection]:
    return Inspection.objects.filter(committee=committee, date__year=year)


def inspections_by_form(committee, year: int, form: str) -> QuerySet[Inspection]:
    return inspections(committee, year).filter(form=form)


def work_documents(committee, year: int) -> QuerySet[WorkDocument]:
    return WorkDocument.objects.filter(committee=committee, date__year=year)


FIGURES = (
    Figure("ideology_meetings", "党委专题研究意识形态工作的会议", "responsibility:meeting_list", ideology_meetings),
    Figure("letters_signed", "已签订意识形态工作责任书", "responsibility:letter_list", signed_letters,
           value=signed_branch_count),
    Figure("letters_signed_ratio", "签订责任书的党支部占比（%）", "responsibility:letter_list", signed_letters,
           value=letters_signed_ratio),
    Figure("letters_unsigned", "尚未签订责任书的党支部", "portal:branch_list", unsigned_branches),
    Figure("committee_talks", "班子成员开展的交心谈心", "responsibility:talk_list", committee_talks),
    Figure("analyses_expected", "应开展思想动态分析的党支部（每季度一次）", "portal:branch_list",
           year_branches, value=analyses_expected),
    Figure("analyses_done", "已开展的思想动态分析", "responsibility:analysis_list", analyses_done),
    Figure("analyses_done_ratio", "思想动态分析完成率（%）", "responsibility:analysis_list", analyses_done,
           value=analyses_done_ratio),
    Figure("special_surveys", "思想动态专题调研", "responsibility:analysis_list", special_surveys),
    Figure("tasks", "月销单任务", "responsibility:task_list", tasks),
    Figure("ideology_tasks", "意识形态工作任务", "responsibility:task_list", ideology_tasks),
    Figure("ideology_tasks_on_time", "按月销号的意识形态工作任务", "responsibility:task_list", ideology_tasks_on_time),
    Figure("ideology_tasks_done_ratio", "意识形态工作任务按月销号率（%）", "responsibility:task_list",
           ideology_tasks_on_time, value=ideology_tasks_done_ratio),
    Figure("inspections", "督导检查", "responsibility:inspection_list", inspections),
    Figure("inspections_by_form", "督导检查", "responsibility:inspection_list", inspections_by_form,
           arg_labels=lambda: dict(Inspection.Form.choices)),
    Figure("work_documents", "工作文件", "responsibility:document_list", work_documents),
)


# --- used by the reports compiler ---
# Each function takes (committee, year) and returns plain data, built on the figures
# above, in a fixed number of queries whatever the volume, so the annual report
# compiles in constant queries (reports/compiler.py is the only caller).


def report_branches(committee, year: int) -> list[dict]:
    """The year's branches (id, name), in their usual order."""
    return list(year_branches(committee, year).values("id", "name"))


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
    """Branches that signed the year's letter (``signed_letters``) and the names of those that did not."""
    unsigned = list(unsigned_branches(committee, year).values_list("name", flat=True))
    signed = signed_branch_count(committee, year)
    return {"branches": signed + len(unsigned), "signed": signed, "unsigned_names": unsigned}


def report_meeting_counts(committee, year: int) -> dict:
    return {
        "total": CommitteeMeeting.objects.filter(committee=committee, date__year=year).count(),
        "ideology": ideology_meetings(committee, year).count(),
    }


def report_documents(committee, year: int) -> list[dict]:
    rows = work_documents(committee, year).order_by("date", "id").values("date", "kind", "title")
    labels = dict(WorkDocument.Kind.choices)
    return [{**r, "kind_label": str(labels.get(r["kind"], r["kind"]))} for r in rows]


def report_task_counts(committee, year: int) -> dict:
    """"全年列入月销单任务N项，其中意识形态工作任务I项，按月销号M项"."""
    return {
        "total": tasks(committee, year).count(),
        "ideology": ideology_tasks(committee, year).count(),
        "ideology_on_time": ideology_tasks_on_time(committee, year).count(),
    }


def report_inspection_counts(committee, year: int) -> dict:
    rows = inspections(committee, year).order_by().values("form").annotate(n=Count("id"))
    labels = dict(Inspection.Form.choices)
    by_form = [{"form": r["form"], "label": str(labels.get(r["form"], r["form"])), "count": r["n"]} for r in rows]
    return {"total": sum(r["count"] for r in by_form), "by_form": sorted(by_form, key=lambda r: r["form"])}


def report_talk_counts(committee, year: int) -> dict:
    """Talks held by committee members (班子成员), per member."""
    return {"total": committee_talks(committee, year).count(), "per_member": talks_per_member(committee, year)}


def report_trend_analyses(committee, year: int) -> dict:
    """Quarterly analyses done per branch and quarter, against branches × 4."""
    branches = report_branches(committee, year)
    rows = list(
        analyses_done(committee, year).values("branch_id", "quarter", "date", "is_special_survey", "survey_topic")
    )
    done: dict[int, dict[int, object]] = {}
    surveys: set[str] = set()
    for r in rows:
        done.setdefault(r["branch_id"], {})[r["quarter"]] = r["date"]
        if r["is_special_survey"] and r["survey_topic"]:
            surveys.add(r["survey_topic"])
    matrix = [{"branch": b["name"], "quarters": [done.get(b["id"], {}).get(q) for q in QUARTERS]} for b in branches]
    return {
        "expected": len(QUARTERS) * len(branches),
        "done": len(rows),
        "matrix": matrix,
        "survey_topics": sorted(surveys),
    }
