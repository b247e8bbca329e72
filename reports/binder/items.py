"""What the evidence binder holds: its items, from a registered source or,
without one, one item per report figure that has records.

The assessment app registers a source (``register_items_source``) that turns
its scoring sheet into items; the binder knows nothing else about it, so
``reports`` does not depend on the assessment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Model, QuerySet

from portal import figures
from portal.models import Attachment
from portal.registry import record_type_for

# A QuerySet of records, or (model, ids) when a source froze the ids (a submitted assessment).
RecordSet = QuerySet | tuple[type[Model], Sequence[int]]


@dataclass
class BinderItem:
    number: str  # 编号, e.g. "1.2"
    title: str  # 考核内容 (or the figure's label)
    category: str = ""  # 一级指标
    points: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分, when known
    figure: str | None = None  # a figure key: its records when ``records`` is empty, and its value
    records: list[RecordSet] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)  # evidence attached to the item itself


ItemsSource = Callable[[object, int], "list[BinderItem] | None"]
SOURCES: list[ItemsSource] = []


def register_items_source(source: ItemsSource) -> None:
    """``source(committee, year)`` returns the binder's items, or None when it has none
    for that committee and year (the next source, then the figures, are asked)."""
    if source not in SOURCES:
        SOURCES.append(source)


def binder_items(committee, year: int) -> list[BinderItem]:
    for source in SOURCES:
        items = source(committee, year)
        if items is not None:
            return list(items)
    return figure_items(committee, year)


def figure_keys() -> Iterable[str]:
    """Every figure of the registry, those taking an argument once per argument."""
    for key, figure in figures.FIGURES.items():
        if figure.takes_arg:
            yield from (f"{key}:{arg}" for arg in figure.arg_labels())
        else:
            yield key


def of_a_year(model) -> bool:
    """Records dated in a year (meetings, sessions): evidence. Not the standing
    organisation (the branches behind "not signed yet" or "expected")."""
    record_type = record_type_for(model)
    return record_type is not None and bool(record_type.date_field or record_type.year_field)


def figure_items(committee, year: int) -> list[BinderItem]:
    """One item per figure that has records of the year; a figure whose records are
    exactly an earlier one's (a ratio and its count, a kind that is the whole) adds nothing."""
    items, seen = [], set()
    for key in figure_keys():
        qs = figures.records(key, committee, year)
        if not of_a_year(qs.model):
            continue
        ids = tuple(sorted(qs.values_list("pk", flat=True)))
        if not ids or (qs.model, ids) in seen:
            continue
        seen.add((qs.model, ids))
        items.append(BinderItem(number=str(len(items) + 1), title=figures.label(key), figure=key,
                                records=[(qs.model, ids)]))
    return items
