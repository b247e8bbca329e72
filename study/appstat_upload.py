"""Reading an uploaded 学习强国 sheet (see ledger-format.md) into a plan.

The file is untrusted. What makes a workbook acceptable (size, a real xlsx,
no encrypted or old .xls file, no zip bomb) and how a month, a rate and a
number are read are the ledger import's rules (``portal.ledger.files`` and
``portal.ledger.parse``), so both uploads accept and refuse the same cells.
What is specific to this upload stays here: the one sheet and its columns,
the list of row/column errors, the bound on rows (the previewed plan is held
in the session), the create/update/unchanged plan and the export.

Nothing is written here; :func:`study.services.appstat_upload_apply` writes a
valid plan, which the preview keeps in the session as plain values between
the two steps.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, NamedTuple

from django.utils.translation import gettext as _

from portal.ledger import parse
from portal.ledger.files import LedgerFileError, check_workbook_file
from portal.models import Branch, Committee

from .models import StudyAppStat

# The previewed plan lives in the session, so its size is bounded here rather
# than by the ledger's much larger per-sheet bound.
MAX_ROWS = 2000
SHEET = "学习强国"
COL_MONTH, COL_BRANCH, COL_RATE, COL_SCORE = "月份", "支部", "活跃率", "日人均积分"
REQUIRED = [COL_MONTH, COL_RATE, COL_SCORE]
RATE_FORMAT = "0.00%"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "不变"}


class UploadRejected(Exception):
    """The file as a whole cannot be read (not an xlsx, too large, no sheet)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("工作表“%(sheet)s”第 %(row)s 行“%(col)s”列：%(msg)s") % {
            "sheet": SHEET,
            "row": self.row,
            "col": self.column,
            "msg": self.message,
        }


@dataclass
class PlannedRow:
    row: int
    month: datetime.date
    branch: Branch | None
    activity_rate: Decimal
    avg_score: Decimal
    action: str = CREATE

    @property
    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action])

    def as_session(self) -> dict:
        return {
            "row": self.row,
            "month": self.month.isoformat(),
            "branch": self.branch.pk if self.branch else None,
            "activity_rate": str(self.activity_rate),
            "avg_score": str(self.avg_score),
        }


@dataclass
class UploadPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTION_LABELS}


class Cell(NamedTuple):
    """What is kept of a sheet cell: its value and, for rates, its number format."""

    value: Any
    number_format: str | None = None


BLANK = Cell(None)


def read_upload(upload: IO[bytes]) -> IO[bytes]:
    """The upload, rewound, once the ledger's file checks accept it as a workbook."""
    try:
        check_workbook_file(upload)
    except LedgerFileError as exc:
        raise UploadRejected(str(exc)) from None
    return upload


def parse_appstat_workbook(*, committee: Committee, data: bytes | IO[bytes]) -> UploadPlan:
    """Validate every row of the 学习强国 sheet and say what each would change.

    ``data`` is the file's bytes or the uploaded file itself; either is checked
    by :func:`read_upload` before openpyxl sees it.
    """
    from openpyxl import load_workbook

    source = read_upload(io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data)
    broken = _("文件已损坏，无法作为 .xlsx 工作簿读取。")
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise UploadRejected(broken) from None
    try:
        header, rows = _read_sheet(_sheet(workbook))
    except UploadRejected:
        raise
    except Exception:  # malformed sheet XML surfaces only while streaming rows
        raise UploadRejected(broken) from None
    finally:
        workbook.close()
    return _plan(committee, header, rows)


def _sheet(workbook):
    if SHEET in workbook.sheetnames:
        sheet = workbook[SHEET]
    elif len(workbook.sheetnames) == 1:
        sheet = workbook[workbook.sheetnames[0]]
    else:
        raise UploadRejected(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": SHEET})
    if not hasattr(sheet, "iter_rows"):  # a chart sheet
        raise UploadRejected(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": SHEET})
    return sheet


def _read_sheet(sheet) -> tuple[dict[str, int] | None, list[dict[str, Cell]]]:
    """The header's columns and the data rows' cells, at most one row past MAX_ROWS."""
    # Read to the real end, as the ledger does: openpyxl otherwise trusts the
    # sheet's declared dimension, and a wrong one would silently drop rows.
    sheet.reset_dimensions()
    rows_iter = sheet.iter_rows()
    header_cells = next(rows_iter, None)
    if header_cells is None:
        return None, []
    columns = _header(header_cells)
    if any(c not in columns for c in REQUIRED):
        return columns, []
    rows = []
    for cells in rows_iter:
        rows.append(
            {
                name: Cell(cells[i].value, getattr(cells[i], "number_format", None)) if i < len(cells) else BLANK
                for name, i in columns.items()
            }
        )
        if len(rows) > MAX_ROWS:
            break
    return columns, rows


def _plan(committee: Committee, columns: dict[str, int] | None, rows: list[dict[str, Cell]]) -> UploadPlan:
    plan = UploadPlan()
    if columns is None:
        plan.errors.append(RowError(1, COL_MONTH, _("工作表为空，缺少表头。")))
        return plan
    missing = [c for c in REQUIRED if c not in columns]
    for name in missing:
        plan.errors.append(RowError(1, name, _("缺少必填列“%(col)s”。") % {"col": name}))
    if missing:
        return plan
    branches = {b.name: b for b in Branch.objects.filter(committee=committee)}
    seen: dict[tuple, int] = {}
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            plan.errors.append(RowError(number, COL_MONTH, _("行数过多，最多 %(n)s 行。") % {"n": MAX_ROWS}))
            break
        if all(parse.is_blank(c.value) for c in values.values()):
            continue
        planned = _row(number, values, branches, plan.errors)
        if planned is None:
            continue
        key = (planned.month, planned.branch.pk if planned.branch else None)
        if key in seen:
            plan.errors.append(
                RowError(number, COL_MONTH, _("与第 %(other)s 行的月份和支部重复。") % {"other": seen[key]})
            )
            continue
        seen[key] = number
        plan.rows.append(planned)
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(2, COL_MONTH, _("工作表中没有数据行。")))
    set_actions(committee, plan.rows)
    return plan


def _header(cells) -> dict[str, int]:
    """Column name → index; a trailing ``*`` (required mark, as exported) is ignored."""
    columns = {}
    for i, cell in enumerate(cells):
        name = parse.text(cell.value).rstrip("*＊").strip()
        if name:
            columns.setdefault(name, i)
    return columns


def _row(number: int, values: dict[str, Cell], branches: dict, errors: list[RowError]) -> PlannedRow | None:
    before = len(errors)
    month = _required(number, COL_MONTH, values, errors, lambda c: parse.month(c.value))
    branch = None
    name = parse.text(values.get(COL_BRANCH, BLANK).value)
    if name:
        branch = branches.get(name)
        if branch is None:
            errors.append(RowError(number, COL_BRANCH, _("找不到名为“%(name)s”的支部。") % {"name": name}))
    rate = _required(number, COL_RATE, values, errors, lambda c: parse.rate(c.value, c.number_format))
    score = _required(number, COL_SCORE, values, errors, lambda c: parse.decimal(c.value))
    if len(errors) > before:
        return None
    return PlannedRow(number, month, branch, rate, score)


def _required(number: int, column: str, values: dict[str, Cell], errors: list[RowError], read):
    """The cell read by a ledger parser; a blank or unreadable cell is a row error."""
    cell = values[column]
    if parse.is_blank(cell.value):
        errors.append(RowError(number, column, _("必填项为空")))
        return None
    try:
        return read(cell)
    except parse.CellError as exc:
        errors.append(RowError(number, column, str(exc)))
        return None


def plan_from_session(*, committee: Committee, items: list[dict]) -> UploadPlan:
    """Rebuild a previewed plan kept in the session (already validated then)."""
    branches = {b.pk: b for b in Branch.objects.filter(committee=committee)}
    plan = UploadPlan()
    for item in items:
        number = item["row"]
        branch = branches.get(item["branch"]) if item["branch"] is not None else None
        if item["branch"] is not None and branch is None:
            plan.errors.append(RowError(number, COL_BRANCH, _("该支部已不存在。")))
            continue
        plan.rows.append(
            PlannedRow(
                row=number,
                month=datetime.date.fromisoformat(item["month"]),
                branch=branch,
                activity_rate=Decimal(item["activity_rate"]),
                avg_score=Decimal(item["avg_score"]),
            )
        )
    set_actions(committee, plan.rows)
    return plan


def set_actions(committee: Committee, rows: list[PlannedRow]) -> None:
    if not rows:
        return
    months = {r.month for r in rows}
    existing = {
        (s.month, s.branch_id): s
        for s in StudyAppStat.objects.filter(committee=committee, month__in=months)
    }
    for r in rows:
        stat = existing.get((r.month, r.branch.pk if r.branch else None))
        if stat is None:
            r.action = CREATE
        elif stat.activity_rate == r.activity_rate and stat.avg_score == r.avg_score:
            r.action = UNCHANGED
        else:
            r.action = UPDATE


def export_workbook(stats) -> bytes:
    """The 学习强国 sheet for these rows, in the upload's format (a round trip)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([f"{COL_MONTH}*", COL_BRANCH, f"{COL_RATE}*", f"{COL_SCORE}*"])
    for stat in stats:
        sheet.append([f"{stat.month:%Y-%m}", None, float(stat.activity_rate / 100), float(stat.avg_score)])
        row = sheet.max_row
        # A percentage cell holds the fraction, as the ledger export writes it;
        # a bare 1 would read back as 100 % (parse.rate), a formatted one cannot.
        sheet.cell(row=row, column=3).number_format = RATE_FORMAT
        if stat.branch is not None:
            # Assigned after append so that a name like "=..." stays text, never a formula.
            cell = sheet.cell(row=row, column=2)
            cell.value = stat.branch.name
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
