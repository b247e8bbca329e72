"""Reads of the organisation and the dashboard, already scoped to the actor."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from .access import Actor, scope
from .models import Branch, Person, Role
from .registry import RECORD_TYPES


def branches_of(committee) -> QuerySet[Branch]:
    return Branch.objects.filter(committee=committee).order_by("id")


def committee_members(committee) -> QuerySet[Person]:
    return Person.objects.filter(committee=committee, is_committee_member=True).order_by("id")


def office_staff(committee) -> QuerySet[Person]:
    """The people of the committee's 党委办公室."""
    return Person.objects.filter(committee=committee, role=Role.OFFICE).order_by("id")


def record_counts(actor: Actor, year: int) -> list[dict]:
    """How many records of each type the actor can see in the year."""
    counts = []
    for rt in RECORD_TYPES.values():
        if not rt.dashboard:
            continue
        qs = rt.in_year(scope(actor, rt.model.objects.all()), year)
        counts.append({"key": rt.key, "label": rt.label, "count": qs.count(), "url": _reverse_or_none(rt.list_url)})
    return counts


def _reverse_or_none(url_name: str | None) -> str | None:
    try:
        return reverse(url_name) if url_name else None
    except NoReverseMatch:
        return None
