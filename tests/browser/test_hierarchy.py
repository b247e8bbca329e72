"""The province's office switches to the demo bureau from the top bar and reads
its annual report read-only: the banner says so, and the page offers no edit."""

import pytest
from django.core.management import call_command

from portal.demo import DEMO_PASSWORD
from reports.models import AnnualReport, ReportBuild
from reports.services import build_run
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

# Every control of the report page that changes something.
EDIT_CONTROLS = ["编辑报告文字", "生成年度报告 PDF", "撤销定稿", "定稿", "修改历史"]


def test_province_office_reads_the_demo_report_read_only(page):
    call_command("seed_demo")
    report = AnnualReport.objects.get(committee__slug="demo", year=2020)
    build = ReportBuild.objects.create(report=report, status="queued", requested_by=report.created_by)
    build_run(build_id=build.pk)

    # The bureau's own office sees the controls (so their absence below means something).
    login(page, "office", DEMO_PASSWORD)
    page.goto(page.base_url + "/reports/2020/")
    assert page.get_by_role("button", name="生成年度报告 PDF").is_visible()
    assert page.get_by_role("link", name="撤销定稿…").is_visible()
    page.context.clear_cookies()

    login(page, "province", DEMO_PASSWORD)
    page.locator(".committee-switch .dropdown-toggle").click()
    page.locator(".committee-switch button", has_text="××市水文水资源勘测局党委").click()
    page.locator(".read-only-banner").wait_for()
    assert "正在以只读方式查看：××市水文水资源勘测局党委" in page.locator(".read-only-banner").inner_text()

    page.goto(page.base_url + "/reports/2020/")
    assert "正在以只读方式查看：××市水文水资源勘测局党委" in page.locator(".read-only-banner").inner_text()
    assert "共开展了81次交心谈心" in page.locator(".report-paper").inner_text()  # the bureau's own report
    main = page.locator("main")
    for label in EDIT_CONTROLS:
        assert main.get_by_role("button", name=label).count() == 0, label
        assert main.get_by_role("link", name=label).count() == 0, label
    assert main.locator("form[method=post]").count() == 1  # only the banner's way back home
    download = page.locator(".js-job-download")
    assert download.is_visible()  # they read the build
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".pdf")

    # Back to their own committee from the banner.
    page.locator(".read-only-banner .back-home").click()
    page.locator(".current-committee", has_text="××省水文水资源勘测中心党委").wait_for()
    assert page.locator(".read-only-banner").count() == 0
    assert page.js_errors == []
