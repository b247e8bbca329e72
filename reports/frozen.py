"""A final report's frozen content, and what changed in its records since.

When the office makes a report final (定稿), ``reports.services.report_finalise``
keeps three things in a ``ReportFreeze``:

- the compiled context (``reports.compiler.compile_report``), as JSON that
  turns back into the same context (``encode`` / ``decode``): dates, decimals
  and the charts' SVG come back as they were, so the renderers produce the same
  document from it;
- the ids of the records behind each figure the report states (``evidence``);
- the ``updated_at`` of every record it was compiled from (``snapshot``): the
  year's records of every record type, plus the records behind the figures
  that are not dated (channels, branches).

``changes_since`` compares the snapshot with the records as they are now:
records added, edited (including moved to another year) and deleted (trashed
or purged) since the report was made final.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.apps import apps
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

from portal import figures
from portal.chains import canonical_json
from portal.models import Record
from portal.registry import RECORD_TYPES, record_type_for

TYPE = "__frozen__"  # the key marking an encoded value (no key of the compiled context)


class FrozenContentAltered(Exception):
    """The stored content no longer hashes to the hash kept when it was frozen."""


# -- the content -----------------------------------------------------------------


def encode(value):
    """The compiled context as JSON-ready data that ``decode`` turns back into it."""
    if isinstance(value, dict):
        if TYPE in value or not all(isinstance(k, str) for k in value):
            raise TypeError("a frozen report's dict keys are strings other than the type marker")
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, SafeData):
        return {TYPE: "safe", "v": str(value)}
    if isinstance(value, datetime.datetime):
        return {TYPE: "datetime", "v": value.isoformat()}
    if isinstance(value, datetime.date):
        return {TYPE: "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {TYPE: "decimal", "v": str(value)}
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot freeze a {type(value).__name__} into a report")


DECODERS = {
    "safe": mark_safe,
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "decimal": Decimal,
}


def decode(value):
    if isinstance(value, dict):
        if TYPE in value:
            return DECODERS[value[TYPE]](value["v"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def digest(content) -> str:
    """The hash of encoded content, as stored next to it (key order does not matter)."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def frozen_context(freeze) -> dict:
    """The context a standing freeze holds; refuses content changed behind the portal's back."""
    if digest(freeze.content) != freeze.content_sha256:
        raise FrozenContentAltered(f"frozen content of report {freeze.report_id} was altered")
    return decode(freeze.content)


# -- the records behind it ---------------------------------------------------------


def figure_keys(context: dict) -> list[str]:
    """Every figure the report's text links to (the parts of its sentences)."""
    keys: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            if value.get("figure"):
                keys.add(value["figure"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(context["text"])
    if context.get("appendix", {}).get("talks"):
        keys.add("committee_talks")
    return sorted(keys)


def evidence_of(keys, committee, year: int) -> dict:
    """{figure key: {"model": label, "ids": [...]}} for the records behind each figure (one query each)."""
    evidence = {}
    for key in keys:
        try:
            qs = figures.records(key, committee, year)
        except figures.UnknownFigure:
            continue
        evidence[key] = {"model": qs.model._meta.label_lower, "ids": sorted(qs.values_list("pk", flat=True))}
    return evidence


TRASHED = "|trashed"


def _stamp(updated_at: datetime.datetime, deleted_at: datetime.datetime | None) -> str:
    return updated_at.isoformat() + (TRASHED if deleted_at is not None else "")


def tracked_records(committee, year: int, evidence: dict) -> dict[str, dict[str, str]]:
    """{model label: {id: updated_at}}: the year's live records of every dated record type, and
    the records behind the figures (channels, branches and the like are not dated)."""
    rows: dict[str, dict[str, str]] = {}
    for rt in RECORD_TYPES.values():
        if not rt.has_year or not issubclass(rt.model, Record) or rt.model._meta.app_label == "reports":
            continue
        qs = rt.in_year(rt.model.objects.filter(committee=committee), year)
        rows.setdefault(rt.model._meta.label_lower, {}).update(
            {str(pk): _stamp(*at) for pk, *at in qs.values_list("pk", "updated_at", "deleted_at")}
        )
    wanted: dict[str, set[int]] = {}
    for item in evidence.values():
        known = rows.get(item["model"], {})
        wanted.setdefault(item["model"], set()).update(i for i in item["ids"] if str(i) not in known)
    for label, ids in wanted.items():
        if ids:
            model = apps.get_model(label)
            found = model._base_manager.filter(pk__in=ids).values_list("pk", "updated_at", "deleted_at")
            rows.setdefault(label, {}).update({str(pk): _stamp(*at) for pk, *at in found})
    return rows


LISTED = 20  # records named per type on the page (the counts are always complete)
ADDED, EDITED, DELETED = "added", "edited", "deleted"


def _classify(before: dict[str, str], after: dict[str, str], live_gone: set[int]) -> dict[int, str]:
    """{pk: added / edited / deleted} of one model's records that differ between the snapshots.

    A record no longer among the report's records is deleted when it is trashed or purged,
    else edited (moved to another year or out of the figure); one still among them but
    trashed since is deleted too (a branch merged away still counts in its year)."""
    changes = {}
    for pk, at in after.items():
        if pk not in before:
            changes[int(pk)] = ADDED
        elif before[pk] != at:
            trashed = at.endswith(TRASHED) and not before[pk].endswith(TRASHED)
            changes[int(pk)] = DELETED if trashed else EDITED
    for pk in before:
        if pk not in after:
            changes[int(pk)] = EDITED if int(pk) in live_gone else DELETED
    return changes


def _named(model, changes: dict[int, str]) -> list[dict]:
    """The first LISTED changed records by name, with their history page (office only)."""
    rt = record_type_for(model)
    pks = sorted(changes)[:LISTED]
    names = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=pks)}
    return [{"pk": pk, "change": changes[pk], "name": names.get(pk, ""),
             "url": rt.history_url(pk) if rt is not None and pk in names else None} for pk in pks]


def changes_since(freeze) -> dict:
    """How many records behind a final report were added, edited or deleted since it was frozen,
    in total and per record type, naming the first few of each type."""
    report = freeze.report
    committee, year = report.committee, report.year
    now = tracked_records(committee, year, evidence_of(freeze.evidence.keys(), committee, year))
    then = freeze.snapshot
    by_type = []
    for label in sorted(set(now) | set(then)):
        before, after = then.get(label, {}), now.get(label, {})
        model = apps.get_model(label)
        gone = [int(pk) for pk in before if pk not in after]
        live_gone = set(model._base_manager.filter(pk__in=gone, deleted_at__isnull=True).values_list("pk", flat=True)
                        ) if gone else set()
        changes = _classify(before, after, live_gone)
        if changes:
            counts = {kind: sum(1 for c in changes.values() if c == kind) for kind in (ADDED, EDITED, DELETED)}
            by_type.append({"label": str(model._meta.verbose_name), **counts, "records": _named(model, changes)})
    totals = {k: sum(t[k] for t in by_type) for k in (ADDED, EDITED, DELETED)}
    return {**totals, "total": sum(totals.values()), "by_type": by_type}
