"""Writes of the publicity app that do more than save one form."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from portal.access import Actor
from portal.rules import require
from portal.services import record_trash

from .models import Activity, ActivityPhoto, Channel, ChannelCheck


@transaction.atomic
def channel_check_add(*, actor: Actor, channel: Channel, date: datetime.date, findings: str = "") -> ChannelCheck:
    require(actor, "publicity.channel.change", channel)
    return ChannelCheck.objects.create(
        committee=actor.committee, created_by=actor.user, channel=channel, date=date, findings=findings
    )


@transaction.atomic
def activity_photo_add(*, actor: Actor, activity: Activity, image: UploadedFile, caption: str = "") -> ActivityPhoto:
    """Store an already validated image (see ActivityPhotoForm) for the activity."""
    require(actor, "publicity.activity.change", activity)
    return ActivityPhoto.objects.create(
        committee=actor.committee, created_by=actor.user, activity=activity, image=image, caption=caption
    )


@transaction.atomic
def channel_check_remove(*, actor: Actor, check: ChannelCheck) -> None:
    """Move a check to the trash (the office can restore it from there)."""
    require(actor, "publicity.channelcheck.delete", check)
    record_trash(actor=actor, record=check)


@transaction.atomic
def activity_photo_remove(*, actor: Actor, photo: ActivityPhoto) -> None:
    require(actor, "publicity.activityphoto.delete", photo)
    record_trash(actor=actor, record=photo)
