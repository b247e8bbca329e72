"""Reading an uploaded 学习强国 sheet (see ledger-format.md) into a plan.

The file is untrusted: its size is bounded, it must be a real xlsx (a zip
whose members stay small once inflated), and openpyxl reads it in read-only
mode (defusedxml is installed, so openpyxl parses its XML safely). Nothing is
written here; :func:`study.services.appstat_upload_apply` writes a valid plan,
which the preview keeps in the session as plain values between the two steps.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from portal.models import Branch, Committee

from .models import StudyAppStat

MAX_BYTES = 2 * 1024 * 1024
MAX_INFLATED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 2000
SHEET = "学习强国"
COL_MONTH, COL_BRANCH, COL_RATE, COL_SCORE = "月份", "支部", "活跃率", "日人均积分"
REQUIRED = [COL_MONTH, COL_RATE, COL_SCORE]

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


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refusing anything that is not a small xlsx."""
    if upload.size > MAX_BYTES:
        raise UploadRejected(_("文件过大，上限为 %(mb)s MB。") % {"mb": MAX_BYTES // (1024 * 1024)})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadRejected(_("文件过大，上限为 %(mb)s MB。") % {"mb": MAX_BYTES // (1024 * 1024)})
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadRejected(_("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再上传。"))
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRejected(_("文件不是 Excel 工作簿（.xlsx），请勿上传 CSV、.xls 或其他格式。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UploadRejected(_("文件已损坏，无法作为 .xlsx 工作簿读取。")) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise UploadRejected(_("文件不是 Excel 工作簿（.xlsx），请勿上传 CSV、.xls 或其他格式。"))
    if inflated > MAX_INFLATED_BYTES:
        raise UploadRejected(_("工作簿解压后过大，拒绝处理。"))
    return data


def parse_appstat_workbook(*, committee: Committee, data: bytes) -> UploadPlan:
    """Validate every row of the 学习强国 sheet and say what each would change."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise UploadRejected(_("文件已损坏，无法作为 .xlsx 工作簿读取。")) from None
    try:
        if SHEET in workbook.sheetnames:
            sheet = workbook[SHEET]
        elif len(workbook.sheetnames) == 1:
            sheet = workbook[workbook.sheetnames[0]]
        else:
            raise UploadRejected(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": SHEET})
        return _plan(committee, sheet.iter_rows())
    finally:
        workbook.close()


def _plan(committee: Committee, rows) -> UploadPlan:
    plan = UploadPlan()
    header_row = next(rows, None)
    if header_row is None:
        plan.errors.append(RowError(1, COL_MONTH, _("工作表为空，缺少表头。")))
        return plan
    columns = _header(header_row)
    missing = [c for c in REQUIRED if c not in columns]
    for name in missing:
        plan.errors.append(RowError(1, name, _("缺少必填列“%(col)s”。") % {"col": name}))
    if missing:
        return plan
    branches = {b.name: b for b in Branch.objects.filter(committee=committee)}
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            plan.errors.append(RowError(number, COL_MONTH, _("行数过多，最多 %(n)s 行。") % {"n": MAX_ROWS}))
            break
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        if all(_empty(c) for c in values.values()):
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
    columns = {}
    for i, cell in enumerate(cells):
        if cell.value is None:
            continue
        name = str(cell.value).strip().rstrip("*").rstrip("＊").strip()
        columns.setdefault(name, i)
    return columns


def _empty(cell) -> bool:
    return cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip())


def _row(number: int, values: dict, branches: dict, errors: list[RowError]) -> PlannedRow | None:
    before = len(errors)
    month = _month(values[COL_MONTH])
    if month is None:
        errors.append(RowError(number, COL_MONTH, _("月份无效，应为日期或“2020-06”“2020年6月”格式。")))
    branch = None
    branch_cell = values.get(COL_BRANCH)
    if not _empty(branch_cell):
        name = str(branch_cell.value).strip()
        branch = branches.get(name)
        if branch is None:
            errors.append(RowError(number, COL_BRANCH, _("找不到名为“%(name)s”的支部。") % {"name": name}))
    rate = _percent(values[COL_RATE])
    if rate is None:
        errors.append(RowError(number, COL_RATE, _("活跃率无效，应为 98、98% 或 0.98 这样的数值。")))
    elif not 0 <= rate <= 100:
        errors.append(RowError(number, COL_RATE, _("活跃率应在 0 到 100 之间。")))
    score = _number(values[COL_SCORE])
    if score is None:
        errors.append(RowError(number, COL_SCORE, _("日人均积分无效，应为数值。")))
    elif score < 0:
        errors.append(RowError(number, COL_SCORE, _("日人均积分不能为负数。")))
    elif score >= 10000:
        errors.append(RowError(number, COL_SCORE, _("日人均积分过大。")))
    if len(errors) > before:
        return None
    return PlannedRow(number, month, branch, rate.quantize(Decimal("0.01")), score.quantize(Decimal("0.01")))


MONTH_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?$"),
]


def _month(cell) -> datetime.date | None:
    if _empty(cell):
        return None
    value = cell.value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return datetime.date(value.year, value.month, 1)
    text = str(value).strip()
    for pattern in MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return datetime.date(year, month, 1)
    return None


def _number(cell) -> Decimal | None:
    if _empty(cell) or isinstance(cell.value, bool):
        return None
    value = cell.value
    try:
        number = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _percent(cell) -> Decimal | None:
    """98, "98%", 0.98 or a cell formatted as a percentage all mean 98 %."""
    if _empty(cell) or isinstance(cell.value, bool):
        return None
    value = cell.value
    if isinstance(value, str):
        text = value.strip().rstrip("%").rstrip("％").strip()
        if text != value.strip():
            try:
                number = Decimal(text)
            except InvalidOperation:
                return None
            return number if number.is_finite() else None
    number = _number(cell)
    if number is None:
        return None
    number_format = getattr(cell, "number_format", "") or ""
    if "%" in number_format or 0 < number < 1:
        number *= 100
    return number


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
        # Below 1 a bare number reads back as a fraction (0.98 = 98 %), so say "%".
        rate = float(stat.activity_rate) if stat.activity_rate >= 1 else f"{stat.activity_rate}%"
        sheet.append([f"{stat.month:%Y-%m}", None, rate, float(stat.avg_score)])
        if stat.branch is not None:
            # Assigned after append so that a name like "=..." stays text, never a formula.
            cell = sheet.cell(row=sheet.max_row, column=2)
            cell.value = stat.branch.name
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
