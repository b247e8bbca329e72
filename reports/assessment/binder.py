"""The assessment's items as the evidence binder files them (ASSESSMENT.md, "Evidence").

Registered with ``reports.binder.register_items_source`` at start-up, so the binder
of a unit and year follows its scoring sheet — one folder per 考核细则 item, with the
records frozen at submit (or the live figure's before) and the item's own
attachments — while ``reports.binder`` itself knows nothing of the assessment.
"""

from __future__ import annotations

from collections import defaultdict

from reports.binder.items import BinderItem

from . import selectors


def assessment_items(committee, year: int) -> list[BinderItem] | None:
    rows = selectors.evidence_items(committee, year)
    if not rows:
        return None  # no published assessment: the binder falls back to the figures
    items = []
    for row in rows:
        by_model: dict[type, list[int]] = defaultdict(list)
        for record in row["records"]:
            by_model[type(record)].append(record.pk)
        items.append(
            BinderItem(
                number=row["code"],
                title=row["content"],
                category=row["category"],
                points=row["points"],
                score=row["score"],
                records=list(by_model.items()),
                attachments=list(row["attachments"]),
            )
        )
    return items
