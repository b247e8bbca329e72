"""The letter journey in Chromium: branch secretary signs with the mouse, the
committee secretary countersigns, the PDF carries both names and the body hash;
and the same on a phone (390×844, touch): the page fits the screen, a wrong
password keeps the drawn signature, the completion screen says what is next."""

import io

import pytest
from pypdf import PdfReader

from playwright.sync_api import expect

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
    expect(page.locator("#password-error")).to_contain_text("密码不正确")
    sign(page)
    page.wait_for_selector(".alert-success")
    assert "已签订" in page.inner_text("#letter-status")

    with page.expect_download() as info:
        page.click("#letter-pdf")
    data = open(info.value.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "孙丽" in text and "张建国" in text and letter.body_sha256 in text
    assert page.js_errors == []


PHONE = {"width": 390, "height": 844}
INK = """() => {
  const canvas = document.getElementById("signature-pad");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i]) { inked++; } }
  return inked;
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, accept_downloads=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def touch_signature(page) -> None:
    """A finger writes on the canvas: real touch input through Chromium (CDP), not synthetic DOM events."""
    canvas = page.locator("#signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    cdp = page.context.new_cdp_session(page)
    x, y = box["x"] + 20, box["y"] + 40
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 20):
        point = {"x": x + step * 14, "y": y + (step % 4) * 15}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def leads_the_dashboard(page, panel: str) -> None:
    """What awaits the user is above the count tiles and on the first screen."""
    card = page.locator(panel).bounding_box()
    counts = page.locator("#counts").bounding_box()
    assert card["y"] < counts["y"] and card["y"] + 40 < PHONE["height"]


def open_from_the_dashboard(page, username: str, panel: str, letter, action: str) -> None:
    """Log in on the phone; the letter waiting for the user leads the dashboard; open its signing page."""
    login(page, username, "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/?year={YEAR}")
    leads_the_dashboard(page, panel)
    page.click(f"{panel} a:has-text('{letter.title}')")
    page.wait_for_url(f"**/letter/{letter.pk}/{action}/")
    fits_the_phone(page)


def sign_on_the_phone(page, password="demo1234") -> None:
    page.fill("input[name=password]", password)
    page.click("#sign-submit")


def test_signing_on_a_phone(phone, waiting_letter):
    from portal.seal.verify import verify_pdf_bytes

    page, letter = phone, waiting_letter
    open_from_the_dashboard(page, "branch1", ".panel-letters-to-sign", letter, "sign")

    touch_signature(page)
    drawn = page.evaluate(INK)
    assert drawn > 100
    sign_on_the_phone(page, password="wrong-password")
    expect(page.locator("#password-error")).to_contain_text("密码不正确")
    assert page.url.endswith(f"/letter/{letter.pk}/sign/")
    assert page.evaluate(INK) == drawn  # the signature is still there, as drawn
    fits_the_phone(page)
    sign_on_the_phone(page)  # no need to write it again

    page.wait_for_url(f"**/letter/{letter.pk}/signed/")
    assert "签字成功" in page.inner_text(".alert-success")
    assert "等待党委书记会签" in page.inner_text("#letter-next") and "孙丽" in page.inner_text("#branch-signer")
    fits_the_phone(page)
    with page.expect_download() as info:
        page.click("#letter-pdf")
    verdict = verify_pdf_bytes(open(info.value.path(), "rb").read())
    assert verdict.accepted and verdict.current and verdict.description.status == "支部书记已签字，待党委书记会签"

    for path in (f"/responsibility/letter/{letter.pk}/", "/responsibility/letter/verify/"):
        page.goto(page.base_url + path)
        fits_the_phone(page)
    page.fill("input[name=sha256]", letter.body_sha256)
    page.click("main form button[type=submit]")
    expect(page.locator("#verify-result")).to_contain_text("找到匹配的责任书")
    fits_the_phone(page)
    assert page.js_errors == []

    page.context.clear_cookies()
    open_from_the_dashboard(page, "leader", ".panel-letters-to-countersign", letter, "countersign")
    touch_signature(page)
    sign_on_the_phone(page)
    page.wait_for_url(f"**/letter/{letter.pk}/signed/")
    assert "责任书已签订完成" in page.inner_text("#letter-next") and "已签订" in page.inner_text("#letter-status")
    fits_the_phone(page)
    page.goto(page.base_url + f"/responsibility/letter/{letter.pk}/")
    assert "审计链完整" in page.inner_text("#letter-chain")
    fits_the_phone(page)  # both signatures, the hash and every event
    assert page.js_errors == []
