"""The study app's dashboard panel: the year's section-2 figures at a glance,
cached on the committee's records (portal.data_cache)."""

from __future__ import annotations

from portal.access import Actor
from portal.data_cache import cached_on_records

from . import selectors


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    if not actor.sees_whole_committee:
        return []
    committee = actor.committee
    context = cached_on_records(request, committee, f"study_summary:{year}", lambda: {
        "year": year,
        "central_count": selectors.central_group_sessions(committee, year).count(),
        "ideology_months": selectors.central_group_ideology_months(committee, year),
        "app": selectors.appstat_year_summary(committee, year),
    })
    return [{"template": "study/panels/summary.html", "context": context}]
