"""The figures of the annual report, each defined once by the app that owns its records.

A figure is the QuerySet of the records behind a number of the report (for a
committee and a year) plus, where the number is not their count, the value
computed from them (a rate, a ratio, a mean). Apps register theirs from
``apps.ready()``; the report compiler, the dashboard, the evidence lists
(``?figure=<key>&year=Y`` on a record list) and the annual assessment all read
them here, so a number means the same thing wherever it is shown.

A figure may take one argument, written after a colon in its key
(``sessions_by_kind:party_day``), for the figures the report states per kind,
form, level or series.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode


@dataclass(frozen=True)
class Figure:
    key: str  # e.g. "ideology_meetings"; the assessment's indicator keys are among them
    label: str  # Chinese, shown above the evidence list
    list_url: str  # URL name of the record list that shows the records
    records: Callable[..., QuerySet]  # (committee, year[, arg]) -> the records behind the figure
    value: Callable[..., Any] | None = None  # (committee, year[, arg]) -> number; default: their count
    arg_labels: Callable[[], dict[str, str]] | None = None  # set when the key takes ":<arg>"

    @property
    def takes_arg(self) -> bool:
        return self.arg_labels is not None


FIGURES: dict[str, Figure] = {}


class UnknownFigure(KeyError):
    pass


def register(*figures: Figure) -> None:
    for figure in figures:
        FIGURES[figure.key] = figure


def parse(key: str) -> tuple[Figure, tuple[str, ...]]:
    """The figure and its argument (as a 0- or 1-tuple) named by ``key``."""
    name, colon, arg = key.partition(":")
    figure = FIGURES.get(name)
    if figure is None or bool(colon) != figure.takes_arg:
        raise UnknownFigure(key)
    return figure, ((arg,) if colon else ())


def records(key: str, committee, year: int) -> QuerySet:
    figure, arg = parse(key)
    return figure.records(committee, year, *arg)


def value(key: str, committee, year: int):
    figure, arg = parse(key)
    if figure.value is None:
        return figure.records(committee, year, *arg).count()
    return figure.value(committee, year, *arg)


def label(key: str) -> str:
    figure, arg = parse(key)
    if not arg:
        return figure.label
    return f"{figure.label}（{figure.arg_labels().get(arg[0], arg[0])}）"


def describe(key: str, year: int) -> dict:
    """What a record list restricted by ``?figure=key`` says it shows."""
    try:
        return {"key": key, "label": label(key), "year": year, "known": True}
    except UnknownFigure:
        return {"key": key, "label": key, "year": year, "known": False}


def url(key: str, year: int, **params) -> str | None:
    """The record list restricted to the figure's records (None while that page does not exist)."""
    figure, _arg = parse(key)
    try:
        base = reverse(figure.list_url)
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'figure': key, 'year': year, **params})}"


def restrict(qs: QuerySet, key: str, committee, year: int) -> QuerySet:
    """A record list narrowed to the figure's records; empty for an unknown key or another model."""
    try:
        behind = records(key, committee, year)
    except UnknownFigure:
        return qs.none()
    if behind.model is not qs.model:
        return qs.none()
    return qs.filter(pk__in=behind.values("pk"))


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, rounded down to 0.01 (never more than the records show);
    None when there is nothing to measure against."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
