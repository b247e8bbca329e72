"""The study app's dashboard panel: the year's section-2 figures at a glance."""

from __future__ import annotations

from portal.access import Actor

from . import selectors


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    if not actor.sees_whole_committee:
        return []
    context = {
        "year": year,
        "central_count": selectors.central_group_sessions(actor.committee, year).count(),
        "ideology_months": selectors.central_group_ideology_months(actor.committee, year),
        "app": selectors.appstat_year_summary(actor.committee, year),
    }
    return [{"template": "study/panels/summary.html", "context": context}]
