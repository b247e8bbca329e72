"""The publicity app's dashboard panel: the year's section-3 figures, cached on
the committee's records (portal.data_cache)."""

from __future__ import annotations

from portal import figures
from portal.access import Actor
from portal.data_cache import cached_on_records

from . import selectors


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    if not actor.sees_whole_committee:
        return []
    committee = actor.committee
    context = cached_on_records(request, committee, f"publicity_summary:{year}", lambda: {
        "year": year,
        "high_level": selectors.articles_provincial_plus(committee, year).count(),
        "high_level_url": figures.url("articles_provincial_plus", year),
        "series": [
            {"series": series, "count": n, "url": figures.url(f"bulletin_issues_of_series:{series}", year)}
            for series, n in selectors.bulletin_counts_by_series(committee, year).items()
        ],
    })
    return [{"template": "publicity/panels/summary.html", "context": context}]
