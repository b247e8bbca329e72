"""The office imports a ledger workbook in Chromium: the preview shows the one
bad row, the fixed workbook previews clean, confirming writes the records."""

import pytest

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


def test_office_fixes_an_error_and_imports(page, tmp_path):
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
    assert errors.count() == 1
    assert errors.first.locator("td").all_inner_texts() == ["谈心谈话", "3", "谈话对象", "未知的人员“丙同志”（请在“人员”表中定义）"]
    assert page.locator("text=确认导入").count() == 0
    assert Talk.objects.count() == 0

    page.set_input_files("input[name=file]", workbook(tmp_path, "乙同志"))
    page.click(".ledger-upload button[type=submit]")
    assert page.locator(".ledger-errors").count() == 0
    assert page.inner_text(".ledger-counts tr[data-sheet=谈心谈话] .count-create") == "2"
    assert page.inner_text(".ledger-counts tr[data-sheet=人员] .count-create") == "2"
    page.click("text=确认导入")
    page.wait_for_selector(".alert-success")
    assert Talk.objects.filter(committee=committee).count() == 2

    page.goto(page.base_url + "/responsibility/talk/?year=2020")
    listing = page.inner_text("main")
    assert "甲书记" in listing and "乙同志" in listing
    assert page.js_errors == []
