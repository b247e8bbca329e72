"""The letter journey in Chromium: branch secretary signs with the mouse, the
committee secretary countersigns, the PDF carries both names and the body hash."""

import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2021


@pytest.fixture
def waiting_letter(transactional_db, settings):
    """The demo, plus a 2021 letter issued by the office and waiting for branch1."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from portal.access import actor_for
    from portal.models import Branch
    from responsibility import services

    from responsibility.models import Assignment

    call_command("seed_demo")
    office = actor_for(User.objects.get(username="office"))
    branch = Branch.objects.get(committee=office.committee, secretary__user__username="branch1")
    # 2021's 责任分工 names the signers: 张建国 countersigns, 孙丽 signs for her branch.
    for username, kind, signs_for in (("leader", Assignment.Kind.FIRST, None), ("branch1", Assignment.Kind.BRANCH, branch)):
        person = User.objects.get(username=username).person
        Assignment.objects.create(committee=office.committee, year=YEAR, person=person, kind=kind, branch=signs_for)
    letter = services.letter_create(actor=office, branch=branch, year=YEAR)
    return services.letter_issue(actor=office, letter=letter)


def draw_signature(page):
    canvas = page.locator("#signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 60)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(x + 30 + step * 12, y + 60 + (step % 5) * 12, steps=2)
    page.mouse.up()


def sign(page, password="demo1234"):
    draw_signature(page)
    page.fill("input[name=password]", password)
    page.click("#sign-submit")


def test_branch_secretary_signs_leader_countersigns_pdf_has_both(page, waiting_letter):
    letter = waiting_letter
    login(page, "branch1", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/?year={YEAR}")
    page.click(f".panel-letters-to-sign a:has-text('{letter.title}')")
    assert letter.body_sha256 in page.inner_text(".letter-hash")

    # Submitting without drawing is stopped in the page.
    page.fill("input[name=password]", "demo1234")
    page.click("#sign-submit")
    assert page.is_visible("#signature-empty")

    sign(page)
    page.wait_for_selector(".alert-success")
    assert "签字成功" in page.inner_text(".alert-success")
    assert "孙丽" in page.inner_text("#branch-signer")
    assert page.js_errors == []

    page.context.clear_cookies()
    login(page, "leader", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/?year={YEAR}")
    page.click(f".panel-letters-to-countersign a:has-text('{letter.title}')")
    sign(page, password="wrong-password")
    assert "密码不正确" in page.inner_text(".invalid-feedback")
    sign(page)
    page.wait_for_selector(".alert-success")
    assert "已签订" in page.inner_text("#letter-status")

    with page.expect_download() as info:
        page.click("#letter-pdf")
    data = open(info.value.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "孙丽" in text and "张建国" in text and letter.body_sha256 in text
    assert page.js_errors == []


def test_signing_with_touch_on_a_phone(browser, live_server, waiting_letter):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "branch1", "demo1234")
        page.wait_for_url(page.base_url + "/")
        page.goto(page.base_url + f"/responsibility/letter/{waiting_letter.pk}/sign/")
        canvas = page.locator("#signature-pad")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the phone screen
        cx, cy = box["x"] + 20, box["y"] + 40
        init = {"pointerId": 7, "pointerType": "touch", "isPrimary": True, "bubbles": True, "cancelable": True}
        canvas.dispatch_event("pointerdown", {**init, "clientX": cx, "clientY": cy})
        for step in range(1, 20):
            canvas.dispatch_event("pointermove", {**init, "clientX": cx + step * 14, "clientY": cy + (step % 4) * 15})
        canvas.dispatch_event("pointerup", {**init, "clientX": cx + 280, "clientY": cy})
        page.fill("input[name=password]", "demo1234")
        page.click("#sign-submit")
        page.wait_for_selector(".alert-success")
        assert "签字成功" in page.inner_text(".alert-success")
    finally:
        context.close()
