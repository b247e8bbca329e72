"""Login lockout (django-axes through the real login view) and session expiry."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, password, username="office"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_username_at_that_address(world):
    from axes.models import AccessAttempt

    c = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(4):
        assert attempt(c, "wrong").status_code == 200
    locked = attempt(c, "wrong")  # the fifth failure locks
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "连续 5 次登录失败" in locked.content.decode() and "请 15 分钟后再试" in locked.content.decode()
    # Even the right password is refused while locked, and no session is made.
    response = attempt(c, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in c.session
    # Another address, or another user at this address, is not locked.
    assert attempt(Client(REMOTE_ADDR="10.0.0.6"), PASSWORD).status_code == 302
    assert attempt(c, PASSWORD, username="leader").status_code == 302
    # After the 15-minute cool-off the user logs in again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt(c, PASSWORD).status_code == 302


def test_success_resets_the_failure_count(world):
    c = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        attempt(c, "wrong")
    assert attempt(c, PASSWORD).status_code == 302
    c2 = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        assert attempt(c2, "wrong").status_code == 200


def test_session_expires_after_inactivity(world, settings):
    settings.SESSION_COOKIE_AGE = 600
    c = Client()
    assert attempt(c, PASSWORD).status_code == 302
    session = Session.objects.get(session_key=c.session.session_key)
    # Activity pushes the expiry forward (at most once a minute, portal.sessions; this
    # first page after the login also records the year, so it renews at once).
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    assert c.get(reverse("dashboard")).status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + datetime.timedelta(seconds=590)
    # Idle past the age: the next request goes to the login page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = c.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
