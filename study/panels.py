"""The study app's dashboard panel: the year's section-2 figures at a glance."""

from __future__ import annotations

from portal.access import Actor

from . import selectors
from .models import StudySession


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    if not actor.sees_whole_committee:
        return []
    qs = StudySession.objects.filter(committee=actor.committee)
    # Only dates and flags are shown: skip the host/attendee loading of the full list.
    central = list(selectors.central_group_sessions(qs, year).values_list("date", "is_ideology"))
    context = {
        "year": year,
        "central_count": len(central),
        "ideology_months": sorted({day.month for day, is_ideology in central if is_ideology}),
        "app": selectors.appstat_year_summary(actor.committee, year),
    }
    return [{"template": "study/panels/summary.html", "context": context}]
