import io
import re

from django.urls import reverse
from pypdf import PdfReader

from reports import renderers
from reports.compiler import compile_report

from .conftest import EXPECTED, pdf_text


def pdf_fonts(reader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_pdf_states_every_figure_with_an_embedded_cjk_font(year_data):
    ctx = compile_report(year_data.committee, 2020)
    html = renderers.render_html_document(ctx)
    assert '<html lang="zh-CN">' in html
    # Self-contained: styles inlined and charts inline, so the downloaded file opens styled from disk.
    assert "@page" in html and "<svg" in html
    assert not re.search(r"<link|<img|<script|\bsrc=|href=|/static/|url\(", html), "the HTML refers to another file"
    name, content_type, pdf = renderers.render_pdf_file(ctx)
    assert name == "alpha-2020-annual-report.pdf" and content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf)
    for sentence in EXPECTED:
        assert sentence in text, sentence
    assert "甲局机关落实意识形态工作责任制情况报告" in text
    assert "附件2020年度意识形态工作台账汇总" in text and "alpha-台账-2020.xlsx" in text
    assert "\ufffd" not in text and "□" not in text
    fonts = pdf_fonts(reader)
    assert any("CJK" in f or "UKai" in f for f in fonts), fonts
    # subset fonts carry a six-letter tag: "ABCDEF+Noto-Serif-CJK-SC"
    assert all("+" in f for f in fonts if "CJK" in f), fonts
    assert len(reader.pages) >= 3


def test_the_office_sets_the_date_the_report_ends_with(year_data, client_for):
    office = client_for(year_data.office)
    detail = reverse("reports:detail", args=[2020])
    assert '<p class="sign-off-date">' not in office.get(detail).content.decode()  # no 成文日期 yet: the name alone
    edit = office.get(reverse("reports:edit", args=[2020])).content.decode()
    assert 'name="issued_on"' in edit and 'type="date"' in edit
    data = {"title": "", "intro": "2020年以来，测试开头。", "status": "final", "issued_on": "2020-12-28"}
    assert office.post(reverse("reports:edit", args=[2020]), data).status_code == 302
    page = office.get(detail).content.decode()
    assert '<p class="sign-off-issuer">甲局党委</p>\n<p class="sign-off-date">2020年12月28日</p>' in page
    assert office.post(reverse("reports:edit", args=[2020]), {**data, "issued_on": "2020-13-40"}).status_code == 200
