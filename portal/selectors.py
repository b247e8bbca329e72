"""Reads of the organisation and the dashboard, already scoped to the actor."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
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
    types = [rt for rt in RECORD_TYPES.values() if rt.dashboard]
    counts = count_each([rt.in_year(scope(actor, rt.model.objects.all()), year) for rt in types])
    return [
        {"key": rt.key, "label": rt.label, "count": n, "url": _reverse_or_none(rt.list_url)}
        for rt, n in zip(types, counts, strict=True)
    ]


def count_each(querysets: list[QuerySet]) -> list[int]:
    """``[qs.count() for qs in querysets]`` in one query: the dashboard counts some
    twenty types on every visit, and under load each round trip costs more than
    the count itself."""
    if not querysets:
        return []
    parts, params = [], []
    for qs in querysets:
        try:
            sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # qs.none(), or a filter on an empty list
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


def _reverse_or_none(url_name: str | None) -> str | None:
    try:
        return reverse(url_name) if url_name else None
    except NoReverseMatch:
        return None
