"""A sheet of the ledger workbook (ledger-format.md): its name, its place in
the workbook, the model its rows are, its columns and its natural key.

Apps declare their sheets in their own ``ledger`` module and register them in
``ready()`` with :func:`portal.registry.register_sheet`. What one sheet does
differently is a column class or an override of one of the hooks below
(``objects``, ``current``, ``plan_row``, ``candidate``, ``row_errors``,
``apply``), never a test of its name in the engine.

Every row that would create or change a record is checked by the record's own
rules (:meth:`Sheet.row_errors`: its field validators, ``clean()`` and
``clean_m2m()``), the ones its forms and the admin apply, so a workbook cannot
hold what a form refuses.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from portal import registry

from .columns import Column, NameBook, Names

if TYPE_CHECKING:
    from .importer import Context, Row, Writer

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class RowRefused(Exception):
    """A row that cannot be imported as it stands; the column and the Chinese reason."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


class Sheet:
    def __init__(
        self,
        name: str,
        order: int,
        model: type[Model],
        columns: tuple[Column, ...],
        *,
        key: tuple[str, ...],
        year_field: str | None = None,  # a date or a year number; None: the export writes all rows
        ordering: tuple[str, ...] | None = None,  # default: by date, else by id
        defines: Names | None = None,  # the sheet whose rows define these names
    ):
        self.name = name
        self.order = order
        self.model = model
        self.columns = columns
        self.key = key
        self.year_field = year_field
        dated = year_field is not None and model._meta.get_field(year_field).get_internal_type() == "DateField"
        self.year_lookup = f"{year_field}__year" if dated else year_field
        self.ordering = ordering or ((year_field, "id") if dated else ("id",))
        self.defines = defines
        self._by_field = {column.field: column for column in columns}
        for column in columns:
            column.bind(model)

    def __repr__(self) -> str:
        return f"<Sheet {self.name}>"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return self._by_field[field_name]

    @property
    def key_headers(self) -> str:
        return "、".join(self.column(f).header for f in self.key)

    def key_of(self, values: dict[str, Any]) -> tuple:
        return tuple(self.column(f).key(values.get(f)) for f in self.key)

    # --- hooks ------------------------------------------------------------

    def objects(self, committee, year: int | None = None) -> list:
        """The committee's live records, of ``year`` when given (the export)."""
        qs = self.model.objects.filter(committee=committee)
        if year is not None and self.year_field:
            qs = qs.filter(**{self.year_lookup: year})
        return list(qs.order_by(*self.ordering))

    def current(self, objects: list, names: NameBook) -> list[dict[str, Any]]:
        """Each record's values as the sheet's cells hold them."""
        extra = {column.field: column.prefetch(objects) for column in self.columns}
        return [{c.field: c.stored(obj, names, extra[c.field]) for c in self.columns} for obj in objects]

    def plan_row(self, row: Row, match: tuple[Any, dict] | None, ctx: Context) -> None:
        """Set the row's action (and record and changed fields) or raise RowRefused;
        ``ctx`` says which committee is imported into and by whom."""
        if match is None:
            row.action = CREATE
            return
        row.obj, stored = match
        row.changed = [f for f, value in row.values.items() if not self.column(f).same(value, stored.get(f))]
        row.action = UPDATE if row.changed else UNCHANGED

    def candidate(self, row: Row, ctx: Context) -> Model:
        """The record as the row would leave it, unsaved: a new one, or a copy of
        the matched record with the row's changed cells applied. People and
        branches come from ``ctx.lookup`` (one not written yet is a stand-in)."""
        if row.obj is None:
            record, fields = self.model(committee=ctx.committee), row.values
        else:
            record, fields = copy.copy(row.obj), row.changed
        for name in fields:
            self.column(name).assign(record, row.values[name], ctx.lookup)
        return record

    def row_errors(self, row: Row, ctx: Context, unread: set[str] = frozenset()) -> list[tuple[str, str]]:
        """The record's own rules on the row's record, as (column, reason) pairs;
        fields whose cells could not be read (``unread``) are left out, as a
        form leaves out a field already in error.

        Relations are not validated here: the engine has resolved every name
        within the committee already (and a stand-in has no row to find)."""
        record = self.candidate(row, ctx)
        relations = {f.name for f in self.model._meta.get_fields() if f.is_relation}
        errors: dict[str, list[str]] = {}
        try:
            record.full_clean(exclude=relations | set(unread), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.message_dict
        linked = {
            c.field: [ctx.lookup.resolve(c.names, name) for name in row.values[c.field]]
            for c in self.columns
            if c.many and c.field in row.values
        }
        if linked and not errors:
            try:
                record.clean_m2m(linked)
            except ValidationError as exc:
                errors = exc.message_dict
        return [(self.header_of(name), message) for name, messages in errors.items() for message in messages]

    def header_of(self, field_name: str) -> str:
        """The column to blame for an error of a model field."""
        if field_name == NON_FIELD_ERRORS:
            return ""
        for column in self.columns:
            if field_name == column.field or field_name in column.also:
                return column.header
        return str(self.model._meta.get_field(field_name).verbose_name)

    def apply(self, writer: Writer, rows: list[Row], skip: frozenset[str] = frozenset()) -> None:
        """Write the rows to create or update (all or nothing: inside the import's transaction)."""
        new_rows, changed_objs, changed_fields = [], [], set()
        for row in rows:
            if row.action == CREATE:
                row.obj = self.model(committee=writer.committee, created_by=writer.user)
                self.assign(writer, row, row.values, skip)
                new_rows.append(row)
            else:
                fields = self.assign(writer, row, row.changed, skip)
                if fields:
                    changed_objs.append(row.obj)
                    changed_fields |= fields
        created = writer.create(self.model, [r.obj for r in new_rows])
        for row, obj in zip(new_rows, created):
            row.obj = obj
        writer.update(self.model, changed_objs, changed_fields)
        for column in self.columns:
            if column.field not in skip:
                column.save(writer, rows)

    def assign(self, writer: Writer, row: Row, fields, skip=frozenset()) -> set[str]:
        """Set the row's values of ``fields`` on its record; the model fields set."""
        result: set[str] = set()
        for name in fields:
            if name not in skip:
                result.update(self.column(name).assign(row.obj, row.values[name], writer))
        return result


def ledger_sheets() -> list[Sheet]:
    """Every registered sheet in the order of ledger-format.md."""
    return registry.ledger_sheets()


def sheet_named(name: str) -> Sheet | None:
    return next((s for s in ledger_sheets() if s.name == name), None)
