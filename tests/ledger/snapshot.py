"""A workbook as plain, JSON-able values: every sheet's cells with their type,
number format and quote prefix, the column widths and the frozen pane. Used to
compare an export with one made before the ledger engine was reorganised."""

from __future__ import annotations

import datetime
import io

import openpyxl


def _value(value):
    if isinstance(value, datetime.datetime):
        return f"datetime:{value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"date:{value.isoformat()}"
    return value


def workbook_snapshot(data: bytes) -> dict:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    result = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                entry = [_value(cell.value), cell.data_type]
                if cell.number_format != "General":
                    entry.append(cell.number_format)
                if cell.quotePrefix:
                    entry.append("quotePrefix")
                cells.append(entry)
            rows.append(cells)
        widths = {key: dim.width for key, dim in sorted(sheet.column_dimensions.items()) if dim.width}
        result[sheet.title] = {"freeze": sheet.freeze_panes, "widths": widths, "rows": rows}
    return result
