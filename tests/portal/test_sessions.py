"""Sessions expire after SESSION_COOKIE_AGE without a request, yet a page view
does not write the session each time: it is renewed at most once per
renew_interval() (portal.sessions)."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import sessions

pytestmark = pytest.mark.django_db


def session_writes(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT"))


def test_a_page_soon_after_the_last_renewal_writes_no_session(world, client_for):
    c = client_for(world.office)
    c.get(reverse("dashboard"))  # renews (a new session is modified anyway)
    assert session_writes(c, reverse("dashboard")) == 0


def test_a_page_after_the_interval_renews_the_expiry(world, client_for, settings):
    c = client_for(world.office)
    key = c.cookies["sessionid"].value
    store = SessionStore(key)
    store[sessions.RENEWED_KEY] = int(timezone.now().timestamp()) - settings.SESSION_RENEW_SECONDS
    store.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    assert session_writes(c, reverse("dashboard")) == 1
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert left > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)
    assert c.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_the_warning_counts_from_the_earliest_expiry(settings):
    settings.SESSION_COOKIE_AGE, settings.SESSION_RENEW_SECONDS = 8 * 3600, 60
    assert sessions.guaranteed_age() == 8 * 3600 - 60
    settings.SESSION_COOKIE_AGE = 100  # a short session renews at least ten times over its life
    assert sessions.guaranteed_age() == 90


def test_a_stale_cookie_creates_no_session(world):
    c = Client()
    c.cookies["sessionid"] = "x" * 32
    before = Session.objects.count()
    assert c.get(reverse("login")).status_code == 200
    assert Session.objects.count() == before
