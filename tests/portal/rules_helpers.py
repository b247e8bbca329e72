"""One record written the three ways a user can: as a record form's POST, as a
ledger row and as an admin POST. A record is a dict of model field names to
values in ledger terms: people and branches by name (a tuple of names for a
many-to-many field), choices by their stored value, dates as dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import ForeignKey, ManyToManyField

from portal.ledger.columns import Rate
from portal.ledger.sheets import Sheet, sheet_named
from portal.models import Branch, Person
from portal.registry import RecordType

from tests.ledger.helpers import xlsx

MONTH_FIELDS = {"month"}


def _related(model, field_name: str, committee, name: str):
    target = model._meta.get_field(field_name).related_model
    lookup = Person if target is Person else Branch
    return lookup.objects.get(committee=committee, name=name).pk


def _post_value(model, name: str, value, committee, *, admin: bool):
    field = model._meta.get_field(name)
    if value is None:
        return ""
    if isinstance(field, ManyToManyField):
        return [_related(model, name, committee, n) for n in value]
    if isinstance(field, ForeignKey):
        return _related(model, name, committee, value)
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m}" if name in MONTH_FIELDS and not admin else value.isoformat()
    return str(value)


def form_data(rt: RecordType, record: dict, committee) -> dict:
    data = {}
    for name in rt.form.base_fields:
        if name in record:
            value = _post_value(rt.model, name, record[name], committee, admin=False)
            if value is not None:
                data[name] = value
    return data


def admin_data(model, record: dict, committee) -> dict:
    data = {"committee": committee.pk}
    for name, value in record.items():
        posted = _post_value(model, name, value, committee, admin=True)
        if posted is not None:
            data[name] = posted
    return data


def _cell(column, record: dict):
    if column.also:  # 专题调研: flag and topic in one cell
        return column.export((record.get(column.field, False), record.get(column.also[0], "")))
    value = record[column.field]
    if value is None:
        return None
    if isinstance(column, Rate):
        return f"{value}%"  # a bare number up to 1 would be read as a fraction
    value = column.export(value)
    return float(value) if isinstance(value, Decimal) else value


def ledger_sheet(sheet: Sheet | str, record: dict) -> dict[str, list[list]]:
    """The record as row 2 of its sheet (only the columns it gives)."""
    sheet = sheet_named(sheet) if isinstance(sheet, str) else sheet
    columns = [c for c in sheet.columns if c.field in record or (c.also and c.also[0] in record)]
    return {sheet.name: [[c.header for c in columns], [_cell(c, record) for c in columns]]}


def ledger_file(sheet, record: dict):
    return xlsx(ledger_sheet(sheet, record))
