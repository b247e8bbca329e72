"""The assessment journey in Chromium: the province office imports a sheet and
publishes it; the bureau's office self-scores a manual item with an attachment
and submits; the assessor adjusts one item with a reason and finalises; the
bureau closes the rectification with evidence; the province downloads the
sealed ranking PDF."""

import datetime
from pathlib import Path

import pytest

from portal.seal.verify import verify_pdf_bytes
from reports.assessment.models import Assessment, Rectification, Rubric
from tests import factories as f
from tests.browser.conftest import login
from tests.reports.assessment.conftest import tree  # noqa: F401  (the parent over committee alpha)
from tests.reports.assessment.sheets import workbook_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def as_user(browser, live_server):
    contexts = []

    def make(username):
        context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        login(page, username, f.PASSWORD)
        page.wait_for_url(live_server.url + "/")
        return page

    yield make
    for context in contexts:
        context.close()


def section(page, code):
    return page.locator(f"section.assessment-item[data-code='{code}']")


def test_assessment_journey(as_user, tree, tmp_path):
    sheet = tmp_path / "考核细则.xlsx"
    sheet.write_bytes(workbook_bytes())
    scan = tmp_path / "阵地检查记录.pdf"
    scan.write_bytes(b"%PDF-1.4\n% inspection notes\n")

    # 1. The province office imports the sheet (checked first) and publishes it.
    province = as_user("p_office")
    province.goto(province.base_url + "/assessment/import/")
    province.fill("input[name=year]", "2020")
    province.set_input_files("input[name=file]", str(sheet))
    province.click("#import-check")
    assert "5个考核项目" in province.inner_text("#preview-ok")
    assert not Rubric.objects.exists()
    province.click("#import-confirm")
    province.click("#publish")
    province.click("#confirm")
    assert province.inner_text("#rubric-state") == "已发布"
    assessment = Assessment.objects.get(committee=tree.child)

    # 2. The bureau's office scores the manual item, attaches evidence and submits.
    bureau = as_user("office")
    bureau.goto(bureau.base_url + "/assessment/mine/")
    bureau.click("#my-assessments a")
    item = section(bureau, "3.1")
    item.locator("input[name=self_score]").fill("24")
    item.locator("textarea[name=explanation]").fill("宣传栏、微信群每季度检查")
    item.locator("form.self-form button").click()
    assert "已保存3.1" in bureau.inner_text("main")
    item = section(bureau, "3.1")
    item.locator("form.attach-form input[name=files]").set_input_files(str(scan))
    item.locator("form.attach-form button").click()
    assert "阵地检查记录.pdf" in section(bureau, "3.1").inner_text()
    bureau.click("#submit")
    bureau.click("#confirm")
    assert bureau.inner_text("#assessment-state") == "待审核"

    # 3. The assessor adjusts it with a reason and finalises.
    assessor = as_user("assessor")
    assessor.goto(f"{assessor.base_url}/assessment/{assessment.pk}/")
    review = section(assessor, "3.1").locator("form.review-form")
    review.locator("select[name=decision]").select_option("adjust")
    review.locator("input[name=score]").fill("20")
    review.locator("input[name=reason]").fill("微信群缺少两次检查记录")
    review.locator("button").click()
    assert "微信群缺少两次检查记录" in section(assessor, "3.1").inner_text()
    assessor.click("#finalise")
    assessor.fill("input[name=due_date]", (datetime.date.today() + datetime.timedelta(days=30)).isoformat())
    assessor.click("#confirm")
    assert assessor.inner_text("#assessment-state") == "已评定"

    # 4. The bureau closes the rectification of 3.1 with a note and evidence.
    rect = Rectification.objects.get(item__rubric_item__code="3.1")
    bureau.goto(bureau.base_url + "/assessment/mine/")
    bureau.click(f"a[href='/assessment/rectification/{rect.pk}/']")
    bureau.set_input_files("form.attach-form input[name=files]", str(scan))
    bureau.click("form.attach-form button")
    bureau.fill("#close-form textarea[name=note]", "已补齐微信群检查记录")
    bureau.click("#close-form button")
    assert bureau.inner_text("#rect-state") == "已整改待确认"

    # 5. The province downloads the ranking as a sealed PDF.
    province.goto(f"{province.base_url}/assessment/rubric/{assessment.rubric_id}/ranking/")
    assert "甲局党委" in province.inner_text("#ranking")
    with province.expect_download() as info:
        province.click("#ranking-pdf")
    pdf = Path(info.value.path()).read_bytes()
    assert verify_pdf_bytes(pdf).accepted
    for page in (province, bureau, assessor):
        assert page.js_errors == []
