"""Celery tasks of the responsibility app."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from . import notifications


@shared_task(name="responsibility.tasks.send_reminders")
def send_reminders() -> int:
    """Daily: remind everyone of what waits for them (responsibility.notifications).

    Celery beat calls it at ``PORTAL_REMINDER_HOUR``; without Redis the web
    process's sweep calls it every hour (``PORTAL_JOBS_SWEEPS``) and it does
    nothing before that hour. Safe to run any number of times a day: each
    person gets one reminder per kind and day.
    """
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        now = timezone.localtime()
        if now.hour < settings.PORTAL_REMINDER_HOUR:
            return 0
        return notifications.reminders_send(today=now.date())
