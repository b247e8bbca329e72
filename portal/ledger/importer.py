"""Import a ledger workbook: read → check → plan (dry run) → apply in one
transaction. The ledger pages, ``import_ledger`` and the one-sheet uploads
(学习强国) share this engine.

Rules beyond ledger-format.md:

- rows are matched by the sheet's natural key among the committee's live
  records; a key repeated inside one sheet is an error; rows of the workbook
  that match nothing are created, matching rows whose cells differ are
  updated, the rest are counted as unchanged; nothing is ever deleted;
- a column missing from a sheet (optional columns only) leaves that field as
  it is; an unknown or repeated header is an error (a typo must not drop
  data); a header may carry the ``*`` that marks required columns;
- a person or branch is named by its exact name: the live one of that name,
  else the one in the trash of that name (it stays there, and the record
  names it, as the record exported from the trash did; nothing is created
  twice); rows of 人员 and 支部 themselves match live records only, so a
  trashed person listed there is entered anew (the trash keeps the old row);
- names that exist nowhere are created where a column says so (people named
  in 支部 as 支部书记, branches named in 人员 as 所在支部), counted as created
  in the sheet that defines them, right after that sheet's own rows;
- a sheet named 说明 (the export's notes) is skipped;
- what one sheet does more (letters, channel checks, inspected branches…) is
  its own column or sheet class, declared in its app's ``ledger`` module;
- bulk writes go through simple_history's bulk helpers so history is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any, Callable

import openpyxl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.models import Committee

from . import parse
from .columns import NameBook, Names
from .files import MAX_ROWS, LedgerFileError, check_workbook_file
from .org import COMMITTEE
from .sheets import CREATE, UNCHANGED, UPDATE, RowRefused, Sheet, ledger_sheets, sheet_named

SLUG_RE = re.compile(r"[a-z0-9-]{1,50}")  # as Committee.slug
CHANGE_REASON = "台账导入"
BATCH = 500
NOTES = "说明"  # the sheet of notes an export may add; never data
PROGRESS_EVERY = 500  # rows between two progress reports
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "不变"}


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
class Row:
    number: int  # the Excel row number
    values: dict[str, Any]  # field → value; people and branches by name
    unread: set[str] = field(default_factory=set)  # fields whose cell could not be read
    action: str = ""
    obj: Any = None
    changed: list[str] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        """A cell could not be read: the row is neither matched nor counted."""
        return bool(self.unread)

    @property
    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action]) if self.action else ""


@dataclass
class ImportResult:
    committee_slug: str
    dry_run: bool
    refused: str = ""  # the whole file was refused (bad file, unknown committee)
    committee_created: bool = False
    applied: bool = False
    sheets: list[SheetCounts] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # each sheet's rows with their action
    year: int | None = None  # the year most of its dated rows belong to

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


@dataclass
class Context:
    committee: Committee | None
    user: Any
    sheets: dict[str, list[Row]]
    errors: list[RowError]
    only: str | None = None
    names: NameBook | None = None
    known: dict[Names, set[str]] = field(default_factory=dict)
    implicit: dict[Names, list[str]] = field(default_factory=dict)  # created because named
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    lookup: Any = None  # a PlanLookup: the records rows name, for the records' rules

    def error(self, sheet: str, row: int | None, column: str, reason: str) -> None:
        self.errors.append(RowError(sheet, row, column, reason))

    def count(self, sheet: str) -> SheetCounts:
        return self.counts.setdefault(sheet, SheetCounts(sheet))


class CommitteeTaken(Exception):
    """Two imports created the same new committee at once; the other one won."""


# --- entry point -------------------------------------------------------------


def ledger_import(
    *,
    committee_slug: str,
    file: IO[bytes],
    dry_run: bool,
    actor_user=None,
    only: str | None = None,
    reason: str = CHANGE_REASON,
    progress: Callable[[int, str], None] | None = None,
) -> ImportResult:
    """Check and plan the workbook; write it (all or nothing) unless dry_run.

    ``only`` names the one sheet an upload is for (学习强国): the workbook's
    other sheets are ignored, a workbook of a single sheet is read as that
    sheet whatever its name, and the sheet must hold rows. ``reason`` is what
    the records' history says about the change. ``progress(percent, note)``
    is told how far it is (see :class:`Progress`).
    """
    result = ImportResult(committee_slug=committee_slug, dry_run=dry_run)
    tell = Progress(progress)
    try:
        check_workbook_file(file)
        sheets, errors = read_workbook(file, only=only, tell=tell)
    except LedgerFileError as exc:
        result.refused = str(exc)
        return result
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        refusal = _refuse_new_committee(committee_slug, sheets)
        if refusal:
            result.refused = refusal
            return result
    if dry_run:  # a preview writes nothing and locks nothing; the write plans again
        _planned(result, Context(committee=committee, user=actor_user, sheets=sheets, errors=errors, only=only), tell)
        return result
    with transaction.atomic():
        if committee is not None:
            # Imports into one committee run one after the other, each planning
            # against what the previous one wrote.
            committee = Committee.objects.select_for_update().get(pk=committee.pk)
        ctx = Context(committee=committee, user=actor_user, sheets=sheets, errors=errors, only=only)
        _planned(result, ctx, tell)
        if result.errors:
            return result
        try:
            with transaction.atomic():
                _apply(ctx, committee_slug, reason, tell)
        except CommitteeTaken:
            result.refused = _("党委“%(slug)s”刚被另一次导入创建，未写入任何数据，请重新导入。") % {"slug": committee_slug}
            return result
        except IntegrityError:  # a record entered meanwhile through a form
            result.refused = _("数据已被他人同时修改，未写入任何数据，请重新导入。")
            return result
        result.applied = True
    return result


def _planned(result: ImportResult, ctx: Context, tell: Progress) -> None:
    _plan(ctx, tell)
    result.errors = sorted(ctx.errors, key=_error_order)
    result.committee_created = ctx.committee is None
    result.sheets = [ctx.counts[s.name] for s in ledger_sheets() if s.name in ctx.counts]
    result.rows = ctx.sheets
    result.year = _main_year(ctx.sheets)


def _main_year(sheets: dict[str, list[Row]]) -> int | None:
    """The year most dated rows belong to (the year a yearly workbook is of)."""
    years: Counter = Counter()
    for name, rows in sheets.items():
        field_name = sheet_named(name).year_field
        for row in rows:
            value = row.values.get(field_name) if field_name else None
            if value is not None:
                years[getattr(value, "year", value)] += 1
    return max(years, key=lambda year: (years[year], year)) if years else None


class Progress:
    """Reports how far an import is to ``report(percent, note)`` (a job's row),
    once per whole percent: reading the workbook takes 5–45 %, checking its
    rows 45–85 %, writing them 85–99 %."""

    PHASES = {"read": (5, 45, _l("正在读取工作簿")), "plan": (45, 85, _l("正在检查数据")), "apply": (85, 99, _l("正在写入数据"))}

    def __init__(self, report: Callable[[int, str], None] | None):
        self.report = report
        self.last: tuple[int, str] | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.report is None:
            return
        low, high, note = self.PHASES[phase]
        percent = low + (high - low) * min(done, total) // max(total, 1)
        if (percent, phase) != self.last:
            self.last = (percent, phase)
            self.report(percent, str(note))


def too_many_rows(sheet: str) -> str:
    return _("工作表“%(sheet)s”超过 %(n)s 行，已拒绝。") % {"sheet": sheet, "n": MAX_ROWS}


def _error_order(error: RowError):
    order = [s.name for s in ledger_sheets()]
    return (order.index(error.sheet) if error.sheet in order else -1, error.row or 0)


def _refuse_new_committee(slug: str, sheets: dict[str, list[Row]]) -> str:
    if COMMITTEE.name not in sheets:
        return _("党委“%(slug)s”不存在，且工作簿中没有“党委”工作表，无法创建。") % {"slug": slug}
    if not SLUG_RE.fullmatch(slug):
        return _("党委标识“%(slug)s”无效：只能使用小写字母、数字和连字符（最多 50 个）。") % {"slug": slug}
    return ""


# --- reading -----------------------------------------------------------------


def read_workbook(
    file: IO[bytes], only: str | None = None, tell: Progress | None = None
) -> tuple[dict[str, list[Row]], list[RowError]]:
    """Parse every sheet's cells; references are checked later against the database."""
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on malformed XML
        raise LedgerFileError(_("无法读取工作簿，文件可能已损坏。")) from None
    errors: list[RowError] = []
    sheets: dict[str, list[Row]] = {}
    tell = tell or Progress(None)
    try:
        chosen = list(_sheets_to_read(workbook, only, errors))
        declared = sum(getattr(workbook[name], "max_row", 0) or 0 for name, _spec in chosen)
        done = 0
        tell("read", done, declared)
        for name, spec in chosen:
            worksheet = workbook[name]
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
            sheets[spec.name] = _read_sheet(spec, worksheet, errors, lambda n: tell("read", done + n, declared))
            done += len(sheets[spec.name])
    except LedgerFileError:
        raise
    except Exception:
        raise LedgerFileError(_("无法读取工作簿，文件可能已损坏。")) from None
    finally:
        workbook.close()
    if only and not sheets.get(only) and not errors:
        errors.append(RowError(only, 2, sheet_named(only).columns[0].header, _("工作表中没有数据行。")))
    return sheets, errors


def _sheets_to_read(workbook, only: str | None, errors: list[RowError]):
    names = [n for n in workbook.sheetnames if n.strip() != NOTES]
    if only is None:
        for name in names:
            spec = sheet_named(name.strip())
            if spec is None:
                errors.append(RowError(name, None, "", _("未知的工作表（名称须与台账格式一致）")))
            else:
                yield name, spec
        return
    chosen = [n for n in names if n.strip() == only] or (names if len(names) == 1 else [])
    if not chosen or not hasattr(workbook[chosen[0]], "iter_rows"):
        raise LedgerFileError(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": only})
    yield chosen[0], sheet_named(only)


def _read_sheet(spec: Sheet, worksheet, errors: list[RowError], on_rows=lambda n: None) -> list[Row]:
    rows_iter = worksheet.iter_rows()
    header_cells = next(rows_iter, ())
    columns = _read_header(spec, header_cells, errors)
    width = len(columns)
    rows: list[Row] = []
    count = 0
    for number, cells in enumerate(worksheet.iter_rows(min_row=2, max_col=max(width, 1)), start=2):
        count += 1
        if count > MAX_ROWS:
            raise LedgerFileError(too_many_rows(spec.name))
        if count % PROGRESS_EVERY == 0:
            on_rows(count)
        if width == 0 or all(parse.is_blank(cell.value) for cell in cells[:width]):
            continue
        row = Row(number=number, values={})
        for column, cell in zip(columns, cells):
            if column is None:
                continue
            try:
                row.values[column.field] = column.read(cell)
            except parse.CellError as exc:
                errors.append(RowError(spec.name, number, column.header, str(exc)))
                row.unread.add(column.field)
        rows.append(row)
    return rows


# Public for sheets read outside the ledger workbook (the assessment's 考核细则): any
# object with a ``name`` and bound ``columns`` reads like a ledger sheet.
read_sheet = _read_sheet


def _read_header(spec: Sheet, cells, errors: list[RowError]) -> list:
    """The column of each cell of row 1 (None where a cell names none)."""
    columns = []
    by_header = {c.header: c for c in spec.columns}
    seen: set[str] = set()
    for cell in cells:
        header = parse.text(cell.value).rstrip("*＊").strip()
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
    return columns


# --- planning ----------------------------------------------------------------


@dataclass
class Lookup:
    """People and branches of the committee by name (their own tables)."""

    committee: Committee | None
    found: dict[Names, tuple[dict, dict]] = field(default_factory=dict)  # live, trashed by name

    def load(self, names: Names) -> None:
        live, trashed = {}, {}
        rows = names.model.all_objects.filter(committee=self.committee).order_by("deleted_at", "id")
        for obj in rows:
            (live if obj.deleted_at is None else trashed)[getattr(obj, names.field)] = obj
        self.found[names] = (live, trashed)

    def resolve(self, names: Names, name: str):
        """The live record of that name, else the one last moved to the trash."""
        live, trashed = self.found[names]
        return live.get(name) or trashed[name]


@dataclass
class PlanLookup(Lookup):
    """While planning (nothing written yet): a name the workbook defines or
    creates resolves to an unsaved stand-in, one per name, whose negative id
    keeps two mentions of one name equal and two names apart."""

    stand_ins: dict[tuple[Names, str], Any] = field(default_factory=dict)

    def resolve(self, names: Names, name: str):
        if names not in self.found:
            self.load(names)
        live, trashed = self.found[names]
        found = live.get(name) or trashed.get(name)
        if found is not None:
            return found
        key = (names, name)
        if key not in self.stand_ins:
            stand_in = names.model(committee=self.committee, **{names.field: name})
            stand_in.pk = -(len(self.stand_ins) + 1)
            self.stand_ins[key] = stand_in
        return self.stand_ins[key]



def _plan(ctx: Context, tell: Progress) -> None:
    sheets = [s for s in ledger_sheets() if s.name in ctx.sheets]
    total, done = sum(len(rows) for rows in ctx.sheets.values()), 0
    tell("plan", done, total)
    ctx.lookup = PlanLookup(committee=ctx.committee)
    ctx.names = NameBook(ctx.committee, {c.names for s in ledger_sheets() for c in s.columns if c.names})
    _find_names(ctx, sheets)
    _check_references(ctx, sheets)
    if COMMITTEE.name in ctx.sheets:
        _plan_committee(ctx)
    for spec in sheets:
        if spec is COMMITTEE:
            continue
        existing = _existing(ctx, spec)
        for row in _dedupe(ctx, spec):
            _classify(ctx, spec, row, existing)
            done += 1
            if done % PROGRESS_EVERY == 0:
                tell("plan", done, total)
    for spec in ledger_sheets():
        if spec.defines and ctx.implicit.get(spec.defines):
            ctx.count(spec.name).create += len(ctx.implicit[spec.defines])


def _find_names(ctx: Context, sheets: list[Sheet]) -> None:
    """The names each column may use: stored (live or trashed), defined by a
    sheet of the workbook, or created because a column names them."""
    defined = {names: set(ctx.names.known(names)) for names in ctx.names.by_id}
    for spec in sheets:
        if spec.defines in defined:
            defined[spec.defines] |= {row.values.get(spec.defines.field) for row in ctx.sheets[spec.name]}
    for spec in sheets:
        for column in spec.columns:
            if not getattr(column, "creates", False):
                continue
            new = ctx.implicit.setdefault(column.names, [])
            for row in ctx.sheets[spec.name]:
                for name in column.named(row.values.get(column.field)):
                    if name not in defined[column.names] and name not in new:
                        new.append(name)
    ctx.known = {names: (found | set(ctx.implicit.get(names, ()))) - {None} for names, found in defined.items()}


def _check_references(ctx: Context, sheets: list[Sheet]) -> None:
    for spec in sheets:
        for column in spec.columns:
            if column.names is None:
                continue
            label = column.names.label
            for row in ctx.sheets[spec.name]:
                for name in column.named(row.values.get(column.field)):
                    if name in ctx.known[column.names]:
                        continue
                    if ctx.only is None:
                        reason = _("未知的%(kind)s“%(name)s”（请在“%(kind)s”表中定义）") % {"kind": label, "name": name}
                    else:
                        reason = _("未知的%(kind)s“%(name)s”") % {"kind": label, "name": name}
                    ctx.error(spec.name, row.number, column.header, reason)


def _dedupe(ctx: Context, spec: Sheet) -> list[Row]:
    first: dict[tuple, int] = {}
    rows = []
    for row in ctx.sheets[spec.name]:
        if row.bad:
            _report(ctx, spec, row, spec.row_errors(row, ctx, unread=row.unread))
            continue
        key = spec.key_of(row.values)
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
    objects = spec.objects(ctx.committee)
    result: dict[tuple, tuple[Any, dict[str, Any]]] = {}
    for obj, values in zip(objects, spec.current(objects, ctx.names)):
        result.setdefault(spec.key_of(values), (obj, values))
    return result


def _classify(ctx: Context, spec: Sheet, row: Row, existing: dict) -> None:
    try:
        spec.plan_row(row, existing.get(spec.key_of(row.values)), ctx)
    except RowRefused as exc:
        row.action = ""
        ctx.error(spec.name, row.number, exc.column, exc.reason)
        return
    if row.action in (CREATE, UPDATE) and _report(ctx, spec, row, spec.row_errors(row, ctx)):
        row.action = ""
        return
    counts = ctx.count(spec.name)
    setattr(counts, row.action, getattr(counts, row.action) + 1)


def _report(ctx: Context, spec: Sheet, row: Row, errors: list[tuple[str, str]]) -> bool:
    for column, reason in errors:
        ctx.error(spec.name, row.number, column, reason)
    return bool(errors)


def _plan_committee(ctx: Context) -> None:
    name = COMMITTEE.name
    rows = [row for row in ctx.sheets[name] if not row.bad]
    counts = ctx.count(name)
    if not rows:
        if ctx.committee is None and not ctx.sheets[name]:
            ctx.error(name, 2, COMMITTEE.columns[0].header, _("必填项为空"))
        return
    for extra in rows[1:]:
        ctx.error(name, extra.number, "", _("党委表只能有一行"))
    row = rows[0]
    if ctx.committee is None:
        row.action = CREATE
        counts.create += 1
        return
    row.changed = [k for k, v in row.values.items() if getattr(ctx.committee, k) != v]
    row.action = UPDATE if row.changed else UNCHANGED
    setattr(counts, row.action, getattr(counts, row.action) + 1)


# --- applying ----------------------------------------------------------------


@dataclass(kw_only=True)
class Writer(Lookup):
    user: Any
    now: Any
    reason: str = CHANGE_REASON

    def create(self, model, objs: list) -> list:
        if not objs:
            return []
        return bulk_create_with_history(
            objs, model, batch_size=BATCH, default_user=self.user, default_change_reason=self.reason
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
            default_change_reason=self.reason,
        )

    def bulk(self, model, objs: list) -> None:
        """Rows without history of their own (many-to-many links)."""
        model.objects.bulk_create(objs, batch_size=BATCH)


def _apply(ctx: Context, slug: str, reason: str, tell: Progress) -> None:
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    writer = Writer(committee=_apply_committee(ctx, slug), user=user, now=timezone.now(), reason=reason)
    for names in ctx.names.by_id:
        writer.load(names)
    order = {s.defines: s.order for s in ledger_sheets() if s.defines}
    waiting: dict[Names, list[tuple[Sheet, list[Row], str]]] = {}
    total, done = sum(len(rows) for rows in ctx.sheets.values()), 0
    for spec in ledger_sheets():
        if spec is COMMITTEE:
            continue
        tell("apply", done, total)
        done += len(ctx.sheets.get(spec.name, ()))
        rows = [r for r in ctx.sheets.get(spec.name, []) if r.action in (CREATE, UPDATE)]
        # A column naming what a later sheet defines (a branch's secretary) is
        # set once that sheet is written.
        later = {c.field: c.names for c in spec.columns if c.names and order.get(c.names, 0) > spec.order}
        if rows:
            spec.apply(writer, rows, skip=frozenset(later))
            for name, names in later.items():
                waiting.setdefault(names, []).append((spec, rows, name))
        if spec.defines:
            _create_named(ctx, writer, spec.defines)
            for waiting_spec, waiting_rows, name in waiting.pop(spec.defines, []):
                objs = [r.obj for r in waiting_rows if name in r.values and waiting_spec.assign(writer, r, [name])]
                writer.update(waiting_spec.model, objs, {name})


def _create_named(ctx: Context, writer: Writer, names: Names) -> None:
    model = names.model
    new = [model(committee=writer.committee, created_by=writer.user, **{names.field: n}) for n in ctx.implicit.get(names, ())]
    writer.create(model, new)
    writer.load(names)


def _apply_committee(ctx: Context, slug: str) -> Committee:
    rows = ctx.sheets.get(COMMITTEE.name) or []
    if ctx.committee is None:
        try:
            with transaction.atomic():
                return Committee.objects.create(slug=slug, **rows[0].values)
        except IntegrityError:
            raise CommitteeTaken() from None
    if rows and rows[0].action == UPDATE:
        for name in rows[0].changed:
            setattr(ctx.committee, name, rows[0].values[name])
        ctx.committee.save(update_fields=rows[0].changed)
    return ctx.committee
