"""Write a committee's ledger workbook for one year (or the empty template).

Every registered sheet in its order, headers exactly as documented, a frozen
header row, column widths and date cells; the sheets written whole (支部,
人员, 科室测站, 宣传阵地) have no year field. Text that a spreadsheet could run
as a formula (starting with = + - @, tab or NUL) is written as a text cell
with the quote prefix, never as a formula.

So that the workbook imports again, a record that repeats another's natural
key (two entered through the forms) is written once, and a person or branch
in the trash is still named; both are explained in a last sheet, 说明,
which the importer skips.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.models import Committee

from .columns import NameBook
from .importer import NOTES
from .sheets import Sheet, ledger_sheets, sheet_named

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class LedgerExport:
    data: bytes
    notes: list[str] = field(default_factory=list)  # what the 说明 sheet says, if anything


def ledger_filename(committee: Committee, year: int | None) -> str:
    return f"{committee.slug}-台账-{year}.xlsx" if year else "台账模板.xlsx"


def ledger_export(*, committee: Committee, year: int, include_summaries: bool) -> bytes:
    """The workbook as bytes; confidential columns (talk summaries) only when ``include_summaries``."""
    return ledger_workbook(committee=committee, year=year, include_summaries=include_summaries).data


def ledger_workbook(*, committee: Committee, year: int, include_summaries: bool) -> LedgerExport:
    sheets = ledger_sheets()
    names = NameBook(committee, {c.names for s in sheets for c in s.columns if c.names})
    workbook = Workbook(write_only=True)
    notes: list[str] = []
    trashed: dict[tuple[str, str], None] = {}
    for spec in sheets:
        objects = spec.objects(committee, year)
        rows = _unique(spec, spec.current(objects, names), notes)
        _write(workbook, spec, rows, include_summaries)
        for values in rows:
            for column in spec.columns:
                if column.names is not None:
                    for name in column.named(values.get(column.field)):
                        if name in names.trashed[column.names]:
                            trashed[(column.names.label, name)] = None
    notes += [
        _("%(kind)s“%(name)s”已移入回收站，引用它的记录仍写其名称：重新导入本党委时仍对应回收站中的这一条；"
          "导入其他党委前，请先在“%(kind)s”表中补上。") % {"kind": kind, "name": name}
        for kind, name in trashed
    ]
    if notes:
        _notes_sheet(workbook, notes)
    return LedgerExport(_save(workbook), notes)


def ledger_template() -> bytes:
    """All sheets with their headers and nothing else."""
    workbook = Workbook(write_only=True)
    for spec in ledger_sheets():
        _write(workbook, spec, [], include_summaries=False)
    return _save(workbook)


def ledger_sheet_export(*, sheet: str, committee: Committee, objects) -> bytes:
    """A workbook of one sheet holding these records (an upload page's export)."""
    spec = sheet_named(sheet)
    objects = list(objects)
    names = NameBook(committee, {c.names for c in spec.columns if c.names})
    workbook = Workbook(write_only=True)
    _write(workbook, spec, spec.current(objects, names), include_summaries=False)
    return _save(workbook)


def _unique(spec: Sheet, rows: list[dict], notes: list[str]) -> list[dict]:
    """The rows with the first of each natural key; a note for each repeated key."""
    if not spec.key:
        return rows
    seen: dict[tuple, int] = {}
    unique = []
    for values in rows:
        key = spec.key_of(values)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            unique.append(values)
    for values in unique:
        repeats = seen[spec.key_of(values)]
        if repeats > 1:
            described = "、".join(_describe(spec.column(f).export(values.get(f))) for f in spec.key)
            notes.append(
                _("“%(sheet)s”表中有 %(n)s 条记录的%(key)s相同（%(values)s），只导出了第一条；请在系统中核对并删除重复的记录。")
                % {"sheet": spec.name, "n": repeats, "key": spec.key_headers, "values": described}
            )
    return unique


def _describe(value) -> str:
    if value is None or value == "":
        return _("空")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(workbook: Workbook, spec: Sheet, rows: list[dict], include_summaries: bool) -> None:
    worksheet = _sheet(workbook, spec.name, [(c.header, c.width) for c in spec.columns])
    for values in rows:
        cells = []
        for column in spec.columns:
            value = column.blank if column.confidential and not include_summaries else values.get(column.field)
            cells.append(column.cell(worksheet, column.export(value)))
        worksheet.append(cells)


def _sheet(workbook: Workbook, name: str, columns: list[tuple[str, int]]):
    worksheet = workbook.create_sheet(name)
    for index, (_header, width) in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _width in columns:
        cell = WriteOnlyCell(worksheet, value=title)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    return worksheet


def _notes_sheet(workbook: Workbook, notes: list[str]) -> None:
    worksheet = _sheet(workbook, NOTES, [(_("说明"), 100)])
    for note in notes:
        worksheet.append([note])
