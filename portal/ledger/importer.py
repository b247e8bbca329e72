"""Import a ledger workbook: read → check → plan (dry run) → apply in one
transaction. The browser view and ``import_ledger`` share this engine.

Rules beyond ledger-format.md:

- rows are matched by the sheet's natural key among the committee's live
  records; a key repeated inside one sheet is an error; rows of the workbook
  that match nothing are created, matching rows whose cells differ are
  updated, the rest are counted as unchanged; nothing is ever deleted;
- a column missing from a sheet (optional columns only) leaves that field as
  it is; an unknown or repeated header is an error (a typo must not drop data);
- branches named in 人员 (所在支部) and people named in 支部 (支部书记) that
  exist nowhere are created and counted as created in 支部 / 人员;
- an empty 要点 never erases a stored talk summary, because exports for users
  who may not read summaries leave that column empty;
- 专题调研 takes 是/否 or the survey's topic (e.g. 后疫情, meaning 是);
- 责任书: 已签订 records a letter signed offline (status complete), 待签订 a
  draft awaiting its body and signature (no 签订日期/支部签字人 then); letters
  already issued or signed online are matched but never changed by a workbook;
- 宣传阵地 最近检查日期 adds a supervision check on that date unless the
  channel already has one that day;
- bulk writes go through simple_history's bulk helpers so history is kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.models import Branch, Committee, Person
from publicity.models import ChannelCheck
from responsibility.models import Inspection, LetterEvent, ResponsibilityLetter
from responsibility.services import letter_template

from . import parse
from .files import MAX_ROWS, LedgerFileError, check_workbook_file
from .cells import cell_values, current_letters, extra_values
from .sheets import COMMITTEE, LETTER_AWAITING, LETTER_SIGNED, SHEETS, SHEETS_BY_NAME, Column, Sheet, max_length

SLUG_RE = re.compile(r"[a-z0-9-]{1,50}")  # as Committee.slug
CHANGE_REASON = "台账导入"
OFFLINE_BODY = "本责任书为线下签订的纸质文本，由台账导入登记；以纸质原件或扫描件为准。"
BATCH = 500


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = [self.sheet or _("工作簿")]
        if self.row:
            where.append(_("第%(row)s行") % {"row": self.row})
        if self.column:
            where.append(self.column)
        return _("%(where)s：%(reason)s") % {"where": " ".join(where), "reason": self.reason}


@dataclass
class SheetCounts:
    name: str
    create: int = 0
    update: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    committee_slug: str
    dry_run: bool
    refused: str = ""  # the whole file was refused (bad file, unknown committee)
    committee_created: bool = False
    applied: bool = False
    sheets: list[SheetCounts] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


@dataclass
class Row:
    number: int  # the Excel row number
    values: dict[str, Any]  # field → value; people and branches by name
    bad: bool = False  # a cell could not be read: the row is neither matched nor counted
    action: str = ""
    obj: Any = None
    changed: list[str] = field(default_factory=list)


@dataclass
class Context:
    committee: Committee | None
    user: Any
    sheets: dict[str, list[Row]]
    headers: dict[str, set[str]]  # fields present in each sheet
    errors: list[RowError]
    branch_names: dict[int, str] = field(default_factory=dict)
    person_names: dict[int, str] = field(default_factory=dict)
    known_branches: set[str] = field(default_factory=set)
    known_persons: set[str] = field(default_factory=set)
    new_branches: list[str] = field(default_factory=list)  # implicitly created
    new_persons: list[str] = field(default_factory=list)
    counts: dict[str, SheetCounts] = field(default_factory=dict)

    def error(self, sheet: str, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(sheet, row, column, reason))

    def count(self, sheet: str) -> SheetCounts:
        return self.counts.setdefault(sheet, SheetCounts(sheet))


# --- entry point -------------------------------------------------------------


def ledger_import(*, committee_slug: str, file: IO[bytes], dry_run: bool, actor_user=None) -> ImportResult:
    """Check and plan the workbook; write it (all or nothing) unless dry_run."""
    result = ImportResult(committee_slug=committee_slug, dry_run=dry_run)
    try:
        check_workbook_file(file)
        sheets, headers, errors = read_workbook(file)
    except LedgerFileError as exc:
        result.refused = str(exc)
        return result
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        refusal = _refuse_new_committee(committee_slug, sheets)
        if refusal:
            result.refused = refusal
            return result
    with transaction.atomic():
        if committee is not None:
            # Imports into one committee run one after the other, each planning
            # against what the previous one wrote.
            committee = Committee.objects.select_for_update().get(pk=committee.pk)
        ctx = Context(committee=committee, user=actor_user, sheets=sheets, headers=headers, errors=errors)
        _plan(ctx)
        result.errors = sorted(ctx.errors, key=_error_order)
        result.committee_created = committee is None
        result.sheets = [ctx.counts[s.name] for s in SHEETS if s.name in ctx.counts]
        if result.errors or dry_run:
            return result
        try:
            _apply(ctx, committee_slug)
        except CommitteeTaken:
            result.refused = _("党委“%(slug)s”刚被另一次导入创建，未写入任何数据，请重新导入。") % {"slug": committee_slug}
            return result
        result.applied = True
    return result


def too_many_rows(sheet: str) -> str:
    return _("工作表“%(sheet)s”超过 %(n)s 行，已拒绝。") % {"sheet": sheet, "n": MAX_ROWS}


def _error_order(error: RowError):
    order = [s.name for s in SHEETS]
    return (order.index(error.sheet) if error.sheet in order else -1, error.row or 0)


def _refuse_new_committee(slug: str, sheets: dict[str, list[Row]]) -> str:
    if COMMITTEE not in sheets:
        return _("党委“%(slug)s”不存在，且工作簿中没有“党委”工作表，无法创建。") % {"slug": slug}
    if not SLUG_RE.fullmatch(slug):
        return _("党委标识“%(slug)s”无效：只能使用小写字母、数字和连字符（最多 50 个）。") % {"slug": slug}
    return ""


# --- reading -----------------------------------------------------------------


def read_workbook(file: IO[bytes]) -> tuple[dict[str, list[Row]], dict[str, set[str]], list[RowError]]:
    """Parse every sheet's cells; references are checked later against the database."""
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except LedgerFileError:
        raise
    except Exception:  # openpyxl raises many kinds on malformed XML
        raise LedgerFileError(_("无法读取工作簿，文件可能已损坏。")) from None
    errors: list[RowError] = []
    sheets: dict[str, list[Row]] = {}
    headers: dict[str, set[str]] = {}
    try:
        for name in workbook.sheetnames:
            worksheet = workbook[name]
            spec = SHEETS_BY_NAME.get(name.strip())
            if spec is None:
                errors.append(RowError(name, None, "", _("未知的工作表（名称须与台账格式一致）")))
                continue
            if spec.name in sheets:
                errors.append(RowError(name, None, "", _("工作表重复")))
                continue
            if not hasattr(worksheet, "iter_rows"):
                errors.append(RowError(name, None, "", _("不是数据工作表")))
                continue
            if (worksheet.max_row or 0) > MAX_ROWS + 1:
                raise LedgerFileError(too_many_rows(name))
            # Read to the real end: openpyxl otherwise stops at the declared
            # dimension, and a wrong one would silently drop rows.
            worksheet.reset_dimensions()
            sheets[spec.name], headers[spec.name] = _read_sheet(spec, worksheet, errors)
    except LedgerFileError:
        raise
    except Exception:
        raise LedgerFileError(_("无法读取工作簿，文件可能已损坏。")) from None
    finally:
        workbook.close()
    return sheets, headers, errors


def _read_sheet(spec: Sheet, worksheet, errors: list[RowError]) -> tuple[list[Row], set[str]]:
    rows_iter = worksheet.iter_rows()
    header_cells = next(rows_iter, ())
    columns: list[Column | None] = []
    by_header = {c.header: c for c in spec.columns}
    seen: set[str] = set()
    for cell in header_cells:
        header = parse.text(cell.value)
        column = by_header.get(header)
        if header and column is None:
            errors.append(RowError(spec.name, 1, header, _("未知的列（列名须与台账格式一致）")))
        elif column is not None and header in seen:
            errors.append(RowError(spec.name, 1, header, _("列名重复")))
            column = None
        columns.append(column)
        seen.add(header)
    for column in spec.columns:
        if column.required and column.header not in seen:
            errors.append(RowError(spec.name, 1, column.header, _("缺少必填列")))
    width = len(columns)
    rows: list[Row] = []
    count = 0
    for number, cells in enumerate(worksheet.iter_rows(min_row=2, max_col=max(width, 1)), start=2):
        count += 1
        if count > MAX_ROWS:
            raise LedgerFileError(too_many_rows(spec.name))
        if width == 0 or all(parse.is_blank(cell.value) for cell in cells[:width]):
            continue
        row = Row(number=number, values={})
        for column, cell in zip(columns, cells):
            if column is None:
                continue
            try:
                row.values.update(_read_cell(spec, column, cell))
            except parse.CellError as exc:
                errors.append(RowError(spec.name, number, column.header, str(exc)))
                row.bad = True
        rows.append(row)
    present = {c.field for c in columns if c is not None}
    return rows, present


def _read_cell(spec: Sheet, column: Column, cell) -> dict[str, Any]:
    value = cell.value
    if parse.is_blank(value):
        if column.required:
            raise parse.CellError(_("必填项为空"))
        return {column.field: _blank(column)}
    kind = column.kind
    if kind in ("text", "person", "branch", "status"):
        result = parse.text(value)
        limit = max_length(spec, column) if kind == "text" else 100
        if limit and len(result) > limit:
            raise parse.CellError(_("超过 %(n)s 个字符") % {"n": limit})
        if kind == "status" and result not in (LETTER_SIGNED, LETTER_AWAITING):
            raise parse.CellError(_("状态应为“%(signed)s”或“%(awaiting)s”") % {"signed": LETTER_SIGNED, "awaiting": LETTER_AWAITING})
        return {column.field: result}
    if kind in ("date", "checkdate"):
        return {column.field: parse.date(value)}
    if kind == "month":
        return {column.field: parse.month(value)}
    if kind == "bool":
        return {column.field: parse.yes_no(value)}
    if kind == "int":
        return {column.field: parse.integer(value)}
    if kind == "year":
        return {column.field: parse.year(value)}
    if kind == "quarter":
        return {column.field: parse.quarter(value)}
    if kind == "rate":
        return {column.field: parse.rate(value, getattr(cell, "number_format", None))}
    if kind == "decimal":
        return {column.field: parse.decimal(value)}
    if kind == "choice":
        return {column.field: parse.choice(value, column.labels)}
    if kind == "branches":
        return {column.field: frozenset(parse.names(value))}
    if kind == "survey":
        return _read_survey(value)
    raise AssertionError(kind)


def _blank(column: Column):
    if column.kind == "bool":
        return False
    if column.kind == "branches":
        return frozenset()
    if column.kind == "survey":
        return False
    if column.kind == "text":
        return ""
    return None


def _read_survey(value) -> dict[str, Any]:
    topic = parse.text(value)
    if topic in (parse.YES, parse.NO):
        return {"is_special_survey": topic == parse.YES, "survey_topic": ""}
    if len(topic) > 100:
        raise parse.CellError(_("超过 %(n)s 个字符") % {"n": 100})
    return {"is_special_survey": True, "survey_topic": topic}


# --- planning ----------------------------------------------------------------


def _plan(ctx: Context) -> None:
    _load_names(ctx)
    _check_references(ctx)
    if COMMITTEE in ctx.sheets:
        _plan_committee(ctx)
    for spec in SHEETS:
        if spec.model is None or spec.name not in ctx.sheets:
            continue
        rows = _dedupe(ctx, spec)
        existing = _existing(ctx, spec)
        for row in rows:
            _classify(ctx, spec, row, existing)
    if ctx.new_branches:
        ctx.count("支部").create += len(ctx.new_branches)
    if ctx.new_persons:
        ctx.count("人员").create += len(ctx.new_persons)


def _load_names(ctx: Context) -> None:
    if ctx.committee is not None:
        ctx.branch_names = dict(Branch.objects.filter(committee=ctx.committee).values_list("id", "name"))
        ctx.person_names = dict(Person.objects.filter(committee=ctx.committee).values_list("id", "name"))
    branch_rows = ctx.sheets.get("支部", [])
    person_rows = ctx.sheets.get("人员", [])
    defined_branches = set(ctx.branch_names.values()) | {r.values.get("name") for r in branch_rows}
    defined_persons = set(ctx.person_names.values()) | {r.values.get("name") for r in person_rows}
    for row in person_rows:
        name = row.values.get("branch")
        if name and name not in defined_branches and name not in ctx.new_branches:
            ctx.new_branches.append(name)
    for row in branch_rows:
        name = row.values.get("secretary")
        if name and name not in defined_persons and name not in ctx.new_persons:
            ctx.new_persons.append(name)
    ctx.known_branches = (defined_branches | set(ctx.new_branches)) - {None}
    ctx.known_persons = (defined_persons | set(ctx.new_persons)) - {None}


def _check_references(ctx: Context) -> None:
    for name, rows in ctx.sheets.items():
        spec = SHEETS_BY_NAME[name]
        for column in spec.columns:
            if column.kind not in ("person", "branch", "branches"):
                continue
            known = ctx.known_persons if column.kind == "person" else ctx.known_branches
            label = "人员" if column.kind == "person" else "支部"
            for row in rows:
                value = row.values.get(column.field)
                wanted = value if column.kind == "branches" else ([value] if value else [])
                for item in sorted(wanted or ()):
                    if item not in known:
                        reason = _("未知的%(kind)s“%(name)s”（请在“%(kind)s”表中定义）") % {"kind": label, "name": item}
                        ctx.error(name, row.number, column.header, reason)


def _key(spec: Sheet, values: dict[str, Any]) -> tuple:
    return tuple(values.get(f) for f in spec.key)


def _dedupe(ctx: Context, spec: Sheet) -> list[Row]:
    first: dict[tuple, int] = {}
    rows = []
    for row in ctx.sheets[spec.name]:
        if row.bad:
            continue
        key = _key(spec, row.values)
        if key in first:
            ctx.error(spec.name, row.number, spec.key_headers, _("与第%(row)s行重复（同一记录只能出现一次）") % {"row": first[key]})
            continue
        first[key] = row.number
        rows.append(row)
    return rows


def _existing(ctx: Context, spec: Sheet) -> dict[tuple, tuple[Any, dict[str, Any]]]:
    """Live records by natural key, each with its values in cell terms."""
    if ctx.committee is None:
        return {}
    if spec.model is ResponsibilityLetter:
        objects = current_letters(ctx.committee)
    else:
        objects = list(spec.model.objects.filter(committee=ctx.committee).order_by("id"))
    extra = extra_values(spec, objects)
    result: dict[tuple, tuple[Any, dict[str, Any]]] = {}
    for obj in objects:
        values = cell_values(spec, obj, ctx.branch_names, ctx.person_names, extra)
        result.setdefault(_key(spec, values), (obj, values))
    return result


def _classify(ctx: Context, spec: Sheet, row: Row, existing: dict) -> None:
    if spec.model is ResponsibilityLetter and not _letter_row_ok(ctx, spec, row):
        return
    match = existing.get(_key(spec, row.values))
    counts = ctx.count(spec.name)
    if match is None:
        row.action = "create"
        counts.create += 1
        return
    row.obj, current = match
    row.changed = [
        name
        for name, value in row.values.items()
        if not _same(spec, name, value, current)
    ]
    if not row.changed:
        row.action = "unchanged"
        counts.unchanged += 1
        return
    if spec.model is ResponsibilityLetter and _letter_is_online(row.obj):
        ctx.error(spec.name, row.number, "状态", _("该责任书已在系统中下发或在线签署，不能用台账修改，请在责任书页面处理"))
        return
    row.action = "update"
    counts.update += 1


def _same(spec: Sheet, name: str, value, current: dict) -> bool:
    if name == "last_check":
        return value is None or value in current.get("_check_dates", ())
    if name == "summary" and value == "":
        return True  # an export without summaries must not erase them
    stored = current.get(name)
    if isinstance(value, Decimal) and stored is not None:
        return Decimal(stored) == value
    return stored == value


def _letter_row_ok(ctx: Context, spec: Sheet, row: Row) -> bool:
    values = row.values
    if not values.get("status"):
        values["status"] = LETTER_SIGNED if values.get("offline_signed_on") else LETTER_AWAITING
    if values["status"] == LETTER_AWAITING and (values.get("offline_signed_on") or values.get("offline_signer")):
        ctx.error(spec.name, row.number, "状态", _("待签订的责任书不能填写签订日期或支部签字人"))
        return False
    return True


def _letter_is_online(letter: ResponsibilityLetter) -> bool:
    return not letter.offline and letter.status != ResponsibilityLetter.Status.DRAFT


def _plan_committee(ctx: Context) -> None:
    rows = [row for row in ctx.sheets[COMMITTEE] if not row.bad]
    counts = ctx.count(COMMITTEE)
    if not rows:
        if ctx.committee is None and not ctx.sheets[COMMITTEE]:
            ctx.error(COMMITTEE, 2, "党委名称", _("必填项为空"))
        return
    for extra in rows[1:]:
        ctx.error(COMMITTEE, extra.number, "", _("党委表只能有一行"))
    row = rows[0]
    if ctx.committee is None:
        row.action = "create"
        counts.create += 1
        return
    row.changed = [k for k, v in row.values.items() if getattr(ctx.committee, k) != v]
    row.action = "update" if row.changed else "unchanged"
    if row.changed:
        counts.update += 1
    else:
        counts.unchanged += 1


# --- applying ----------------------------------------------------------------


@dataclass
class Writer:
    committee: Committee
    user: Any
    now: Any
    branches: dict[str, Branch] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)

    def reload_names(self) -> None:
        self.branches = {b.name: b for b in Branch.objects.filter(committee=self.committee)}
        self.persons = {p.name: p for p in Person.objects.filter(committee=self.committee)}

    def create(self, model, objs: list) -> list:
        if not objs:
            return []
        return bulk_create_with_history(
            objs, model, batch_size=BATCH, default_user=self.user, default_change_reason=CHANGE_REASON
        )

    def update(self, model, objs: list, fields: set[str]) -> None:
        if not objs:
            return
        for obj in objs:
            obj.updated_at = self.now
        bulk_update_with_history(
            objs,
            model,
            sorted(fields | {"updated_at"}),
            batch_size=BATCH,
            default_user=self.user,
            default_change_reason=CHANGE_REASON,
        )


def _apply(ctx: Context, slug: str) -> None:
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    committee = _apply_committee(ctx, slug)
    writer = Writer(committee=committee, user=user, now=timezone.now())
    branch_rows = [r for r in ctx.sheets.get("支部", []) if r.action in ("create", "update")]
    branch_spec = SHEETS_BY_NAME["支部"]
    # Branches and people name each other: branches first without their
    # secretary, then people, then the secretaries.
    writer.create(Branch, [Branch(committee=committee, name=n, created_by=user) for n in ctx.new_branches])
    writer.reload_names()
    _apply_sheet(writer, branch_spec, branch_rows, skip={"secretary"})
    writer.reload_names()
    person_spec = SHEETS_BY_NAME["人员"]
    _apply_sheet(writer, person_spec, [r for r in ctx.sheets.get("人员", []) if r.action in ("create", "update")])
    writer.create(Person, [Person(committee=committee, name=n, created_by=user) for n in ctx.new_persons])
    writer.reload_names()
    _apply_secretaries(writer, branch_rows)
    for spec in SHEETS:
        if spec.model in (None, Branch, Person) or spec.name not in ctx.sheets:
            continue
        rows = [r for r in ctx.sheets[spec.name] if r.action in ("create", "update")]
        if spec.model is ResponsibilityLetter:
            _apply_letters(writer, rows)
        else:
            _apply_sheet(writer, spec, rows)


class CommitteeTaken(Exception):
    """Two imports created the same new committee at once; the other one won."""


def _apply_committee(ctx: Context, slug: str) -> Committee:
    rows = ctx.sheets.get(COMMITTEE) or []
    if ctx.committee is None:
        try:
            with transaction.atomic():
                return Committee.objects.create(slug=slug, **rows[0].values)
        except IntegrityError:
            raise CommitteeTaken() from None
    if rows and rows[0].action == "update":
        for name in rows[0].changed:
            setattr(ctx.committee, name, rows[0].values[name])
        ctx.committee.save(update_fields=rows[0].changed)
    return ctx.committee


def _assign(writer: Writer, spec: Sheet, obj, values: dict[str, Any], names, skip=frozenset()) -> set[str]:
    """Set the model fields of ``names`` from row values; returns the fields set."""
    fields = set()
    for name in names:
        if name in skip or name == "last_check":
            continue
        value = values[name]
        column = next((c for c in spec.columns if c.field == name), None)
        kind = column.kind if column else "text"
        if kind == "branches":
            continue
        if kind == "person":
            value = writer.persons[value] if value else None
        elif kind == "branch":
            value = writer.branches[value] if value else None
        elif name == "summary" and value == "":
            continue
        setattr(obj, name, value)
        fields.add(name)
    return fields


def _apply_sheet(writer: Writer, spec: Sheet, rows: list[Row], skip=frozenset()) -> None:
    model = spec.model
    new_objs, new_rows, changed_objs, changed_fields = [], [], [], set()
    for row in rows:
        if row.action == "create":
            obj = model(committee=writer.committee, created_by=writer.user)
            _assign(writer, spec, obj, row.values, row.values.keys(), skip)
            new_objs.append(obj)
            new_rows.append(row)
        else:
            fields = _assign(writer, spec, row.obj, row.values, row.changed, skip)
            if fields:
                changed_objs.append(row.obj)
                changed_fields |= fields
    created = writer.create(model, new_objs)
    for row, obj in zip(new_rows, created):
        row.obj = obj
    writer.update(model, changed_objs, changed_fields)
    if model is Inspection:
        _apply_inspected(writer, rows)
    if spec.name == "宣传阵地":
        _apply_checks(writer, rows)


def _apply_inspected(writer: Writer, rows: list[Row]) -> None:
    through = Inspection.branches.through
    touched = [r for r in rows if "branches" in r.values and (r.action == "create" or "branches" in r.changed)]
    through.objects.filter(inspection_id__in=[r.obj.pk for r in touched if r.action == "update"]).delete()
    through.objects.bulk_create(
        [
            through(inspection_id=row.obj.pk, branch_id=writer.branches[name].pk)
            for row in touched
            for name in sorted(row.values["branches"], key=lambda n: writer.branches[n].pk)
        ],
        batch_size=BATCH,
    )


def _apply_checks(writer: Writer, rows: list[Row]) -> None:
    existing = set(
        ChannelCheck.objects.filter(channel_id__in=[r.obj.pk for r in rows]).values_list("channel_id", "date")
    )
    checks = [
        ChannelCheck(committee=writer.committee, channel=row.obj, date=row.values["last_check"], created_by=writer.user)
        for row in rows
        if row.values.get("last_check") and (row.obj.pk, row.values["last_check"]) not in existing
    ]
    writer.create(ChannelCheck, checks)


def _apply_secretaries(writer: Writer, rows: list[Row]) -> None:
    changed = []
    for row in rows:
        if "secretary" not in row.values:
            continue
        branch = writer.branches[row.values["name"]]
        person = writer.persons.get(row.values["secretary"]) if row.values["secretary"] else None
        if branch.secretary_id != (person.pk if person else None):
            branch.secretary = person
            changed.append(branch)
    writer.update(Branch, changed, {"secretary"})


def _apply_letters(writer: Writer, rows: list[Row]) -> None:
    spec = SHEETS_BY_NAME["责任书"]
    for row in rows:
        letter = row.obj or ResponsibilityLetter(committee=writer.committee, created_by=writer.user)
        was_signed = letter.pk is not None and letter.status == ResponsibilityLetter.Status.COMPLETE
        _assign(writer, spec, letter, row.values, [n for n in row.values if n != "status"])
        signed = row.values["status"] == LETTER_SIGNED
        if letter.pk is None:
            # A draft gets the usual body for the office to complete and issue;
            # a paper letter's text is its scan.
            letter.body = OFFLINE_BODY if signed else letter_template(
                committee=writer.committee, branch=letter.branch, year=letter.year, duties=""
            )[1]
        letter.offline = signed
        letter.status = ResponsibilityLetter.Status.COMPLETE if signed else ResponsibilityLetter.Status.DRAFT
        letter.body_sha256 = hashlib.sha256(letter.body.encode()).hexdigest() if signed else ""
        letter.issued_at = (letter.issued_at or writer.now) if signed else None
        if not signed:
            letter.offline_signed_on, letter.offline_signer = None, ""
        created = letter.pk is None
        letter._change_reason = CHANGE_REASON
        letter._history_user = writer.user
        letter.save()
        if created or signed != was_signed:
            LetterEvent.objects.create(
                letter=letter,
                kind=LetterEvent.Kind.OFFLINE if signed else LetterEvent.Kind.CREATED,
                actor=writer.user,
                actor_name=_user_name(writer.user),
                at=writer.now,
                detail=CHANGE_REASON,
            )


def _user_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()
