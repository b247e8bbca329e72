"""The year the user is looking at: ``?year=`` sets it, the session keeps it,
and by default it is the latest year with data."""

from __future__ import annotations

from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from .registry import RECORD_TYPES

MIN_YEAR, MAX_YEAR = 2000, 2100
SESSION_KEY = "portal_year"


def parse_year(value) -> int:
    """A year from a URL or query string; 404 for anything unreasonable."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404("年份无效") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("年份无效")
    return year


def latest_year_with_data(committee) -> int:
    years = []
    for rt in RECORD_TYPES.values():
        if not rt.dashboard:
            continue
        if rt.year_field:
            value = rt.model.objects.filter(committee=committee).aggregate(m=Max(rt.year_field))["m"]
            if value:
                years.append(value)
        elif rt.date_field:
            value = rt.model.objects.filter(committee=committee).aggregate(m=Max(rt.date_field))["m"]
            if value:
                years.append(value.year)
    return max(years) if years else timezone.localdate().year


def selected_year(request) -> int:
    if "year" in request.GET and request.GET["year"] != "":
        year = parse_year(request.GET["year"])
        request.session[SESSION_KEY] = year
        return year
    year = request.session.get(SESSION_KEY)
    if year is None:
        year = latest_year_with_data(request.actor.committee)
        request.session[SESSION_KEY] = year
    return year


def remember_year(request, year: int) -> None:
    """Show ``year`` from now on (after an import of that year's records)."""
    request.session[SESSION_KEY] = parse_year(year)


def year_choices(selected: int) -> list[int]:
    this_year = timezone.localdate().year
    low = min(selected, this_year - 6)
    high = max(selected, this_year)
    return list(range(high, low - 1, -1))
