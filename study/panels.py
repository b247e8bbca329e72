"""The study app's dashboard panel: the year's section-2 figures at a glance."""

from __future__ import annotations

from portal.access import Actor

from . import selectors
from .models import StudySession


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    if not actor.sees_whole_committee:
        return []
    qs = StudySession.objects.filter(committee=actor.committee)
    central = list(selectors.central_group_sessions(qs, year))
    context = {
        "year": year,
        "central_count": len(central),
        "ideology_months": sorted({s.date.month for s in central if s.is_ideology}),
        "app": selectors.appstat_year_summary(actor.committee, year),
    }
    return [{"template": "study/panels/summary.html", "context": context}]
