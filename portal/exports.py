"""A record list as an xlsx workbook: the rows the list shows, as shown."""

from __future__ import annotations

import datetime
import io
from typing import Any, Iterable

from django.utils import timezone


def _value(worksheet, value: Any):
    from .ledger.columns import text_cell  # the ledger's formula-injection guard

    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        return value
    return text_cell(worksheet, str(value))


def list_xlsx(title, headers: list, rows: Iterable[list], year: int | None) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of one sheet: a header row, then the rows."""
    from openpyxl import Workbook

    from .ledger.exporter import CONTENT_TYPE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"{title}-{year}.xlsx" if year else f"{title}.xlsx"
    return filename, CONTENT_TYPE, buffer.getvalue()
