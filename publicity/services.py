"""Writes of the publicity app that do more than save one form."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portal.access import Actor, require_role
from portal.models import Role
from portal.services import record_trash

from .models import Activity, ActivityPhoto, Channel, ChannelCheck

WRITE_ROLES = (Role.OFFICE,)


def _require_same_committee(actor: Actor, record) -> None:
    if record.committee_id != actor.committee.pk:
        raise PermissionDenied("record of another committee")


@transaction.atomic
def channel_check_add(*, actor: Actor, channel: Channel, date: datetime.date, findings: str = "") -> ChannelCheck:
    require_role(actor, WRITE_ROLES)
    _require_same_committee(actor, channel)
    return ChannelCheck.objects.create(
        committee=actor.committee, created_by=actor.user, channel=channel, date=date, findings=findings
    )


@transaction.atomic
def activity_photo_add(*, actor: Actor, activity: Activity, image: UploadedFile, caption: str = "") -> ActivityPhoto:
    """Store an already validated image (see ActivityPhotoForm) for the activity."""
    require_role(actor, WRITE_ROLES)
    _require_same_committee(actor, activity)
    return ActivityPhoto.objects.create(
        committee=actor.committee, created_by=actor.user, activity=activity, image=image, caption=caption
    )


@transaction.atomic
def channel_check_remove(*, actor: Actor, check: ChannelCheck) -> None:
    """Move a check to the trash (the office can restore it from there)."""
    require_role(actor, WRITE_ROLES)
    _require_same_committee(actor, check)
    record_trash(actor=actor, record=check)


@transaction.atomic
def activity_photo_remove(*, actor: Actor, photo: ActivityPhoto) -> None:
    require_role(actor, WRITE_ROLES)
    _require_same_committee(actor, photo)
    record_trash(actor=actor, record=photo)
