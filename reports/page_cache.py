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

plus the report's own row (its text, status and ``updated_at``); the
fingerprint of the records and the committee's names is portal.data_cache's,
shared with the dashboard. Any change to a record makes a new key, so the page
shows it at once; nothing is ever invalidated by hand. A write that bypasses
the models (a raw ``UPDATE``) is not seen until something else changes.

The rendered body of the report (the same for every reader) is cached beside
its data, under the same key.
"""

from __future__ import annotations

import hashlib

from django.db.models import TextField
from django.db.models.functions import MD5, Cast

from portal.data_cache import cached, records_digest

from .models import AnnualReport, ReportFreeze

VERSION = 2  # bump when the shape of the cached page data changes

__all__ = ["cached", "frozen_fingerprint", "page_key"]


def frozen_fingerprint(report: AnnualReport | None) -> list[tuple]:
    """The standing freeze's id and the database's hash of its content (one query)."""
    if report is None:
        return []
    rows = ReportFreeze.objects.filter(report=report, reopened_at__isnull=True).annotate(
        digest=MD5(Cast("content", TextField()))
    )
    return list(rows.values_list("pk", "content_sha256", "digest"))


def page_key(committee, year: int, report: AnnualReport | None, request=None) -> str:
    own = None
    if report is not None:
        own = [report.pk, report.status, str(report.updated_at)]
    parts = [VERSION, year, own, records_digest(committee, request), frozen_fingerprint(report)]
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return f"reports:page:{committee.pk}:{year}:{digest}"
