"""Writes shared by every record type: save, move to the trash, restore."""

from __future__ import annotations

from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone

from .access import Actor
from .models import Record


@transaction.atomic
def record_save(*, actor: Actor, form: ModelForm) -> Record:
    record = form.save(commit=False)
    if record._state.adding:
        record.committee = actor.committee
        record.created_by = actor.user
    record.save()
    form.save_m2m()
    return record


@transaction.atomic
def record_trash(*, actor: Actor, record: Record) -> None:
    record.deleted_at = timezone.now()
    record.deleted_by = actor.user
    record._history_user = actor.user  # also outside a request (a task, a command)
    record._change_reason = "移入回收站"
    record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])


@transaction.atomic
def record_restore(*, actor: Actor, record: Record) -> None:
    record.deleted_at = None
    record.deleted_by = None
    record._history_user = actor.user
    record._change_reason = "从回收站恢复"
    record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])


@transaction.atomic
def committee_update(*, committee, data: dict, user=None):
    """The office changes the committee's settings (the names its reports use); history keeps each version."""
    for field, value in data.items():
        setattr(committee, field, value)
    committee._history_user = user
    committee.save()
    return committee
