"""The office builds the report and takes, beside the PDF, the Word file, the
ledger workbook and the HTML, which opens styled from disk with nothing fetched."""

import pytest

from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

STYLES = """() => {
  const css = (selector) => getComputedStyle(document.querySelector(selector));
  return [css("body").fontFamily, css("body").fontSize, css("h2").fontFamily, css(".doc-issuer").color,
          css("h1.doc-title").textAlign, document.querySelectorAll("svg").length];
}"""


def test_build_offers_word_ledger_and_an_html_that_opens_styled_from_disk(page, world, tmp_path):
    f.CommitteeMeetingFactory(committee=world.committee, is_ideology=True)
    f.StudySessionFactory(committee=world.committee, kind="central_group")
    login(page, "office", f.PASSWORD)
    page.goto(page.base_url + "/reports/2020/")
    panel = page.locator(".report-build")
    assert panel.locator(".js-download-docx").is_hidden()
    panel.locator(".js-build-button").click()
    # The page polls: the files of the build appear beside the PDF without a reload.
    files = {}
    for selector, suffix in ((".js-download-docx", "docx"), (".js-download-ledger", "xlsx"), (".js-download-html", "html")):
        link = panel.locator(selector)
        link.wait_for(state="visible", timeout=120000)
        with page.expect_download() as info:
            link.click()
        files[suffix] = tmp_path / f"report.{suffix}"
        info.value.save_as(files[suffix])
        assert info.value.suggested_filename.endswith(f".{suffix}")
    assert files["docx"].read_bytes().startswith(b"PK") and files["xlsx"].read_bytes().startswith(b"PK")
    assert page.js_errors == []

    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(files["html"].as_uri())
    body_font, body_size, heading_font, issuer_colour, title_align, charts = page.evaluate(STYLES)
    first = [font.split(",")[0].strip('" ') for font in (body_font, heading_font)]
    assert first == ["仿宋_GB2312", "黑体"] and body_size == "21.3333px"  # 16 pt 仿宋; 黑体 headings
    assert issuer_colour == "rgb(192, 0, 0)" and title_align == "center"
    assert charts >= 1
    assert fetched == [files["html"].as_uri()]  # nothing else: no stylesheet, image or script to fetch
