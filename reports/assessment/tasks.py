"""Celery tasks of the assessment."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from . import notifications


@shared_task(name="reports.assessment.tasks.send_reminders")
def send_reminders() -> int:
    """Daily: overdue and nearly due rectifications (reports.assessment.notifications).

    Scheduled like ``responsibility.tasks.send_reminders``: beat at
    ``PORTAL_REMINDER_HOUR``, or the embedded hourly sweep, which does nothing
    before that hour; a second run the same day adds nothing.
    """
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        now = timezone.localtime()
        if now.hour < settings.PORTAL_REMINDER_HOUR:
            return 0
        return notifications.reminders_send(today=now.date())
