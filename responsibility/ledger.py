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

import hashlib
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ledger import parse
from portal.ledger.columns import Bool, Choice, Column, Date, Month, Quarter, Ref, RefSet, Text, Year
from portal.ledger.importer import CHANGE_REASON
from portal.ledger.org import BRANCHES, PERSONS
from portal.ledger.sheets import CREATE, UNCHANGED, UPDATE, RowRefused, Sheet

from .models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    LetterEvent,
    LetterSignature,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)
from .services import letter_template

LETTER_SIGNED, LETTER_AWAITING = "已签订", "待签订"
OFFLINE_BODY = "本责任书为线下签订的纸质文本，由台账导入登记；以纸质原件或扫描件为准。"


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


def letter_row_plan(letter: ResponsibilityLetter | None, values: dict[str, Any], *, changed: bool) -> str:
    """A 责任书 row checked against its branch's current letter (a dry run).

    ``values`` holds the row's cells by field (year, branch name, title,
    offline_signed_on, offline_signer, status 已签订/待签订), only for the
    columns the sheet has; ``changed`` says whether any differs from the
    letter. Returns the action (create / update / unchanged) or raises
    RowRefused(column, reason).
    """
    signed = values["status"] == LETTER_SIGNED
    if not signed and (values.get("offline_signed_on") or values.get("offline_signer")):
        raise RowRefused("状态", _("待签订的责任书不能填写签订日期或支部签字人"))
    if letter is None:
        return CREATE
    if not changed:
        return UNCHANGED
    if not letter.offline and letter.status != ResponsibilityLetter.Status.DRAFT:
        raise RowRefused("状态", _("该责任书已在系统中下发或在线签署，不能用台账修改，请在责任书页面处理"))
    return UPDATE


def letter_row_apply(
    letter: ResponsibilityLetter | None, values: dict[str, Any], *, committee, user, now
) -> ResponsibilityLetter:
    """Write a row that :func:`letter_row_plan` accepted; ``values["branch"]`` is the Branch."""
    letter = letter or ResponsibilityLetter(committee=committee, created_by=user)
    was_signed = letter.pk is not None and letter.status == ResponsibilityLetter.Status.COMPLETE
    for name in ("year", "branch", "title", "offline_signed_on", "offline_signer"):
        if name in values:
            setattr(letter, name, values[name])
    signed = values["status"] == LETTER_SIGNED
    if letter.pk is None:
        # A draft gets the usual body for the office to complete and issue;
        # a paper letter's text is its scan.
        letter.body = OFFLINE_BODY if signed else letter_template(
            committee=committee, branch=letter.branch, year=letter.year, duties=""
        )[1]
    letter.offline = signed
    letter.status = ResponsibilityLetter.Status.COMPLETE if signed else ResponsibilityLetter.Status.DRAFT
    letter.body_sha256 = hashlib.sha256(letter.body.encode()).hexdigest() if signed else ""
    letter.issued_at = (letter.issued_at or now) if signed else None
    if not signed:
        letter.offline_signed_on, letter.offline_signer = None, ""
    created = letter.pk is None
    letter._change_reason = CHANGE_REASON
    letter._history_user = user
    letter.save()
    if created or signed != was_signed:
        LetterEvent.objects.create(
            letter=letter,
            kind=LetterEvent.Kind.OFFLINE if signed else LetterEvent.Kind.CREATED,
            actor=user,
            actor_name=_user_name(user),
            at=now,
            detail=CHANGE_REASON,
        )
    return letter


def _user_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


class LetterSheet(Sheet):
    """责任书: one row per branch and year, matched with the newest letter
    that is not revoked; planned and written by the letter hook above."""

    def objects(self, committee, year=None):
        qs = ResponsibilityLetter.objects.filter(committee=committee).exclude(status=ResponsibilityLetter.Status.REVOKED)
        if year is not None:
            qs = qs.filter(year=year)
        latest: dict[tuple, ResponsibilityLetter] = {}
        for letter in qs.order_by("year", "branch_id", "version", "id"):
            latest[(letter.year, letter.branch_id)] = letter
        return sorted(latest.values(), key=lambda letter: (letter.year, letter.branch_id, letter.pk))

    def current(self, objects, names):
        signatures: dict[int, dict[str, LetterSignature]] = {}
        for signature in LetterSignature.objects.filter(letter_id__in=[o.pk for o in objects]):
            signatures.setdefault(signature.letter_id, {})[signature.role] = signature
        rows = super().current(objects, names)
        for letter, values in zip(objects, rows):
            values.update(_signing_cells(letter, signatures.get(letter.pk, {})))
        return rows

    def plan_row(self, row, match):
        if not row.values.get("status"):
            row.values["status"] = LETTER_SIGNED if row.values.get("offline_signed_on") else LETTER_AWAITING
        super().plan_row(row, match)
        row.action = letter_row_plan(row.obj, row.values, changed=bool(row.changed))

    def apply(self, writer, rows, skip=frozenset()):
        for row in rows:
            values = {**row.values, "branch": writer.resolve(BRANCHES, row.values["branch"])}
            row.obj = letter_row_apply(row.obj, values, committee=writer.committee, user=writer.user, now=writer.now)


def _signing_cells(letter: ResponsibilityLetter, signatures: dict[str, LetterSignature]) -> dict[str, Any]:
    """状态, 签订日期 and 支部签字人 of a letter, signed on paper or online."""
    complete = letter.status == ResponsibilityLetter.Status.COMPLETE
    status = LETTER_SIGNED if complete else LETTER_AWAITING
    if letter.offline or not complete:
        return {"status": status, "offline_signed_on": letter.offline_signed_on, "offline_signer": letter.offline_signer}
    branch = signatures.get(LetterSignature.Role.BRANCH)
    last = signatures.get(LetterSignature.Role.COMMITTEE) or branch
    return {
        "status": status,
        "offline_signed_on": timezone.localdate(last.signed_at) if last else None,
        "offline_signer": branch.signer_name if branch else "",
    }


SHEETS = (
    Sheet(
        "责任分工",
        50,
        Assignment,
        (
            Year("年度", "year", required=True, width=8),
            Ref("姓名", "person", PERSONS, required=True, width=12),
            Choice("责任角色", "kind", Assignment.Kind, required=True),
            Text("分管范围", "scope", width=40),
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
