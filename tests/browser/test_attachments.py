"""Evidence in Chromium: the office attaches a scan and a photo to a meeting,
sees them listed and downloads the scan; no CSP violation on the way."""

from pathlib import Path

import pytest

from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_attaches_files_to_a_meeting_and_downloads_one(page, world, tmp_path):
    meeting = f.CommitteeMeetingFactory(committee=world.committee, title="党委会（专题研究意识形态工作）")
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned sign-in sheet\n")
    photo = tmp_path / "会场照片.png"
    photo.write_bytes(f.png_bytes(size=(40, 30)))
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))

    login(page, "office", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")
    page.goto(f"{page.base_url}/responsibility/meeting/{meeting.pk}/")
    assert page.inner_text("#attachments h2").startswith("附件（佐证材料）")
    page.set_input_files("form.attachment-form input[name=files]", [str(scan), str(photo)])
    page.fill("form.attachment-form input[name=note]", "会议签到与现场照片")
    page.click("form.attachment-form button[type=submit]")
    page.wait_for_selector("tr.attachment-row")

    rows = page.locator("tr.attachment-row")
    assert rows.count() == 2
    listed = page.inner_text("table.attachment-table")
    assert "签到表.pdf" in listed and "会场照片.png" in listed and "会议签到与现场照片" in listed
    assert "已上传 2 个附件" in page.inner_text("main")
    with page.expect_download() as info:
        page.click("a.attachment-link:text-is('签到表.pdf')")
    download = info.value
    assert download.suggested_filename == "签到表.pdf"
    assert Path(download.path()).read_bytes() == scan.read_bytes()
    assert [m for m in console if "Content Security Policy" in m or "Refused to" in m] == []
    assert page.js_errors == []
