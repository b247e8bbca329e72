"""A leader builds the year's report from the dashboard, watches its progress
and downloads the PDF."""

import time

import pytest

from reports import services
from reports.models import ReportBuild
from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_builds_watches_progress_and_downloads_the_pdf(page, world, tmp_path):
    f.CommitteeMeetingFactory(committee=world.committee, is_ideology=True)
    report = services.report_for_year(committee=world.committee, year=2020)
    # A build a worker has half done: the page must show its progress and follow it.
    running = ReportBuild.objects.create(report=report, status="running", progress=40)
    login(page, "leader", f.PASSWORD)
    page.goto(page.base_url + "/?year=2020")
    panel = page.locator(".report-build")
    panel.locator(".js-job-status", has_text="生成中").wait_for()
    assert panel.locator(".js-job-percent").inner_text() == "40%"
    assert panel.locator(".js-build-button").is_disabled()
    assert panel.locator(".js-job-download").is_hidden()
    page.evaluate("window.__noReload = true")

    ReportBuild.objects.filter(pk=running.pk).update(status="queued")
    services.build_run(build_id=running.pk)  # the "worker" finishes it
    panel.locator(".js-job-status", has_text="已完成").wait_for()
    panel.locator(".js-job-download").wait_for(state="visible")

    first_href = panel.locator(".js-job-download").get_attribute("href")
    assert f"/builds/{running.pk}/" in first_href
    panel.locator(".js-build-button").click()  # a new build (runs in the server's job threads)
    # page.wait_for_function would eval a string, which the CSP forbids: poll from here
    for _ in range(100):
        if panel.locator(".js-job-download").get_attribute("href") != first_href:
            break
        page.wait_for_timeout(200)
    assert panel.locator(".js-job-download").get_attribute("href") != first_href
    assert page.evaluate("window.__noReload") is True  # polled, never reloaded
    with page.expect_download() as info:
        panel.locator(".js-job-download").click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF") and info.value.suggested_filename.endswith(".pdf")
    assert ReportBuild.objects.filter(status="done").count() == 2
    assert page.js_errors == []


def test_office_inserts_a_suggestion_into_the_shortcomings(page, world):
    f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020, status="complete")
    login(page, "office", f.PASSWORD)
    page.goto(page.base_url + "/reports/2020/edit/")
    page.fill("#id_shortcomings", "一年来，工作取得了一定成绩。")
    item = page.locator("#suggestions li", has_text="第二党支部尚未签订")
    item.locator(".js-insert-suggestion").click()
    value = page.input_value("#id_shortcomings")
    assert value.startswith("一年来，工作取得了一定成绩。\n第二党支部尚未签订2020年度意识形态工作责任书")
    page.fill("#id_shortcomings", value + "已督促补签。")  # staff edit it afterwards
    page.click("#save-report")
    page.locator(".report-paper").wait_for()
    assert "第二党支部尚未签订2020年度意识形态工作责任书，责任传导还需压实。已督促补签。" in page.content()
    assert page.js_errors == []


SAMPLE_PANEL = """() => {
  const panel = document.querySelector(".report-build");
  const percent = panel.querySelector(".js-job-percent");
  return [panel.querySelector(".js-job-status").textContent,
          percent.classList.contains("d-none") ? "" : percent.textContent,
          panel.querySelector(".js-build-button").disabled];
}"""


def test_embedded_build_runs_after_the_response_with_progress_and_a_disabled_button(page, world, tmp_path):
    """No Redis: clicking 生成 answers at once; the build runs in the server's job
    threads while the page polls, the button stays disabled, then the download."""
    f.CommitteeMeetingFactory(committee=world.committee, is_ideology=True)
    login(page, "office", f.PASSWORD)
    page.goto(page.base_url + "/reports/2020/")
    panel = page.locator(".report-build")
    panel.locator(".js-job-status", has_text="尚未生成").wait_for()
    button = panel.locator(".js-build-button")
    assert button.is_enabled() and panel.locator(".js-job-download").is_hidden()
    seen = []
    started = time.monotonic()
    button.click()
    # Sample the panel as a person would watch it, until the build is done
    # (status, percent and button read at one instant, between two renders).
    while time.monotonic() - started < 120:
        state = tuple(page.evaluate(SAMPLE_PANEL))
        if not seen or seen[-1] != state:
            seen.append((round(time.monotonic() - started, 1), *state))
        if state[0] == "已完成":
            break
        page.wait_for_timeout(100)
    active = [s for s in seen if s[1] in ("排队中", "生成中")]
    assert active, seen
    assert active[0][0] < 3, f"no feedback for {active[0][0]}s after the click: {seen}"
    assert all(disabled for _t, _label, _pct, disabled in active), seen
    # A fast build may finish between two polls, so 生成中 is not always seen; when
    # it is, it shows its percentage (the job's progress itself: tests/portal/test_jobs.py).
    assert all(pct.endswith("%") for _t, label, pct, _d in active if label == "生成中"), seen
    assert seen[-1][1] == "已完成" and not seen[-1][3], seen
    link = panel.locator(".js-job-download")
    link.wait_for(state="visible")
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert ReportBuild.objects.get().status == "done"
    assert page.js_errors == []
