"""portal.notifications: each person told once per key, only people of the record's
committee, the e-mail after the commit, a failing mail server never failing the caller."""

import logging

import pytest
from django.core import mail
from django.db import transaction

from portal import notifications
from portal.models import Notification
from portal.tasks import send_stale_notification_emails
from tests import factories as f
from tests.security.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def tell(world, *users, key="k1", link="/responsibility/letter/1/"):
    return notifications.notify(
        committee=world.committee,
        recipients=[u.person for u in users],
        message="《责任书》已下发，请您阅读后签字。",
        link=link,
        kind="test.event",
        key=key,
    )


def test_each_recipient_is_told_once_per_key(world, django_capture_on_commit_callbacks):
    f.give_email(world.branch_secretary, world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        created = tell(world, world.branch_secretary, world.leader, world.branch_secretary)
    assert sorted(n.recipient.user.username for n in created) == ["leader", "sec_a"]
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@example.invalid", "sec_a@example.invalid"]
    # A retry, or a second run, with the same key adds nothing and mails nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tell(world, world.branch_secretary, world.leader) == []
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    # Another key is another notification.
    with django_capture_on_commit_callbacks(execute=True):
        assert len(tell(world, world.branch_secretary, key="k2")) == 1
    assert len(mail.outbox) == 3


def test_people_of_another_committee_and_trashed_people_are_left_out(world):
    from django.utils import timezone

    gone = f.person_with_user(world.committee, "gone", branch=world.branch)
    gone.person.deleted_at = timezone.now()
    gone.person.save()
    assert tell(world, world.outsider, gone, world.office)[0].recipient.user == world.office
    assert list(Notification.objects.values_list("recipient__user__username", flat=True)) == ["office"]


def test_the_email_goes_out_after_the_commit_never_inside(world, django_capture_on_commit_callbacks):
    f.give_email(world.branch_secretary)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [note] = tell(world, world.branch_secretary)
    assert mail.outbox == [] and note.email == Notification.Email.PENDING
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["sec_a@example.invalid"] and message.subject.startswith("【局党委】《责任书》已下发")
    assert "sec_a同志" in message.body and "http://127.0.0.1:8000/responsibility/letter/1/" in message.body
    note.refresh_from_db()
    assert note.email == Notification.Email.SENT and note.emailed_at is not None


def test_a_rolled_back_action_tells_nobody(world, django_capture_on_commit_callbacks):
    f.give_email(world.branch_secretary)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        tell(world, world.branch_secretary)
        raise RuntimeError
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_mail_server_that_refuses_keeps_the_in_app_notification(world, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2  # nothing listens
    f.give_email(world.branch_secretary)
    with caplog.at_level(logging.WARNING, logger="portal.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            [note] = tell(world, world.branch_secretary)
    note.refresh_from_db()
    assert note.email == Notification.Email.FAILED and "Connection" in note.email_error
    assert "e-mail to sec_a@example.invalid failed" in caplog.text
    assert notifications.unread_count(_actor(world.branch_secretary)) == 1


def test_no_address_no_mail_but_the_in_app_notification(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [note] = tell(world, world.branch_secretary)
    note.refresh_from_db()
    assert mail.outbox == [] and note.email == Notification.Email.NO_ADDRESS


def test_an_email_is_sent_once_however_many_try(world):
    f.give_email(world.branch_secretary)
    [note] = tell(world, world.branch_secretary)  # its job never ran: no commit here
    assert notifications.send_emails([note.pk]) == 1
    assert notifications.send_emails([note.pk]) == 0
    assert len(mail.outbox) == 1


def test_the_sweep_mails_what_a_lost_job_left_pending(world):
    import datetime

    from django.utils import timezone

    f.give_email(world.branch_secretary, world.leader)
    [old] = tell(world, world.branch_secretary, key="old")
    [new] = tell(world, world.leader, key="new")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    assert send_stale_notification_emails.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["sec_a@example.invalid"]]  # the new one is its own job's


def test_a_link_elsewhere_is_never_followed(world):
    [note] = tell(world, world.branch_secretary, link="//evil.example/x")
    assert notifications.safe_link(note) is None
    note.link = "https://evil.example/"
    assert notifications.safe_link(note) is None
    note.link = "/responsibility/letter/3/"
    assert notifications.safe_link(note) == "/responsibility/letter/3/"


def _actor(user):
    from portal.access import actor_for

    return actor_for(user)


def test_each_person_reads_only_their_own(world):
    tell(world, world.branch_secretary, world.leader)
    tell(world, world.branch_secretary, key="k2")
    sec = _actor(world.branch_secretary)
    assert notifications.notifications_of(sec).count() == 2
    assert notifications.notifications_of(_actor(world.leader)).count() == 1
    assert notifications.notifications_of(_actor(world.office)).count() == 0
    assert notifications.notifications_read_all(actor=sec) == 2
    assert notifications.unread_count(sec) == 0 and notifications.unread_count(_actor(world.leader)) == 1


def test_the_admin_only_shows_them(world, client_for):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    [note] = tell(world, world.branch_secretary)
    client = client_for(root)
    assert client.get("/admin/portal/notification/").status_code == 200
    assert client.get("/admin/portal/notification/add/").status_code == 403
    assert client.post(f"/admin/portal/notification/{note.pk}/change/", {"message": "x"}).status_code == 403
    assert client.post(f"/admin/portal/notification/{note.pk}/delete/", {"post": "yes"}).status_code == 403
    note.refresh_from_db()
    assert note.message.startswith("《责任书》")
