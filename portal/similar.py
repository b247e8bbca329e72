"""Likely duplicates: a record entered twice under slightly different words.

Two titles are *near-identical* when, after normalising them, they are equal
or ``difflib.SequenceMatcher`` rates them at least :data:`RATIO` alike.
Normalising folds full-width characters to their ASCII forms (NFKC), ignores
case, and drops whitespace, punctuation and symbols, so “学习《条例》 （一）”
and “学习条例(一)” are the same title. Short titles differ by one character
already below the ratio (“党课一” / “党课二”).

A model declares what a duplicate shares (:attr:`Record.duplicate_same`, e.g.
the date) and which text is compared (:attr:`Record.duplicate_text`), or
overrides :meth:`Record.likely_duplicates` (a talk: the same pair on the same
day). Only the record forms ask; an exact duplicate under a unique rule stays
a hard error everywhere.
"""

from __future__ import annotations

import difflib
import unicodedata

RATIO = 0.9
LIMIT = 5  # records named in one warning


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "ZPSC")


def near_identical(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    if a == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= RATIO


def likely_duplicates(record) -> list:
    """Live records of the same committee sharing ``duplicate_same`` exactly and
    ``duplicate_text`` nearly; empty when the model declares no rule."""
    model = type(record)
    if not model.duplicate_same or record.committee_id is None:
        return []
    lookup = {}
    for name in model.duplicate_same:
        attname = model._meta.get_field(name).attname
        value = getattr(record, attname)
        lookup[attname if value is not None else f"{attname}__isnull"] = True if value is None else value
    candidates = model.objects.filter(committee_id=record.committee_id, **lookup).exclude(pk=record.pk)
    if model.duplicate_text is None:
        return list(candidates.order_by("pk")[:LIMIT])
    text = getattr(record, model.duplicate_text)
    found = [other for other in candidates.order_by("pk") if near_identical(text, getattr(other, model.duplicate_text))]
    return found[:LIMIT]
