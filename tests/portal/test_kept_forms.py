"""Nothing typed is lost: a form posted after the session expired is kept and
offered again after logging in, for the same user only; a form posted too
large comes back with its other fields and an error, never a bare 400 page;
the session's expiry warning gets its timing and can be extended."""

import datetime
import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responsibility.models import CommitteeMeeting
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FORM = "/responsibility/meeting/new/"
TYPED = {"date": "2020-05-06", "title": "党委会（五月）", "is_ideology": "on", "agenda": "研究意识形态工作\n第二项"}


def logged_in(username="office") -> Client:
    c = Client()
    assert c.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return c


def expire(client) -> None:
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def post_form(client, data, **extra):
    """As a browser posts this form (it has no file field): url-encoded."""
    return client.post(
        FORM, urlencode(data), content_type="application/x-www-form-urlencoded",
        HTTP_REFERER=f"http://testserver{FORM}?year=2020", **extra,
    )


def kept_form(response) -> dict | None:
    found = re.search(r'<script id="kept-form" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else None


def test_a_form_posted_after_expiry_is_offered_again_after_logging_in(world):
    c = logged_in()
    expire(c)
    response = post_form(c, {**TYPED, "password": "x", "signature": "data:image/png;base64,AAAA"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not CommitteeMeeting.objects.exists()
    login_page = c.get(response["Location"])
    assert "会话已过期，请重新登录；您填写的内容已保留" in login_page.content.decode()
    next_url = login_page.context["next"]
    assert next_url.startswith(FORM + "?year=2020&_restore=")  # back to the page it was typed in

    after_login = c.post(response["Location"], {"username": "office", "password": PASSWORD, "next": next_url})
    assert after_login.status_code == 302 and after_login["Location"] == next_url
    page = c.get(next_url)
    assert page.status_code == 200
    kept = kept_form(page)
    assert kept["action"] == FORM
    assert kept["data"] == {k: [v] for k, v in TYPED.items()}  # neither the password nor the signature
    assert "已恢复您之前填写的内容" in page.content.decode()
    assert not CommitteeMeeting.objects.exists()  # offered again, never submitted
    # The token is good once.
    assert kept_form(c.get(next_url)) is None


def test_a_kept_form_is_offered_only_to_the_user_who_typed_it(world):
    c = logged_in("office")
    expire(c)
    response = post_form(c, TYPED)
    next_url = c.get(response["Location"]).context["next"]
    # Someone else logs in on the same browser and follows the link.
    c.post(reverse("login"), {"username": "leader", "password": PASSWORD, "next": next_url})
    page = c.get(next_url)
    assert page.status_code == 403  # the leader may not add meetings
    assert kept_form(page) is None and "已恢复" not in page.content.decode()


def test_nothing_is_kept_after_logging_out(world):
    c = logged_in()
    c.post(reverse("logout"))
    response = post_form(c, TYPED)
    assert response.status_code == 302 and "_restore" not in response["Location"]
    assert "kept_forms" not in c.session


def test_kept_forms_are_bounded(world):
    from portal import kept_forms

    c = logged_in()
    expire(c)
    response = post_form(c, {**TYPED, "agenda": "议" * 100_000})  # 300 KB of text
    next_url = c.get(response["Location"]).context["next"]
    c.post(reverse("login"), {"username": "office", "password": PASSWORD, "next": next_url})
    kept = kept_form(c.get(next_url))
    assert "agenda" not in kept["data"] and kept["dropped"] == ["agenda"]
    assert kept["data"]["title"] == [TYPED["title"]]
    for _ in range(kept_forms.KEPT_MAX_FORMS + 2):
        expire(c)
        post_form(c, TYPED)
        c.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert len(c.session["kept_forms"]) <= kept_forms.KEPT_MAX_FORMS


def test_a_ten_megabyte_field_returns_the_form_with_an_error(world, settings):
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB) Django answers a bare 400. (The
    browser refuses to send such a form at all, static/js/session.js; this is
    what a form sent anyway gets, up to the 413 limit of portal.limits.)"""
    c = logged_in()
    huge = "pasted log line\n" * (10 * 1024 * 1024 // 16)
    response = post_form(c, {**TYPED, "agenda": huge})
    assert response.status_code == 302  # not a bare 400
    assert "_restore=" in response["Location"] and response["Location"].startswith(FORM + "?year=2020")
    page = c.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "portal-nav" in html  # the page with its menu
    assert "提交的内容过大" in html and "其余内容已保留" in html
    kept = kept_form(page)
    assert kept["dropped"] == ["agenda"] and kept["data"]["title"] == [TYPED["title"]]
    assert not CommitteeMeeting.objects.exists()


def test_a_too_large_form_is_kept_only_with_a_valid_csrf_token(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    response = post_form(c, {**TYPED, "agenda": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 403
    assert "kept_forms" not in c.session


def test_a_too_large_multipart_form_is_refused_with_a_message_not_a_400(world):
    c = logged_in()
    response = c.post(FORM, {**TYPED, "agenda": "x" * (6 * 1024 * 1024), "file": ("a.txt", b"a")},
                      HTTP_REFERER=f"http://testserver{FORM}")
    assert response.status_code == 302 and response["Location"] == FORM
    page = c.get(FORM)
    assert "提交的内容过大" in page.content.decode() and "请缩短后重新提交" in page.content.decode()


def test_pages_carry_the_session_timing_and_extending_renews_the_session(world, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_WARNING_SECONDS = 120
    c = logged_in()
    html = c.get(reverse("dashboard")).content.decode()
    # renewed at most once a minute (portal.sessions): the page counts from the earliest expiry
    assert 'id="session-warning"' in html and 'data-age="540"' in html and 'data-warn="120"' in html
    assert "js/session.js" in html
    key = c.cookies["sessionid"].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    response = c.post(reverse("session_extend"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"expired": False, "age": 600}
    assert Session.objects.get(pk=key).expire_date > timezone.now() + datetime.timedelta(seconds=590)
    expire(c)
    assert c.post(reverse("session_extend")).json() == {"expired": True}
    assert 'id="session-warning"' not in Client().get(reverse("login")).content.decode()
