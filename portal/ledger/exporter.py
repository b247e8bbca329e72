"""Write a committee's ledger workbook for one year (or the empty template).

Every sheet of ledger-format.md in its order, headers exactly as documented,
a frozen header row, column widths and date cells; the organisation sheets
(支部, 人员, 科室测站, 宣传阵地) are written whole, the others for the year.
Text that a spreadsheet could run as a formula (starting with = + - @, tab
or NUL) is written as a text cell with the quote prefix, never as a formula.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.models import Branch, Committee, Person

from . import parse
from .cells import cell_values, current_letters, extra_values
from .sheets import LETTER_SIGNED, SHEETS, Sheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\0")


def ledger_filename(committee: Committee, year: int | None) -> str:
    return f"{committee.slug}-台账-{year}.xlsx" if year else "台账模板.xlsx"


def ledger_export(*, committee: Committee, year: int, include_summaries: bool) -> bytes:
    """The workbook as bytes; talk summaries only when ``include_summaries``."""
    branch_names = dict(Branch.objects.filter(committee=committee).values_list("id", "name"))
    person_names = dict(Person.objects.filter(committee=committee).values_list("id", "name"))
    workbook = Workbook(write_only=True)
    for spec in SHEETS:
        worksheet = _sheet(workbook, spec)
        for values in _rows(spec, committee, year, branch_names, person_names, include_summaries):
            worksheet.append([_cell(worksheet, spec.columns[i].kind, v) for i, v in enumerate(values)])
    return _save(workbook)


def ledger_template() -> bytes:
    """All sheets with their headers and nothing else."""
    workbook = Workbook(write_only=True)
    for spec in SHEETS:
        _sheet(workbook, spec)
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, spec: Sheet):
    worksheet = workbook.create_sheet(spec.name)
    for index, column in enumerate(spec.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    return worksheet


def _rows(spec: Sheet, committee, year, branch_names, person_names, include_summaries):
    if spec.model is None:
        yield [committee.name, committee.short_name, committee.unit_name, committee.superiors]
        return
    objects = _objects(spec, committee, year)
    extra = extra_values(spec, objects)
    for obj in objects:
        values = cell_values(spec, obj, branch_names, person_names, extra)
        if spec.name == "谈心谈话" and not include_summaries:
            values["summary"] = ""
        if "branches" in values:  # inspected branches in branch order
            values["branches"] = [branch_names[b] for b in extra.get(obj.pk, ()) if b in branch_names]
        yield [_export_value(spec, column, values) for column in spec.columns]


def _objects(spec: Sheet, committee, year) -> list:
    if spec.name == "责任书":
        return current_letters(committee, year)
    qs = spec.model.objects.filter(committee=committee)
    if spec.year_field:
        lookup = spec.year_field if spec.year_kind == "int" else f"{spec.year_field}__year"
        qs = qs.filter(**{lookup: year})
    return list(qs.order_by(*spec.ordering))


def _export_value(spec: Sheet, column, values):
    kind = column.kind
    if kind == "bool":
        return parse.YES if values[column.field] else parse.NO
    if kind == "choice":
        return column.values.get(values[column.field], values[column.field])
    if kind == "branches":
        return "、".join(values[column.field])
    if kind == "survey":
        if values["is_special_survey"]:
            return values["survey_topic"] or parse.YES
        return parse.NO
    if kind == "status":
        return values["status"] or LETTER_SIGNED
    return values[column.field]


def _cell(worksheet, kind: str, value):
    if value is None or value == "":
        return None
    if kind == "month":
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = "yyyy-mm"
        return cell
    if kind == "rate":
        cell = WriteOnlyCell(worksheet, value=float(Decimal(value) / 100))
        cell.number_format = "0.00%"
        return cell
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime.date, int, float)):
        return value
    return text_cell(worksheet, str(value))


def text_cell(worksheet, value: str):
    """Text for a write-only sheet; one that a spreadsheet would run as a formula stays text."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    cell.quotePrefix = True
    return cell
