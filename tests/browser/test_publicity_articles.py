import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo")


def test_office_records_provincial_article_and_sees_the_year_count_rise(page, demo):
    login(page, "office", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/publicity/article/?year=2020")
    assert page.inner_text(".high-level-count") == "9"
    page.click("main a:text-is(\"新增\")")
    page.fill("input[name=date]", "2020-12-20")
    page.fill("input[name=title]", "××水文局开展冬季水资源监测")
    page.fill("input[name=outlet]", "湖北日报")
    page.select_option("select[name=level]", label="省部级")
    page.click("main form button[type=submit]")
    page.wait_for_selector("dl.record-detail")
    page.goto(page.base_url + "/publicity/article/?year=2020")
    assert page.inner_text(".high-level-count") == "10"
    assert "××水文局开展冬季水资源监测" in page.inner_text("table.record-table")
    assert page.js_errors == []
