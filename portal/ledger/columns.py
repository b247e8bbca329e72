"""The columns of a ledger sheet. Each column knows one header and how to

- ``read`` a cell into a value (``clean`` does the work; a bad cell raises
  :class:`~portal.ledger.parse.CellError` with the Chinese reason),
- give a stored record's value in the same terms (``stored``; people and
  branches by name), so rows and records compare and export alike,
- ``assign`` a value to a record, returning the model fields it set, and
  ``save`` what lives in other tables once the records have ids,
- ``export`` a stored value and write it as a ``cell``.

Sheets build on these; a column special to one sheet subclasses one of them
in that app's ``ledger`` module (pretix's ``ImportColumn`` is the model).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from django.db.models import Model
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import parse

if TYPE_CHECKING:
    from .importer import Row, Writer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\0")
NAME_LENGTH = 100  # a person's or branch's name as a cell


@dataclass(frozen=True)
class Names:
    """People or branches, named in cells by their exact name.

    ``label`` is also the name of the sheet whose rows define them (the sheet
    declared with ``defines=`` this object).
    """

    model: type[Model]
    label: str
    field: str = "name"


class Column:
    blank: Any = None  # the value of an empty cell
    confidential = False  # left empty in exports for readers who may not see it
    names: Names | None = None  # set on columns that name people or branches
    many = False  # a many-to-many field: its records are linked by ``save``
    also: tuple[str, ...] = ()  # other model fields this column sets (their errors are its own)

    def __init__(self, header: str, field: str, *, required: bool = False, width: int = 14):
        self.header = header
        self.field = field
        self.required = required
        self.width = width

    def bind(self, model: type[Model]) -> None:
        """Called once by the sheet with its model."""
        self.model = model

    # --- reading --------------------------------------------------------

    def read(self, cell) -> Any:
        value = cell.value
        if parse.is_blank(value):
            if self.required:
                raise parse.CellError(_("必填项为空"))
            return self.blank
        return self.clean(value, getattr(cell, "number_format", None))

    def clean(self, value, number_format: str | None) -> Any:
        raise NotImplementedError

    def key(self, value) -> Any:
        """The value as part of a natural key."""
        return value

    def same(self, value, stored) -> bool:
        return stored == value

    # --- stored records -------------------------------------------------

    def prefetch(self, objects: list) -> Any:
        """Values kept in other tables, fetched once for all ``objects``."""
        return None

    def stored(self, obj, names: NameBook, extra) -> Any:
        return getattr(obj, self.field)

    # --- writing --------------------------------------------------------

    def assign(self, obj, value, writer: Writer) -> Iterable[str]:
        setattr(obj, self.field, value)
        return (self.field,)

    def save(self, writer: Writer, rows: list[Row]) -> None:
        """After the sheet's records are saved (they have ids now)."""

    # --- export ---------------------------------------------------------

    def export(self, value) -> Any:
        return value

    def cell(self, worksheet, value):
        if value is None or value == "":
            return None
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (datetime.date, int, float)):
            return value
        return text_cell(worksheet, str(value))


def text_cell(worksheet, value: str):
    """Text a spreadsheet could run as a formula becomes a quoted text cell."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    cell.quotePrefix = True
    return cell


class Text(Column):
    blank = ""
    max_length: int | None = None

    def bind(self, model):
        super().bind(model)
        self.max_length = model._meta.get_field(self.field).max_length

    def clean(self, value, number_format):
        result = parse.text(value)
        if self.max_length and len(result) > self.max_length:
            raise parse.CellError(_("超过 %(n)s 个字符") % {"n": self.max_length})
        return result


class Date(Column):
    def clean(self, value, number_format):
        return parse.date(value)


class Month(Column):
    def clean(self, value, number_format):
        return parse.month(value)

    def cell(self, worksheet, value):
        if value is None:
            return None
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = "yyyy-mm"
        return cell


class Bool(Column):
    blank = False

    def clean(self, value, number_format):
        return parse.yes_no(value)

    def export(self, value):
        return parse.YES if value else parse.NO


class Int(Column):
    def clean(self, value, number_format):
        return parse.integer(value)


class Year(Column):
    def clean(self, value, number_format):
        return parse.year(value)


class Quarter(Column):
    def clean(self, value, number_format):
        return parse.quarter(value)


class Rate(Column):
    """A percentage, stored as 0–100, written as a fraction in a percent cell."""

    def clean(self, value, number_format):
        return parse.rate(value, number_format)

    def same(self, value, stored):
        return stored is not None and Decimal(stored) == value

    def cell(self, worksheet, value):
        if value is None:
            return None
        # A bare 1 would read back as 100 %; a percent cell cannot be misread.
        cell = WriteOnlyCell(worksheet, value=float(Decimal(value) / 100))
        cell.number_format = "0.00%"
        return cell


class Number(Column):
    """A decimal with two places, 0–9999.99."""

    def clean(self, value, number_format):
        return parse.decimal(value)

    def same(self, value, stored):
        return stored is not None and Decimal(stored) == value


class Choice(Column):
    """A ``TextChoices`` field, written as its Chinese label."""

    def __init__(self, header, field, choices, **kwargs):
        super().__init__(header, field, **kwargs)
        self.choices = choices
        self._labels: dict[str, dict[str, str]] = {}  # per language: value → label

    def _value_labels(self) -> dict[str, str]:
        language = get_language()
        if language not in self._labels:
            self._labels[language] = {value: str(label) for value, label in self.choices.choices}
        return self._labels[language]

    @property
    def labels(self) -> dict[str, str]:
        """Label → stored value."""
        return {label: value for value, label in self._value_labels().items()}

    def clean(self, value, number_format):
        return parse.choice(value, self.labels)

    def export(self, value):
        return self._value_labels().get(value, value)


class Ref(Column):
    """A person or branch named by its exact name (a foreign key).

    ``creates``: a name that is defined nowhere is created (people named as a
    branch's secretary, branches named as a person's branch).
    """

    def __init__(self, header, field, names: Names, *, creates: bool = False, **kwargs):
        super().__init__(header, field, **kwargs)
        self.names = names
        self.creates = creates

    def clean(self, value, number_format):
        result = parse.text(value)
        if len(result) > NAME_LENGTH:
            raise parse.CellError(_("超过 %(n)s 个字符") % {"n": NAME_LENGTH})
        return result

    def named(self, value) -> Iterable[str]:
        return (value,) if value else ()

    def stored(self, obj, names, extra):
        return names.name(self.names, getattr(obj, f"{self.field}_id"))

    def assign(self, obj, value, writer):
        target = writer.resolve(self.names, value) if value else None
        if getattr(obj, f"{self.field}_id") == (target.pk if target else None):
            return ()
        setattr(obj, self.field, target)
        return (self.field,)


class RefSet(Ref):
    """Several branches (a many-to-many field), names joined by 、."""

    blank = ()
    many = True

    def clean(self, value, number_format):
        names = parse.names(value)
        for name in names:
            if len(name) > NAME_LENGTH:
                raise parse.CellError(_("超过 %(n)s 个字符") % {"n": NAME_LENGTH})
        return names

    def named(self, value):
        return sorted(value)

    def key(self, value):
        return frozenset(value or ())

    def same(self, value, stored):
        return frozenset(value) == frozenset(stored or ())

    def _through(self):
        field = self.model._meta.get_field(self.field)
        return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()

    def prefetch(self, objects):
        through, source, target = self._through()
        rows = through.objects.filter(**{f"{source}_id__in": [o.pk for o in objects]}).order_by(f"{target}_id")
        result: dict[int, list[int]] = {}
        for obj_id, target_id in rows.values_list(f"{source}_id", f"{target}_id"):
            result.setdefault(obj_id, []).append(target_id)
        return result

    def stored(self, obj, names, extra):
        """The names in the order of the branches' ids."""
        return tuple(names.name(self.names, pk) for pk in extra.get(obj.pk, ()))

    def assign(self, obj, value, writer):
        return ()  # written by save(), once the record has an id

    def save(self, writer, rows):
        through, source, target = self._through()
        touched = [r for r in rows if self.field in r.values and (r.action == "create" or self.field in r.changed)]
        through.objects.filter(**{f"{source}_id__in": [r.obj.pk for r in touched if r.action == "update"]}).delete()
        links = []
        for row in touched:
            targets = sorted((writer.resolve(self.names, name) for name in row.values[self.field]), key=lambda t: t.pk)
            links += [through(**{f"{source}_id": row.obj.pk, f"{target}_id": t.pk}) for t in targets]
        writer.bulk(through, links)

    def export(self, value):
        return "、".join(value)


class NameBook:
    """Names of a committee's people and branches, including those in the
    trash: a record keeps naming a person who was moved there later."""

    def __init__(self, committee, tables: Iterable[Names]):
        self.by_id: dict[Names, dict[int, str]] = {}
        self.live: dict[Names, set[str]] = {}
        self.trashed: dict[Names, set[str]] = {}
        for names in tables:
            rows = names.model.all_objects.filter(committee=committee) if committee else names.model.objects.none()
            rows = list(rows.values_list("id", names.field, "deleted_at"))
            self.by_id[names] = {pk: name for pk, name, _ in rows}
            self.live[names] = {name for _, name, deleted in rows if deleted is None}
            self.trashed[names] = {name for _, name, deleted in rows if deleted is not None} - self.live[names]

    def name(self, names: Names, pk: int | None) -> str | None:
        return self.by_id[names].get(pk) if pk is not None else None

    def known(self, names: Names) -> set[str]:
        return self.live[names] | self.trashed[names]
