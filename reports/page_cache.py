"""The report page's data, cached under a key made of the data it was compiled from.

Compiling a report costs some forty queries and comparing a final report with
its records some sixty; the page is opened far more often than the records
change. So the page's data (``reports.selectors.report_page``) is kept in the
cache under a fingerprint of everything it depends on, read in two queries:

- per table of every committee record (the year's records, the previous
  year's for the comparison, people and branches for the names): the row
  count, how many are in the trash and the latest ``updated_at``; every save,
  move to the trash, restore or purge changes one of them;
- for a final report, a hash of its frozen content computed by the database
  (a change made to it behind the portal's back shows at once);

plus the committee's names and the report's own row (its text, status and
``updated_at``). Any change to a record makes a new key, so the page shows it
at once; nothing is ever invalidated by hand. A write that bypasses the
models (a raw ``UPDATE``) is not seen until something else changes.

The cache is an accelerator only: when it cannot be reached, the page is
compiled as if nothing were cached.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache

from django.apps import apps
from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import MD5, Cast

from portal.models import Record

from .models import AnnualReport, ReportFreeze

logger = logging.getLogger(__name__)

VERSION = 1  # bump when the shape of the cached page data changes
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


def frozen_fingerprint(report: AnnualReport | None) -> list[tuple]:
    """The standing freeze's id and the database's hash of its content (one query)."""
    if report is None:
        return []
    rows = ReportFreeze.objects.filter(report=report, reopened_at__isnull=True).annotate(
        digest=MD5(Cast("content", TextField()))
    )
    return list(rows.values_list("pk", "content_sha256", "digest"))


def page_key(committee, year: int, report: AnnualReport | None) -> str:
    own = None
    if report is not None:
        own = [report.pk, report.status, str(report.updated_at)]
    names = [committee.pk, committee.name, committee.short_name, committee.unit_name, committee.superiors]
    parts = [VERSION, year, names, own, records_fingerprint(committee), frozen_fingerprint(report)]
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return f"reports:page:{committee.pk}:{year}:{digest}"


def cached(key: str, compute):
    """``compute()``, or what it returned before under ``key``."""
    try:
        found = django_cache.get(key)
    except Exception:  # the cache is down: answer without it
        logger.warning("report page cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        django_cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("report page cache unavailable", exc_info=True)
    return value
