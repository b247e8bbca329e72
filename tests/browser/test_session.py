"""Nothing typed is lost: the session warns before it expires and can be
extended; a form posted after expiry comes back filled in after logging in;
a form too large for the server is not sent and keeps what was typed."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from responsibility.models import CommitteeMeeting
from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

FORM = "/responsibility/meeting/new/"


def session_row() -> Session:
    return Session.objects.order_by("-expire_date").first()


def open_form(page) -> None:
    login(page, "office", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + FORM)
    page.fill("#id_date", "2020-06-18")
    page.fill("#id_title", "党委会（六月）")


def test_the_session_warns_before_expiry_and_is_extended(page, world, settings):
    settings.SESSION_COOKIE_AGE = 40  # renewed every 4 s at most: pages count 36 s (portal.sessions)
    settings.SESSION_WARNING_SECONDS = 33  # the warning shows ~3 s after a page loads
    login(page, "office", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")
    warning = page.locator("#session-warning")
    assert warning.is_hidden()
    warning.wait_for(state="visible", timeout=15000)
    assert "会话将在" in warning.inner_text() and "后过期" in warning.inner_text()
    before = session_row().expire_date
    page.wait_for_timeout(1100)  # so the renewed expiry is measurably later
    warning.get_by_role("button", name="继续使用").click()
    warning.wait_for(state="hidden")
    assert session_row().expire_date > before
    assert page.url == page.base_url + "/"  # extended in place: nothing on the page is lost

    # Once the session has really ended, "继续使用" cannot extend it: the warning says so.
    warning.wait_for(state="visible", timeout=15000)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    warning.get_by_role("button", name="继续使用").click()
    warning.get_by_text("会话已过期，请重新登录").wait_for()
    assert warning.get_by_role("link", name="重新登录").is_visible()
    assert page.js_errors == []


def test_a_form_posted_after_expiry_is_filled_in_again_after_logging_in(page, world):
    open_form(page)
    page.check("#id_is_ideology")
    page.fill("#id_agenda", "一、研究意识形态工作\n二、部署下半年宣传工作")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # 8 hours later…
    page.click("main form button[type=submit]")

    page.wait_for_url("**/login/**")
    assert "会话已过期，请重新登录；您填写的内容已保留" in page.inner_text("main")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_url(page.base_url + FORM)  # back on the form; the one-time token is gone from the address
    assert "已恢复您之前填写的内容" in page.inner_text("main")
    assert page.input_value("#id_title") == "党委会（六月）"
    assert page.input_value("#id_date") == "2020-06-18"
    assert page.is_checked("#id_is_ideology")
    assert page.input_value("#id_agenda") == "一、研究意识形态工作\n二、部署下半年宣传工作"
    assert not CommitteeMeeting.objects.exists()  # offered again, never sent by itself
    page.click("main form button[type=submit]")
    page.wait_for_selector("dl.record-detail")
    meeting = CommitteeMeeting.objects.get()
    assert meeting.title == "党委会（六月）" and meeting.is_ideology and meeting.agenda.startswith("一、研究")
    assert page.js_errors == []


def test_a_ten_megabyte_field_is_not_sent_and_the_form_keeps_what_was_typed(page, world):
    open_form(page)
    # 10 MB of Chinese text (30 MB once form-encoded), as if pasted.
    page.evaluate("n => { document.getElementById('id_agenda').value = '长'.repeat(n); }", 3_500_000)
    page.click("main form button[type=submit]")
    error = page.locator("#id_agenda ~ .js-too-large")
    error.wait_for()
    assert "内容过长" in error.inner_text() and "上限 5.0 MB" in error.inner_text()
    assert page.url == page.base_url + FORM
    assert page.input_value("#id_title") == "党委会（六月）"
    assert page.evaluate("() => document.getElementById('id_agenda').value.length") == 3_500_000
    assert not CommitteeMeeting.objects.exists()
    assert page.js_errors == []
