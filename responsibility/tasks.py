"""Celery tasks of the responsibility app."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from . import services


@shared_task(name="responsibility.tasks.send_reminders")
def send_reminders() -> int:
    """Daily (beat): e-mail branch secretaries about letters to sign and missing analyses.

    Safe to run more than once a day: ReminderLog keeps one mail per person, day and kind.
    """
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        return services.reminders_send(today=timezone.localdate())
