"""The record types of every app, each declared once: its label, model, pages
(form, list columns, FilterSet), year and date fields, who may write it. The
generic record pages (:mod:`portal.crud`), the dashboard counts, the year
selector and the trash all read these declarations, so none of them needs to
know an app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Column:
    """One column of a list page (and of its xlsx export)."""

    field: str  # a model field or a dotted path ("person.title")
    label: str
    sort: str | None = ""  # the ORM ordering key; "" = the field itself, None = not sortable
    display: Callable[[Any], Any] | None = None  # obj -> shown value, instead of the field's

    @property
    def sort_key(self) -> str | None:
        if self.sort is None:
            return None
        return self.sort or self.field.replace(".", "__")


@dataclass(frozen=True)
class RecordType:
    key: str  # "<app label>.<name>", e.g. "study.session"; also the prefix of its rules
    label: str  # Chinese label: list title, dashboard, trash
    model: type[Model]
    date_field: str | None = "date"  # DateField of the year filter and the date range, or None
    list_url: str | None = None  # URL name of the list page; default: its own, if it has pages
    year_field: str | None = None  # an integer year field, when there is no date
    dashboard: bool = True
    # -- the record pages (portal.crud); types without a form have none ------------------
    form: type | None = None
    filterset: type | None = None  # a portal.filters.RecordFilterSet
    columns: tuple[Column, ...] = ()
    export_columns: tuple[Column, ...] | None = None  # default: the columns
    detail_fields: tuple[str, ...] | None = None  # default: the form's fields
    writers: Any = None  # a predicate of portal.rules; default: the office
    branch_field: str | None = None  # set when the record belongs to a branch
    ordering: tuple[str, ...] = ("-date", "-id")
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    queryset: Callable | None = None  # actor -> QuerySet, instead of the scoped model rows
    save: Callable | None = None  # (actor, form) -> record, instead of portal.services.record_save
    list_template: str = "records/list.html"
    detail_template: str = "records/detail.html"
    list_context: Callable | None = None  # (request, queryset) -> extra list context
    detail_context: Callable | None = None  # (request, obj) -> extra detail context
    detail_rows: Callable | None = None  # (actor, obj, rows) -> rows, e.g. to hide a secret
    # The rule of portal.rules an actor must also pass to read this type's attachments
    # (talks: their confidential summaries); None = whoever reads the record.
    attachment_reader: str | None = None

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def app_label(self) -> str:
        return self.key.split(".", 1)[0]

    def rule(self, action: str) -> str:
        return f"{self.key}.{action}"

    @property
    def rules(self) -> dict[str, str]:
        """Rule names by action, for templates: ``{% test_rule record_type.rules.change actor obj as may %}``."""
        return {action: self.rule(action) for action in ("add", "change", "delete", "history")}

    @property
    def url_names(self) -> dict[str, str]:
        """URL names by action, for templates: ``{% url record_type.url_names.detail obj.pk %}``."""
        actions = ("list", "create", "detail", "update", "delete", "history", "history_restore")
        return {action: self.url_name(action) for action in actions}

    def url_name(self, action: str) -> str:
        return f"{self.app_label}:{self.name}_{action}"

    def url(self, action: str, pk=None) -> str:
        return reverse(self.url_name(action), args=[pk] if pk is not None else [])

    def __post_init__(self):
        if self.list_url is None and self.form is not None:
            object.__setattr__(self, "list_url", self.url_name("list"))

    @property
    def url_list(self) -> str:
        return reverse(self.list_url)

    @property
    def url_create(self) -> str:
        return self.url("create")

    def history_url(self, pk) -> str | None:
        try:
            return self.url("history", pk)
        except NoReverseMatch:
            return None

    def rows(self, actor) -> QuerySet:
        """The rows the actor may read."""
        from .access import scope

        if self.queryset is not None:
            qs = self.queryset(actor)
        else:
            qs = scope(actor, self.model.objects.all(), self.branch_field)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_object(self, actor, pk) -> Model:
        """The row with this pk if the actor may read it; 404 otherwise."""
        try:
            return self.rows(actor).get(pk=int(pk))
        except (ValueError, TypeError, self.model.DoesNotExist):
            raise Http404 from None

    def in_year(self, qs: QuerySet, year: int) -> QuerySet:
        if self.year_field:
            return qs.filter(**{self.year_field: year})
        if self.date_field:
            return qs.filter(**{f"{self.date_field}__year": year})
        return qs

    @property
    def has_year(self) -> bool:
        return bool(self.year_field or self.date_field)


RECORD_TYPES: dict[str, RecordType] = {}
# Called with each record type as it is registered (portal.rules installs its rules
# this way, so the registry needs no import of the rules).
_ON_REGISTER: list[Callable[[RecordType], None]] = []


def on_register(func: Callable[[RecordType], None]) -> None:
    _ON_REGISTER.append(func)
    for record_type in RECORD_TYPES.values():
        func(record_type)


def register(record_type: RecordType) -> None:
    RECORD_TYPES[record_type.key] = record_type
    for func in _ON_REGISTER:
        func(record_type)


def record_type_for(model: type[Model]) -> RecordType | None:
    for rt in RECORD_TYPES.values():
        if rt.model is model:
            return rt
    return None


@dataclass(frozen=True)
class NavArea:
    key: str
    label: str
    order: int
    # (label, URL name) or (label, URL name, the rule of portal.rules that shows the link)
    links: tuple[tuple, ...]
    rule: str | None = None  # the rule that shows the area; None = everyone


NAV_AREAS: dict[str, NavArea] = {}

# Callables (request, actor, year) -> list of {"template": str, "context": dict},
# rendered on the dashboard below the counts, in registration order; a panel
# with "lead": True (what awaits the user, e.g. a letter to sign) comes first,
# above the counts, so a phone shows it without scrolling.
DASHBOARD_PANELS: list = []


def register_nav(area: NavArea) -> None:
    NAV_AREAS[area.key] = area


def register_dashboard_panel(func) -> None:
    if func not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(func)


# Ledger sheets (portal.ledger.sheets.Sheet): each app registers its own in
# ready(); the workbook lists them by their ``order`` (ledger-format.md).
LEDGER_SHEETS: dict[str, object] = {}


def register_sheet(sheet) -> None:
    LEDGER_SHEETS[sheet.name] = sheet


def ledger_sheets() -> list:
    return sorted(LEDGER_SHEETS.values(), key=lambda sheet: sheet.order)
