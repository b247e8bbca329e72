"""Data computed from a committee's records, cached under a fingerprint of them.

Pages are opened far more often than records change. Their figures (the report
page, the dashboard's panels) are therefore kept in the cache under a key that
includes a fingerprint of every committee record table, read in one query:
per table the row count, how many are in the trash and the latest
``updated_at``. Every save (services save ``updated_at`` with their fields),
move to the trash, restore or purge changes one of them, so any change makes
a new key and shows at once; nothing is ever invalidated by hand. A write that
bypasses the models (a raw ``UPDATE``) is not seen until something else
changes.

The cache is an accelerator only: when it cannot be reached, the value is
computed as if nothing were cached.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache

from django.apps import apps
from django.core.cache import cache as django_cache
from django.db import connection

from .models import Record

logger = logging.getLogger(__name__)

TIMEOUT = 7 * 24 * 3600  # a key is never reused for other data; this only frees memory


@cache
def record_tables() -> tuple[tuple[str, str, str, str], ...]:
    """(table, committee column, updated column, deleted column) of every committee record model."""
    tables = []
    for model in apps.get_models():
        if issubclass(model, Record) and not model._meta.proxy:
            field = model._meta.get_field
            tables.append((model._meta.db_table, field("committee").column, field("updated_at").column,
                           field("deleted_at").column))
    return tuple(sorted(tables))


def records_fingerprint(committee) -> list[tuple]:
    """One query: (table, rows, trashed, latest update) for each table of the committee's records."""
    q = connection.ops.quote_name
    parts = [
        f"SELECT %s, COUNT(*), COUNT({q(deleted)}), MAX({q(updated)}) FROM {q(table)} WHERE {q(column)} = %s"
        for table, column, updated, deleted in record_tables()
    ]
    params = [p for table, *_ in record_tables() for p in (table, committee.pk)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return sorted(cursor.fetchall(), key=lambda row: row[0])


def records_digest(committee, request=None) -> str:
    """A digest of the committee's names and records_fingerprint(); read once per
    request when one is given (several panels of a page share it)."""
    memo = getattr(request, "_records_digests", None) if request is not None else None
    if memo is not None and committee.pk in memo:
        return memo[committee.pk]
    names = [committee.pk, committee.name, committee.short_name, committee.unit_name, committee.superiors]
    digest = hashlib.sha256(repr([names, records_fingerprint(committee)]).encode("utf-8")).hexdigest()
    if request is not None:
        if memo is None:
            memo = request._records_digests = {}
        memo[committee.pk] = digest
    return digest


def cached(key: str, compute):
    """``compute()``, or what it returned before under ``key``."""
    try:
        found = django_cache.get(key)
    except Exception:  # the cache is down: answer without it
        logger.warning("data cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        django_cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("data cache unavailable", exc_info=True)
    return value


def cached_on_records(request, committee, name: str, compute):
    """``compute()`` for data that depends only on the committee's records and ``name``
    (which must say everything else it depends on, e.g. the year)."""
    return cached(f"portal:data:{name}:{committee.pk}:{records_digest(committee, request)}", compute)
