"""The 考核细则 workbook (ASSESSMENT.md): read through the ledger engine's file
checks, cell parsers and columns, so its errors read like the ledger's (sheet,
row, column, reason) and the same bounds hold. Checking never writes; the rows
it returns are written by ``services.rubric_import`` only when there is no error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

import openpyxl
from django.utils.translation import gettext as _

from portal.ledger import parse
from portal.ledger.columns import Choice, Column, Text
from portal.ledger.files import LedgerFileError, check_workbook_file
from portal.ledger.importer import RowError, read_sheet

from . import scoring
from .models import RubricItem

SHEET = "考核细则"
MAX_ITEMS = 500
DEDUCT_RE = re.compile(r"^每缺(?:一|1)次扣\s*(\d+(?:\.\d+)?)\s*分$")


class Points(Column):
    """分值: a positive number in halves."""

    def clean(self, value, number_format):
        number = parse.decimal(value, places=1, low=Decimal("0.5"), high=Decimal(100))
        if not scoring.is_half_step(number):
            raise parse.CellError(_("分值应为整数或半分（如 2.5）"))
        return number


class Target(Column):
    """目标值: a number; ``100%`` keeps its percent sign for the row check."""

    def clean(self, value, number_format):
        raw = value.strip() if isinstance(value, str) else value
        percent = isinstance(raw, str) and raw.endswith(("%", "％"))
        number = parse.decimal(raw[:-1] if percent else raw, low=Decimal(0), high=Decimal("9999999"))
        return number, percent or bool(number_format and "%" in number_format)


class Indicator(Column):
    def clean(self, value, number_format):
        key = parse.text(value)
        if key not in scoring.INDICATORS:
            raise parse.CellError(_("“%(key)s”不是可用的指标") % {"key": key})
        return key


class Method(Column):
    """计分办法: 达标得分, 按比例, or 每缺一次扣N分."""

    def clean(self, value, number_format):
        text = parse.text(value).replace(" ", "")
        if text == "达标得分":
            return RubricItem.Scoring.THRESHOLD, None
        if text == "按比例":
            return RubricItem.Scoring.RATIO, None
        match = DEDUCT_RE.match(text)
        if match:
            per = Decimal(match.group(1))
            if per <= 0 or not scoring.is_half_step(per):
                raise parse.CellError(_("扣分应为大于 0 的整数或半分"))
            return RubricItem.Scoring.DEDUCT, per
        raise parse.CellError(_("计分办法应为“达标得分”“按比例”或“每缺一次扣N分”"))


@dataclass
class Spec:
    name: str
    columns: list


def _spec() -> Spec:
    columns = [
        Text("编号", "code", required=True), Text("一级指标", "category", required=True),
        Text("考核内容", "content", required=True), Points("分值", "points", required=True),
        Choice("评分方式", "method", RubricItem.Method, required=True), Indicator("指标", "indicator"),
        Target("目标值", "target"), Method("计分办法", "scoring"),
    ]
    for column in columns:
        column.bind(RubricItem)
    return Spec(SHEET, columns)


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)  # RubricItem field values, in sheet order
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> Decimal:
        return sum((row["points"] for row in self.rows), Decimal(0))


def check(file: IO[bytes]) -> Checked:
    """Every row of the sheet, or every reason it cannot be imported (LedgerFileError for the file)."""
    check_workbook_file(file)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on malformed XML
        raise LedgerFileError(_("无法读取工作簿，文件可能已损坏。")) from None
    result = Checked()
    spec = _spec()
    try:
        names = [n for n in workbook.sheetnames if n.strip() == SHEET]
        if not names or not hasattr(workbook[names[0]], "iter_rows"):
            raise LedgerFileError(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": SHEET})
        worksheet = workbook[names[0]]
        worksheet.reset_dimensions()
        rows = read_sheet(spec, worksheet, result.errors)
    except LedgerFileError:
        raise
    except Exception:
        raise LedgerFileError(_("无法读取工作簿，文件可能已损坏。")) from None
    finally:
        workbook.close()
    if len(rows) > MAX_ITEMS:
        raise LedgerFileError(_("考核项目最多 %(n)s 项。") % {"n": MAX_ITEMS})
    seen: dict[str, int] = {}
    for row in rows:
        values = _row(row, result.errors)
        code = values.get("code")
        if code and code in seen:
            result.errors.append(RowError(SHEET, row.number, "编号", _("编号与第%(row)s行重复") % {"row": seen[code]}))
        elif code:
            seen[code] = row.number
        result.rows.append(values)
    if not rows and not result.errors:
        result.errors.append(RowError(SHEET, 2, "编号", _("工作表中没有数据行。")))
    if result.ok and result.total != 100:
        result.warnings.append(_("各项分值合计为 %(total)s 分，不是 100 分。") % {"total": result.total.normalize()})
    return result


def _row(row, errors: list[RowError]) -> dict:
    """The item's fields from one read row; the rules that tie its cells together."""
    v = row.values
    values = {"code": v.get("code"), "category": v.get("category"), "content": v.get("content"),
              "points": v.get("points") or Decimal(0), "method": v.get("method"),
              "indicator": "", "target": None, "scoring": "", "deduct_per": None}
    if v.get("method") != RubricItem.Method.AUTO:
        return values

    def missing(column: str, field_name: str) -> bool:
        if v.get(field_name) is None and field_name not in row.unread:
            errors.append(RowError(SHEET, row.number, column, _("自动评分须填写此列")))
        return v.get(field_name) is None

    if not missing("指标", "indicator"):
        values["indicator"] = v["indicator"]
    if not missing("目标值", "target"):
        number, written_as_percent = v["target"]
        if values["indicator"] in scoring.PERCENT_INDICATORS:
            number = scoring.percent_target(number, written_as_percent=written_as_percent)
            if number > 100:
                errors.append(RowError(SHEET, row.number, "目标值", _("百分比目标值不能超过 100%")))
        values["target"] = number
    if not missing("计分办法", "scoring"):
        values["scoring"], values["deduct_per"] = v["scoring"]
    return values
