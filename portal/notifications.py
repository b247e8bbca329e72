"""Notifications: an in-app to-do and an e-mail for each person who has something to know or do.

Apps decide who is told what and call :func:`notify` with the recipients (people
of one committee), a Chinese message, a link to the page concerned, a kind and
a key. The key makes it idempotent: a person never gets two notifications with
the same key, so a retried action or a second run of the daily reminders adds
nothing. The e-mails go out as a background job once the caller's transaction
commits (``portal.jobs``), never inside it: a mail server that fails or hangs
never fails or holds the action, and the in-app notification stays.

This module knows no record app: the link is a path the app has reversed, and
the page it leads to checks its own permissions.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import jobs
from .access import Actor
from .models import Committee, Notification, Person

logger = logging.getLogger(__name__)

Email = Notification.Email
EMAIL_TASK = "portal.tasks.send_notification_emails"
# A notification whose e-mail job never ran (the broker was down) is mailed by
# the sweep once it has waited this long.
STALE_EMAIL_MINUTES = 10


# -- writes --------------------------------------------------------------------------------


def notify(
    *, committee: Committee, recipients: Iterable[Person], message: str, link: str, kind: str, key: str
) -> list[Notification]:
    """Tell each recipient once (per ``key``); returns the notifications created now.

    People of another committee, trashed people and repeats are left out.
    """
    people = {p.pk: p for p in recipients if p is not None and p.committee_id == committee.pk and not p.is_deleted}
    taken = set(Notification.objects.filter(recipient_id__in=people, key=key).values_list("recipient_id", flat=True))
    created = []
    for pk in sorted(people.keys() - taken):
        try:
            with transaction.atomic():  # a concurrent run that took the key first wins
                created.append(
                    Notification.objects.create(
                        committee=committee, recipient=people[pk], kind=kind, message=message, link=link, key=key[:200]
                    )
                )
        except IntegrityError:
            continue
    if created:
        jobs.enqueue(EMAIL_TASK, *[n.pk for n in created])
    return created


def send_emails(ids: Iterable[int]) -> int:
    """Mail these notifications, each at most once whoever else tries; returns how many were sent."""
    sent = 0
    pending = Notification.objects.filter(pk__in=list(ids), email=Email.PENDING)
    for notification in pending.select_related("recipient__user", "committee"):
        if not Notification.objects.filter(pk=notification.pk, email=Email.PENDING).update(email=Email.SENDING):
            continue  # another job or the sweep has it
        sent += _send_one(notification)
    return sent


def stale_email_ids(minutes: int = STALE_EMAIL_MINUTES) -> list[int]:
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    return list(Notification.objects.filter(email=Email.PENDING, created_at__lt=cutoff).values_list("pk", flat=True))


def _address(person: Person) -> str:
    return person.email or (person.user.email if person.user_id else "")


def _send_one(notification: Notification) -> int:
    person = notification.recipient
    address = _address(person)
    done = Notification.objects.filter(pk=notification.pk)
    if not address:
        done.update(email=Email.NO_ADDRESS)
        return 0
    try:
        send_mail(
            subject=_email_subject(notification),
            message=_email_body(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    except Exception as exc:  # smtplib, sockets and backends raise many kinds; the in-app one stays
        logger.warning("notification %s: e-mail to %s failed", notification.pk, address, exc_info=True)
        done.update(email=Email.FAILED, email_error=f"{type(exc).__name__}: {exc}"[:300])
        return 0
    done.update(email=Email.SENT, emailed_at=timezone.now())
    return 1


def _email_subject(notification: Notification) -> str:
    first_line = notification.message.splitlines()[0] if notification.message else ""
    if len(first_line) > 40:
        first_line = first_line[:40] + "…"
    return _("【%(committee)s】%(summary)s") % {"committee": notification.committee.short_name, "summary": first_line}


def _email_body(notification: Notification) -> str:
    body = _("%(name)s同志：\n\n%(message)s\n") % {"name": notification.recipient.name, "message": notification.message}
    if notification.link:
        body += _("\n查看：%(url)s\n") % {"url": settings.PORTAL_BASE_URL.rstrip("/") + notification.link}
    return body + _("\n（本邮件由意识形态工作责任制管理平台自动发送，请勿直接回复。）")


@transaction.atomic
def notification_read(*, actor: Actor, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notifications_read_all(*, actor: Actor) -> int:
    return notifications_of(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


# -- reads ---------------------------------------------------------------------------------


def notifications_of(actor: Actor) -> QuerySet[Notification]:
    """The actor's own notifications, newest first; nobody else's, whoever asks.

    Those of their own committee (``home``), also while viewing a descendant:
    they are the person's, not the viewed committee's."""
    if actor.person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=actor.person, committee=actor.home)


def unread_count(actor: Actor) -> int:
    return notifications_of(actor).filter(read_at__isnull=True).count()


def safe_link(notification: Notification) -> str | None:
    """The notification's link when it is a path of this site, else None."""
    link = notification.link
    if link.startswith("/") and not link.startswith("//") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link
    return None
