"""The office imports a ledger workbook in Chromium: each step runs in the
background (the embedded setup: threads of the server) while the page shows
its progress; the preview lists the one bad row, the fixed workbook previews
clean, confirming writes the records and the portal shows the imported year."""

import threading

import pytest
from playwright.sync_api import expect

from portal.ledger import services
from tests import factories as f
from tests.browser.conftest import login
from tests.ledger.helpers import xlsx

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [["姓名", "所在支部", "职务", "党员", "班子成员"], ["甲书记", "第一党支部", "党委书记", "是", "是"], ["乙同志", "第一党支部", "科员", "是", "否"]]
TALK_HEADER = ["日期", "谈话人", "谈话对象", "谈话类型", "要点"]


def workbook(tmp_path, talkee):
    path = tmp_path / f"台账-{talkee}.xlsx"
    rows = [TALK_HEADER, ["2020-06-01", "甲书记", "乙同志", "谈心谈话", "要点"], ["2020-06-02", "甲书记", talkee, "提醒谈话", ""]]
    path.write_bytes(xlsx({"人员": PEOPLE, "谈心谈话": rows}).getvalue())
    return str(path)


@pytest.fixture
def held(monkeypatch):
    """Once armed, holds the next preview while it checks its rows, so the page's progress can be seen."""
    state = {"armed": False, "reached": threading.Event(), "go": threading.Event()}
    real = services._progress

    def progress(job_id, percent, note):
        real(job_id, percent, note)
        if state["armed"] and note == "正在检查数据" and not state["reached"].is_set():
            state["reached"].set()
            state["go"].wait(60)

    monkeypatch.setattr(services, "_progress", progress)
    yield state
    state["go"].set()


def test_office_fixes_an_error_and_imports_watching_the_progress(page, tmp_path, held):
    from responsibility.models import Talk

    committee = f.CommitteeFactory(slug="alpha", name="甲局党委", short_name="局党委")
    f.person_with_user(committee, "office", role="office", name="办公室主任")
    login(page, "office", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/ledger/import/")
    assert "100000" in page.inner_text(".ledger-bounds")

    page.set_input_files("input[name=file]", workbook(tmp_path, "丙同志"))
    page.click(".ledger-upload button[type=submit]")
    errors = page.locator(".ledger-errors tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    assert errors.first.locator("td").all_inner_texts() == ["谈心谈话", "3", "谈话对象", "未知的人员“丙同志”（请在“人员”表中定义）"]
    assert page.locator("text=确认导入").count() == 0
    assert Talk.objects.count() == 0

    held["armed"] = True
    page.set_input_files("input[name=file]", workbook(tmp_path, "乙同志"))
    page.click(".ledger-upload button[type=submit]")
    assert held["reached"].wait(30)
    # The job page polls its status: running, at the step of checking the rows.
    expect(page.locator(".js-job-note")).to_have_text("正在检查数据")
    expect(page.locator(".js-job-status")).to_have_text("进行中")
    expect(page.locator(".js-job-percent")).to_have_text("45%")
    assert page.get_attribute(".js-job-progress", "value") == "45"
    held["go"].set()
    page.wait_for_selector(".ledger-counts")  # done: the page opens the preview by itself
    assert page.locator(".ledger-errors").count() == 0
    assert page.inner_text(".ledger-counts tr[data-sheet=谈心谈话] .count-create") == "2"
    assert page.inner_text(".ledger-counts tr[data-sheet=人员] .count-create") == "2"
    page.click("text=确认导入")
    page.wait_for_selector(".alert-success")
    assert "现在查看的是 2020 年" in page.inner_text(".alert-success")
    assert Talk.objects.filter(committee=committee).count() == 2

    page.goto(page.base_url + "/responsibility/talk/")
    listing = page.inner_text("main")
    assert "甲书记" in listing and "乙同志" in listing
    assert page.js_errors == []
