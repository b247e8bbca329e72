"""Celery tasks of the portal: the e-mails of notifications."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from . import notifications


@shared_task(name="portal.tasks.send_notification_emails")
def send_notification_emails(*ids: int) -> int:
    """After the commit that created them (portal.notifications.notify)."""
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        return notifications.send_emails(ids)


@shared_task(name="portal.tasks.send_stale_notification_emails")
def send_stale_notification_emails() -> int:
    """Periodic: the e-mails whose job never ran (the broker was down when they were created)."""
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        return notifications.send_emails(notifications.stale_email_ids())
