import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo")


def test_branch_secretary_records_party_day_with_attendees(page, demo):
    from study.models import StudySession

    login(page, "branch1", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/study/session/new/")
    # A branch secretary can only pick their own branch.
    assert page.locator("select[name=branch] option").all_inner_texts() == ["机关第一党支部"]
    page.fill("input[name=date]", "2020-11-20")
    page.select_option("select[name=kind]", label="主题党日")
    page.fill("input[name=theme]", "学习十九届五中全会精神主题党日")
    options = page.locator("select[name=attendees] option").all_inner_texts()
    assert options[0].endswith("（机关第一党支部）")  # own branch's people first
    page.select_option("select[name=attendees]", label=["孙丽（机关第一党支部）", "郑华（机关第一党支部）", "钱程（机关第一党支部）"])
    page.click("main form button[type=submit]")
    page.wait_for_selector("dl.record-detail")
    detail = page.inner_text("dl.record-detail")
    assert "机关第一党支部" in detail and "孙丽" in detail and "钱程" in detail
    session = StudySession.objects.get(theme="学习十九届五中全会精神主题党日")
    assert session.attendees.count() == 3 and session.created_by.username == "branch1"
    assert page.js_errors == []


def test_overview_shows_the_charts(page, demo):
    login(page, "leader", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/study/overview/?year=2020")
    chart = page.locator(".overview-chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert page.locator(".overview-chart svg rect").count() > 12
    assert "全年共 11 次" in page.inner_text(".central-summary")
    assert page.locator("table.central-sessions tr.ideology").count() == 1
    page.goto(page.base_url + "/study/appstat/?year=2020")
    assert page.locator(".appstat-chart svg circle").count() == 24
    assert page.js_errors == []
