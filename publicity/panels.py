"""The publicity app's dashboard panel: the year's section-3 figures."""

from __future__ import annotations

from portal.access import Actor

from . import selectors


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    if not actor.sees_whole_committee:
        return []
    context = {
        "year": year,
        "high_level": selectors.high_level_article_count(selectors.articles_visible_to(actor), year),
        "series": selectors.bulletin_counts_by_series(selectors.bulletins_visible_to(actor), year),
    }
    return [{"template": "publicity/panels/summary.html", "context": context}]
