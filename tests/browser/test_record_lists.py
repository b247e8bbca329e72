"""Lists and forms in Chromium: sort by clicking a header, filter by a date
range, export what is shown, jump to a page, save and continue adding with the
viewed year pre-filled, pick attendees by typing, all under the CSP."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo")


def watch_csp(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    return messages


def violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def first_dates(page) -> list[datetime.date]:
    """The first column ("2020年3月5日") of the list shown."""
    cells = page.locator("table.record-table tbody tr td:first-child").all_inner_texts()
    return [datetime.date(*map(int, re.findall(r"\d+", text))) for text in cells]


def test_sort_filter_export_and_jump_on_the_talk_list(page, demo):
    messages = watch_csp(page)
    login(page, "office", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/responsibility/talk/?year=2020")
    total = int(page.inner_text("text=/共 \\d+ 条/").split()[1])
    assert total > 20  # the demo's 81 talks span pages

    page.click("th >> text=日期")
    dates = first_dates(page)
    assert dates == sorted(dates) and "sort=date" in page.url
    page.click("th >> text=日期")  # again: the other way
    dates = first_dates(page)
    assert dates == sorted(dates, reverse=True) and "sort=-date" in page.url

    page.fill("#f-date_from", "2020-03-01")
    page.fill("#f-date_to", "2020-04-30")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_url("**date_from=2020-03-01**")
    shown = first_dates(page)
    start, end = datetime.date(2020, 3, 1), datetime.date(2020, 4, 30)
    assert shown and all(start <= day <= end for day in shown)
    assert shown == sorted(shown, reverse=True)  # the sort survives filtering
    in_range = int(page.inner_text("text=/共 \\d+ 条/").split()[1])
    assert in_range < total

    with page.expect_download() as download:
        page.click("text=导出当前列表")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("日期", "谈话人") and len(rows) - 1 == in_range
    assert all(start <= r[0].date() <= end for r in rows[1:])

    page.goto(page.base_url + "/responsibility/talk/?year=2020&sort=date")
    page.fill("#page-jump", "3")
    page.click("form.page-jump button[type=submit]")
    page.wait_for_url("**page=3**")
    assert "sort=date" in page.url and "3 / " in page.inner_text("nav .pagination")
    assert violations(messages) == [] and page.js_errors == []


def test_save_and_continue_with_the_viewed_year_prefilled(page, demo):
    from responsibility.models import CommitteeMeeting

    messages = watch_csp(page)
    login(page, "office", "demo1234")
    page.wait_for_url(page.base_url + "/")
    # The year is picked in the menu's year selector, not in the new-record URL.
    page.goto(page.base_url + "/responsibility/meeting/")
    year = page.locator("#year-select option").last.get_attribute("value")  # not the demo's 2020
    page.select_option("#year-select", year)
    page.wait_for_url(f"**year={year}**")
    page.click("main >> text=新增")
    page.wait_for_selector("form.record-form")
    assert "year=" not in page.url and page.input_value("input[name=date]").startswith(f"{year}-")
    page.fill("input[name=date]", f"{year}-06-18")
    page.fill("input[name=title]", "第一次补录的党委会")
    page.click("button:has-text('保存并继续新增')")
    page.wait_for_selector("text=请继续新增")
    assert "/meeting/new/" in page.url and page.input_value("input[name=title]") == ""
    assert page.input_value("input[name=date]") == f"{year}-06-18"  # the next one is likely the same day
    page.fill("input[name=title]", "第二次补录的党委会")
    page.click("form.record-form button:has-text('保存'):not(:has-text('继续'))")
    page.wait_for_selector("dl.record-detail")
    saved = CommitteeMeeting.objects.filter(title__contains="补录").values_list("date", flat=True)
    assert sorted(f"{d:%Y-%m-%d}" for d in saved) == [f"{year}-06-18", f"{year}-06-18"]
    assert violations(messages) == [] and page.js_errors == []


def test_attendees_are_picked_by_typing_a_name(page, demo):
    from study.models import StudySession

    messages = watch_csp(page)
    login(page, "branch1", "demo1234")
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + "/study/session/new/?year=2020")
    page.fill("input[name=date]", "2020-11-20")
    page.select_option("select[name=kind]", label="主题党日")
    page.fill("input[name=theme]", "边打字边选人的主题党日")
    search = page.locator(".ts-control input")
    for name in ("孙丽", "钱程"):
        search.fill(name[0])
        page.wait_for_selector(f".ts-dropdown .option:has-text('{name}')")
        page.click(f".ts-dropdown .option:has-text('{name}')")
    search.fill("没有这个人")
    assert page.inner_text(".ts-dropdown .no-results") == "没有匹配的人员"
    search.fill("")
    assert page.locator(".ts-control .item").count() == 2
    page.click("form.record-form button:has-text('保存'):not(:has-text('继续'))")
    page.wait_for_selector("dl.record-detail")
    session = StudySession.objects.get(theme="边打字边选人的主题党日")
    assert sorted(session.attendees.values_list("name", flat=True)) == ["孙丽", "钱程"]
    assert violations(messages) == [] and page.js_errors == []
