"""A record's change history (django-simple-history) read as a list of diffs,
and restoring an earlier version as a new version.

Nothing entered is ever lost: restoring does not rewrite history, it writes
the old values again, so the restore itself appears in the history too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import Actor
from .models import Record

HISTORY_LIMIT = 100

# Bookkeeping fields: shown by the version's own line (who, when, kind), never
# as "changes", and never copied back by a restore.
NOT_RESTORED = {"id", "committee", "created_at", "created_by", "updated_at", "deleted_at", "deleted_by"}
NOT_DIFFED = NOT_RESTORED - {"deleted_at"}

KIND_LABELS = {"+": "新建", "~": "修改", "-": "删除"}


class RestoreRefused(Exception):
    """The old version cannot be written back; the message says why (in Chinese)."""


@dataclass
class Change:
    label: str
    old: Any
    new: Any


@dataclass
class Version:
    history_id: int
    date: Any
    user: Any
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    is_current: bool = False


def _restorable_fields(model: type[Record]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in NOT_RESTORED and not f.primary_key and (f.editable or f.name == "deleted_at")
    ]


class _Labeller:
    """Human values for raw historical values; FK targets looked up once each."""

    def __init__(self):
        self.cache: dict[tuple[type, Any], str] = {}

    def __call__(self, model_field: models.Field, raw: Any) -> Any:
        if raw is None or raw == "":
            return "—"
        if model_field.is_relation:
            key = (model_field.related_model, raw)
            if key not in self.cache:
                related = model_field.related_model._base_manager.filter(pk=raw).first()
                self.cache[key] = str(related) if related is not None else _("（已不存在的记录 #%(pk)s）") % {"pk": raw}
            return self.cache[key]
        if model_field.choices:
            return dict(model_field.flatchoices).get(raw, raw)
        if isinstance(raw, bool):
            return _("是") if raw else _("否")
        if isinstance(model_field, models.FileField):
            return str(raw).rsplit("/", 1)[-1]
        return raw


def record_versions(record: Record, limit: int = HISTORY_LIMIT) -> list[Version]:
    """The record's versions, newest first, each with what changed from the one before."""
    model = type(record)
    fields = [f for f in model._meta.concrete_fields if f.name not in NOT_DIFFED and not f.primary_key]
    rows = list(record.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    label = _Labeller()
    versions = []
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changes = []
        for f in fields:
            new = getattr(row, f.attname)
            old = getattr(previous, f.attname) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is None or old != new:
                changes.append(Change(str(f.verbose_name), label(f, old) if previous else "", label(f, new)))
        versions.append(
            Version(
                history_id=row.history_id,
                date=row.history_date,
                user=row.history_user,
                kind=_(KIND_LABELS.get(row.history_type, row.history_type)),
                reason=row.history_change_reason or "",
                changes=changes,
                is_current=index == 0,
            )
        )
    return versions


def historical_version(record: Record, history_id: int):
    """The historical row of this record with that id, or None."""
    return record.history.filter(history_id=history_id).first()


def _check_references(record: Record, fields: list[models.Field]) -> None:
    for f in fields:
        if not f.is_relation:
            continue
        value = getattr(record, f.attname)
        if value is None:
            continue
        target = f.related_model._base_manager.filter(pk=value)
        if hasattr(f.related_model, "committee_id"):
            target = target.filter(committee_id=record.committee_id)
        if not target.exists():
            raise RestoreRefused(
                _("无法恢复：该版本的“%(field)s”引用的记录已不存在。") % {"field": f.verbose_name}
            )


def check_restore_hook(actor: Actor, record: Record) -> None:
    """A record type may refuse to come back as it now stands (``restore_refusal(actor)``:
    a frozen letter, a 责任分工 row naming the actor as a letter signer)."""
    hook = getattr(record, "restore_refusal", None)
    message = hook(actor) if hook is not None else None
    if message:
        raise RestoreRefused(message)


@transaction.atomic
def record_revert(*, actor: Actor, record: Record, history_id: int) -> Record:
    """Write the values of an earlier version back as a new version.

    The record stays live (a restore from history never trashes it); unique
    rules are checked first so a clash gives a message instead of an error.
    """
    old = historical_version(record, history_id)
    if old is None:
        raise RestoreRefused(_("找不到该历史版本。"))
    fields = [f for f in _restorable_fields(type(record)) if f.name != "deleted_at"]
    for f in fields:
        setattr(record, f.attname, getattr(old, f.attname))
    _check_references(record, fields)
    check_restore_hook(actor, record)
    try:  # the record's own rules, as its forms apply them (references are checked above)
        record.clean_fields(exclude={f.name for f in type(record)._meta.get_fields() if f.is_relation})
        record.clean()
        record.validate_unique()
        record.validate_constraints()
    except ValidationError as exc:
        raise RestoreRefused(_("无法恢复：%(reason)s") % {"reason": "；".join(exc.messages)}) from None
    record._change_reason = _("恢复为 %(date)s 的版本") % {
        "date": timezone.localtime(old.history_date).strftime("%Y-%m-%d %H:%M")
    }
    record.save()
    return record
