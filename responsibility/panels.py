"""Dashboard panels of the responsibility app (registered in apps.ready()). The
committee's figures are cached on its records (portal.data_cache); what awaits
the user is read afresh."""

from __future__ import annotations

from portal import figures
from portal.access import Actor
from portal.data_cache import cached_on_records

from . import selectors

OVERDUE_SHOWN = 10


def dashboard_panels(request, actor: Actor, year: int) -> list[dict]:
    panels = []
    # Who signs follows the year's 责任分工, like the signing services. A letter
    # waiting for the user leads the page (a secretary often signs on a phone).
    to_sign = selectors.letters_to_sign(actor)[:20]
    if to_sign or actor.is_branch_secretary:
        panels.append({"template": "responsibility/panels/letters_to_sign.html", "context": {"letters": to_sign}, "lead": bool(to_sign)})
    to_countersign = selectors.letters_to_countersign(actor)[:20]
    if to_countersign or actor.is_committee_secretary:
        panels.append(
            {
                "template": "responsibility/panels/letters_to_countersign.html",
                "context": {"letters": to_countersign},
                "lead": bool(to_countersign),
            }
        )
    committee = actor.committee
    if actor.is_office:
        progress = cached_on_records(request, committee, f"letter_progress:{year}",
                                     lambda: selectors.letter_progress(committee, year))
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
        talks = cached_on_records(request, committee, f"talks_per_member:{year}", lambda: {
            "rows": selectors.talks_per_member(committee, year),
            "total": selectors.committee_talks(committee, year).count(),
        })
        context = {
            **talks,
            "total_url": figures.url("committee_talks", year),
            "year": year,
        }
        panels.append({"template": "responsibility/panels/talks_per_member.html", "context": context})
    return panels
