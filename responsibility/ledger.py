"""The ledger sheets of 责任制 (ledger-format.md), registered in ``apps.py``.

Behaviour of one sheet lives here, next to its columns:

- 谈心谈话: an empty 要点 never erases a stored summary, because exports for
  readers who may not see summaries leave that column empty;
- 思想动态分析: 专题调研 takes 是/否 or the survey's topic (e.g. 后疫情, meaning 是);
- 督导检查: 对象 names the inspected branches (a set: order does not matter);
- 责任书: 已签订 records a letter signed offline (status complete), 待签订 a
  draft awaiting its body and signature (no 签订日期/支部签字人 then); letters
  already issued or signed online are matched but never changed by a
  workbook. :func:`letter_row_plan` and :func:`letter_row_apply` are the
  whole of it, so that they can be handed to the letter services.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from portal.ledger import parse
from portal.ledger.columns import Bool, Choice, Column, Date, Month, Quarter, Ref, RefSet, Text, Year
from portal.ledger.org import BRANCHES, PERSONS
from portal.access import Actor
from portal.ledger.sheets import RowRefused, Sheet
from portal.models import Person, Role

from .models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)
from . import services

LETTER_SIGNED, LETTER_AWAITING = services.LETTER_SIGNED, services.LETTER_AWAITING


class Summary(Text):
    """谈话要点: confidential, and an empty cell keeps what is stored."""

    confidential = True

    def same(self, value, stored):
        return value == "" or stored == value

    def assign(self, obj, value, writer):
        return super().assign(obj, value, writer) if value != "" else ()


class Survey(Column):
    """专题调研: (flag, topic) from 是 / 否 / a topic."""

    blank = (False, "")
    also = ("survey_topic",)

    def clean(self, value, number_format):
        topic = parse.text(value)
        if topic in (parse.YES, parse.NO):
            return (topic == parse.YES, "")
        if len(topic) > 100:
            raise parse.CellError(_("超过 %(n)s 个字符") % {"n": 100})
        return (True, topic)

    def stored(self, obj, names, extra):
        return (obj.is_special_survey, obj.survey_topic)

    def assign(self, obj, value, writer):
        obj.is_special_survey, obj.survey_topic = value
        return ("is_special_survey", "survey_topic")

    def export(self, value):
        flag, topic = value
        return (topic or parse.YES) if flag else parse.NO


class LetterStatus(Column):
    """状态: 已签订 or 待签订 (empty: 已签订 when a signing date is given)."""

    def clean(self, value, number_format):
        result = parse.text(value)
        if result not in (LETTER_SIGNED, LETTER_AWAITING):
            raise parse.CellError(
                _("状态应为“%(signed)s”或“%(awaiting)s”") % {"signed": LETTER_SIGNED, "awaiting": LETTER_AWAITING}
            )
        return result

    def export(self, value):
        return value or LETTER_SIGNED


# --- the letter hook ---------------------------------------------------------
# A 责任书 row goes through the letter services a person would use (draft,
# edit, paper signing), so the lifecycle table, the hash and the events are the
# same whatever the source; a signed letter is never changed by a workbook.


def _letter_row(values: dict[str, Any], letter: ResponsibilityLetter | None, branch=None) -> services.LetterRow:
    """The row as the services read it; a column the sheet lacks keeps the letter's value."""
    current = dict(zip(("title", "offline_signed_on", "offline_signer"), services.letter_row_cells(letter))) if letter else {}
    pick = lambda name, blank: values[name] if name in values else current.get(name, blank)  # noqa: E731
    return services.LetterRow(
        year=values["year"], branch=branch, title=pick("title", ""), signed_on=pick("offline_signed_on", None),
        signer=pick("offline_signer", "") or "", status=values.get("status") or "",
    )


def letter_row_plan(letter: ResponsibilityLetter | None, values: dict[str, Any]) -> str:
    """A 责任书 row checked against its branch's current letter (a dry run): the
    action, or RowRefused(column, reason)."""
    plan = services.letter_row_plan(letter=letter, row=_letter_row(values, letter))
    if plan.action == "refuse":
        raise RowRefused(plan.column or "状态", plan.reason)
    return plan.action


def letter_row_apply(letter: ResponsibilityLetter | None, values: dict[str, Any], *, actor: Actor) -> ResponsibilityLetter:
    """Write a row that :func:`letter_row_plan` accepted; ``values["branch"]`` is the Branch."""
    row = _letter_row(values, letter, branch=values["branch"])
    return services.letter_row_apply(actor=actor, letter=letter, row=row)


def import_actor(writer) -> Actor:
    """Who the services see writing: the importing office user, or the system (a command-line import)."""
    person = getattr(writer.user, "person", None) if writer.user is not None else None
    return Actor(user=writer.user, person=person, committee=writer.committee, role=Role.OFFICE, branch=None)


class MemberFlag(Bool):
    """班子成员: 第一责任人 and 直接责任人 always are, whatever the cell says."""

    def stored(self, obj, names, extra):
        return obj.counts_as_member


class AssignmentSheet(Sheet):
    """责任分工: a 第一责任人 or 支部书记 row makes its person a letter signer of
    that year, so nobody imports their own appointment, and a 支部书记 row names
    the branch its person leads (the sheet has no 支部 column)."""

    def plan_row(self, row, match, ctx):
        super().plan_row(row, match, ctx)
        signer = row.values.get("kind") in (Assignment.Kind.FIRST, Assignment.Kind.BRANCH)
        user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
        if signer and user is not None and ctx.committee is not None and row.action != "unchanged":
            if Person.all_objects.filter(committee=ctx.committee, name=row.values.get("person"), user=user).exists():
                raise RowRefused("姓名", str(services.APPOINT_SELF))

    def assign(self, writer, row, fields, skip=frozenset()):
        result = super().assign(writer, row, fields, skip)
        assignment = row.obj
        if assignment.kind == Assignment.Kind.BRANCH and not assignment.branch_id and assignment.person_id:
            assignment.branch = services.assignment_default_branch(assignment.person)
            result.add("branch")
        return result

    def candidate(self, row, ctx):
        """The branch is found as ``assign`` will find it, once the workbook's
        支部 and 人员 rows (written before this sheet) are taken into account."""
        assignment = super().candidate(row, ctx)
        person = getattr(assignment, "person", None)
        if assignment.kind == Assignment.Kind.BRANCH and assignment.branch is None and person is not None:
            assignment.branch = _branch_led_by(person, ctx)
        return assignment


def _branch_led_by(person: Person, ctx):
    for row in ctx.sheets.get(BRANCHES.label, ()):
        if row.values.get("secretary") == person.name and row.values.get("name"):
            return ctx.lookup.resolve(BRANCHES, row.values["name"])
    for row in ctx.sheets.get(PERSONS.label, ()):
        if row.values.get("name") == person.name and row.values.get("branch"):
            return ctx.lookup.resolve(BRANCHES, row.values["branch"])
    return services.assignment_default_branch(person) if person.pk > 0 else None


class LetterSheet(Sheet):
    """责任书: one row per branch and year, matched with the newest letter
    that is not revoked; planned and written by the letter hook above."""

    def objects(self, committee, year=None):
        qs = (
            ResponsibilityLetter.objects.filter(committee=committee)
            .exclude(status=ResponsibilityLetter.Status.REVOKED)
            .prefetch_related("signatures")
        )
        if year is not None:
            qs = qs.filter(year=year)
        latest: dict[tuple, ResponsibilityLetter] = {}
        for letter in qs.order_by("year", "branch_id", "version", "id"):
            latest[(letter.year, letter.branch_id)] = letter
        return sorted(latest.values(), key=lambda letter: (letter.year, letter.branch_id, letter.pk))

    def current(self, objects, names):
        rows = super().current(objects, names)
        for letter, values in zip(objects, rows):
            cells = services.letter_row_cells(letter)
            values.update(zip(("title", "offline_signed_on", "offline_signer", "status"), cells))
        return rows

    def plan_row(self, row, match, ctx):
        if not row.values.get("status"):
            row.values["status"] = LETTER_SIGNED if row.values.get("offline_signed_on") else LETTER_AWAITING
        super().plan_row(row, match, ctx)
        row.action = letter_row_plan(row.obj, row.values)

    def row_errors(self, row, ctx):
        return []  # letter_row_plan has applied the letter services' rules

    def apply(self, writer, rows, skip=frozenset()):
        actor = import_actor(writer)
        for row in rows:
            values = {**row.values, "branch": writer.resolve(BRANCHES, row.values["branch"])}
            row.obj = letter_row_apply(row.obj, values, actor=actor)


SHEETS = (
    AssignmentSheet(
        "责任分工",
        50,
        Assignment,
        (
            Year("年度", "year", required=True, width=8),
            Ref("姓名", "person", PERSONS, required=True, width=12),
            Choice("责任角色", "kind", Assignment.Kind, required=True),
            Text("分管范围", "scope", width=40),
            MemberFlag("班子成员", "committee_member", width=10),
        ),
        key=("year", "person", "kind"),
        year_field="year",
    ),
    Sheet(
        "工作文件",
        60,
        WorkDocument,
        (
            Date("日期", "date", required=True, width=12),
            Choice("类型", "kind", WorkDocument.Kind, required=True),
            Text("标题", "title", required=True, width=50),
        ),
        key=("date", "title"),
        year_field="date",
    ),
    Sheet(
        "党委会议",
        70,
        CommitteeMeeting,
        (
            Date("日期", "date", required=True, width=12),
            Text("会议名称", "title", required=True, width=36),
            Bool("意识形态专题", "is_ideology", required=True, width=12),
            Text("议题", "agenda", width=50),
            Ref("主持人", "host", PERSONS, width=12),
        ),
        key=("date", "title"),
        year_field="date",
    ),
    LetterSheet(
        "责任书",
        80,
        ResponsibilityLetter,
        (
            Year("年度", "year", required=True, width=8),
            Ref("支部", "branch", BRANCHES, required=True, width=22),
            Text("标题", "title", required=True, width=40),
            Date("签订日期", "offline_signed_on", width=12),
            Text("支部签字人", "offline_signer", width=12),
            LetterStatus("状态", "status", width=10),
        ),
        key=("year", "branch"),
        year_field="year",
        ordering=("branch_id", "id"),
    ),
    Sheet(
        "月销单",
        90,
        MonthlyTask,
        (
            Month("月份", "month", required=True, width=10),
            Text("任务", "task", required=True, width=50),
            Ref("责任支部", "branch", BRANCHES, width=22),
            Bool("意识形态任务", "is_ideology", width=12),
            Date("完成日期", "done_on", width=12),
        ),
        key=("month", "task", "branch"),
        year_field="month",
    ),
    Sheet(
        "督导检查",
        100,
        Inspection,
        (
            Date("日期", "date", required=True, width=12),
            Choice("方式", "form", Inspection.Form, required=True),
            RefSet("对象", "branches", BRANCHES, width=36),
            Text("发现问题", "findings", width=40),
            Text("整改情况", "rectification", width=40),
        ),
        key=("date", "form", "branches"),
        year_field="date",
    ),
    Sheet(
        "谈心谈话",
        110,
        Talk,
        (
            Date("日期", "date", required=True, width=12),
            Ref("谈话人", "talker", PERSONS, required=True, width=12),
            Ref("谈话对象", "talkee", PERSONS, required=True, width=12),
            Text("谈话类型", "kind", width=14),
            Summary("要点", "summary", width=50),
        ),
        key=("date", "talker", "talkee"),
        year_field="date",
    ),
    Sheet(
        "思想动态分析",
        120,
        TrendAnalysis,
        (
            Ref("支部", "branch", BRANCHES, required=True, width=22),
            Year("年度", "year", required=True, width=8),
            Quarter("季度", "quarter", required=True, width=8),
            Date("日期", "date", required=True, width=12),
            Text("主题", "topic", width=30),
            Text("主要情况", "findings", width=50),
            Survey("专题调研", "is_special_survey", width=12),
        ),
        key=("branch", "year", "quarter"),
        year_field="year",
        ordering=("year", "quarter", "branch_id", "id"),
    ),
)
