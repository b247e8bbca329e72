"""Writes shared by every record type: save, move to the trash, restore."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import Actor
from .models import Committee, Record
from .signals import parent_changed


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
def committee_set_parent(*, committee: Committee, parent: Committee | None, user=None) -> Committee:
    """Set (or, with None, clear) the committee's superior committee, logged in its history.

    Raises ValidationError with a Chinese reason for itself or a descendant as parent.
    """
    # Every committee row is locked (a short list): two changes at once could
    # otherwise each pass the check and together close a cycle.
    list(Committee.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    committee = Committee.objects.get(pk=committee.pk)
    parent = Committee.objects.get(pk=parent.pk) if parent is not None else None
    reason = committee.parent_refusal(parent)
    if reason:
        raise ValidationError(reason)
    committee.parent = parent
    committee._history_user = user
    committee._change_reason = (
        _("设置上级党委：%(name)s") % {"name": parent.name} if parent else _("解除上级党委")
    )
    committee.save(update_fields=["parent"])
    parent_changed.send(sender=Committee, committee=committee, parent=parent)
    return committee


@transaction.atomic
def committee_update(*, committee, data: dict, user=None):
    """The office changes the committee's settings (the names its reports use); history keeps each version."""
    for field, value in data.items():
        setattr(committee, field, value)
    committee._history_user = user
    committee.save()
    return committee
