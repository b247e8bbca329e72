"""The record types of every app, registered once so that cross-cutting pages
(dashboard counts, the year selector, the trash) need not know each app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class RecordType:
    key: str  # e.g. "study.session"
    label: str  # Chinese plural label shown on the dashboard
    model: type[Model]
    date_field: str | None  # DateField used for the year filter, or None
    list_url: str | None  # URL name of the list page
    year_field: str | None = None  # an integer year field, when there is no date
    dashboard: bool = True


RECORD_TYPES: dict[str, RecordType] = {}


def register(record_type: RecordType) -> None:
    RECORD_TYPES[record_type.key] = record_type


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
    # (label, URL name) or (label, URL name, roles allowed to see the link)
    links: tuple[tuple, ...]
    roles: tuple[str, ...] | None = None  # roles that see the area; None = everyone


NAV_AREAS: dict[str, NavArea] = {}

# Callables (request, actor, year) -> list of {"template": str, "context": dict},
# rendered on the dashboard below the counts, in registration order.
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
