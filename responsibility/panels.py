"""Dashboard panels of the responsibility app (registered in apps.ready())."""

from __future__ import annotations

from portal import figures
from portal.access import Actor

from . import selectors

OVERDUE_SHOWN = 10


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    panels = []
    awaiting = list(selectors.letters_awaiting(actor)[:20])
    if actor.is_branch_secretary:
        panels.append({"template": "responsibility/panels/letters_to_sign.html", "context": {"letters": awaiting}})
    elif actor.is_committee_secretary:
        panels.append({"template": "responsibility/panels/letters_to_countersign.html", "context": {"letters": awaiting}})
    if actor.is_office:
        progress = selectors.letter_progress(actor.committee, year)
        context = {**progress, "year": year, "signed_url": figures.url("letters_signed", year)}
        panels.append({"template": "responsibility/panels/letter_progress.html", "context": context})
    overdue = selectors.overdue_tasks(actor)
    count = overdue.count()
    if count:
        panels.append(
            {
                "template": "responsibility/panels/overdue_tasks.html",
                "context": {"tasks": list(overdue[:OVERDUE_SHOWN]), "count": count},
            }
        )
    if actor.sees_whole_committee:
        context = {
            "rows": selectors.talks_per_member(actor.committee, year),
            "total": selectors.committee_talks(actor.committee, year).count(),
            "total_url": figures.url("committee_talks", year),
            "year": year,
        }
        panels.append({"template": "responsibility/panels/talks_per_member.html", "context": context})
    return panels
