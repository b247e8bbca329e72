"""The office issues a letter; its branch secretary logs in, sees the badge, opens the
notification and lands on the letter (and has the e-mail too)."""

import pytest
from django.core import mail

from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_issued_letter_reaches_the_secretary_through_the_badge(page, signers):
    from portal import jobs
    from portal.access import actor_for
    from responsibility import services

    world = signers
    f.give_email(world.branch_secretary)
    letter = services.letter_create(actor=actor_for(world.office), branch=world.branch, year=2020)
    letter_url = page.base_url + f"/responsibility/letter/{letter.pk}/"

    login(page, "office", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")
    page.goto(letter_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"form[action='/responsibility/letter/{letter.pk}/issue/'] button")
    page.wait_for_selector(".alert-success")
    assert page.locator(".notifications-badge").count() == 0  # the office is not told what it did itself

    page.context.clear_cookies()
    login(page, "sec_a", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")
    assert page.inner_text(".notifications-badge") == "1"
    assert page.locator(".notifications-badge-compact").is_hidden()
    # On a phone the menu is folded away: the badge stays in sight beside it.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.inner_text(".notifications-badge-compact") == "1"
    page.click(".notifications-link-compact")
    page.wait_for_url(page.base_url + "/notifications/")
    item = page.locator(".notification-unread .notification-open")
    assert letter.title in item.inner_text() and "请您阅读后签字" in item.inner_text()
    item.click()
    page.wait_for_url(letter_url)
    assert letter.title in page.content()
    assert page.locator(".notifications-badge").count() == 0  # opened, so read
    assert page.js_errors == []

    assert jobs.wait_idle(30)
    [message] = mail.outbox
    assert message.to == ["sec_a@example.invalid"] and letter_url.split("/responsibility")[1] in message.body
