import pytest

from portal.charts import Series, bar_chart, line_chart
from portal.pdf import render_pdf


def test_bar_chart_has_one_bar_per_value_and_labels():
    svg = bar_chart(["1月", "2月"], [Series("中心组", [1, 3]), Series("主题党日", [2, 0])], title="学习活动")
    assert svg.startswith("<svg") and svg.count("<rect") == 4 + 2  # 4 bars + 2 legend keys
    assert "1月" in svg and "中心组：3" in svg and "style=" not in svg


def test_line_chart_skips_missing_points():
    svg = line_chart(["1月", "2月", "3月"], [Series("活跃率", [100, None, 98])], title="活跃率", max_value=100)
    assert svg.count("<circle") == 2 and "<polyline" in svg


@pytest.mark.django_db
def test_pdf_fetcher_blocks_outside_urls_and_embeds_cjk_font(tmp_path):
    from pypdf import PdfReader

    html = (
        '<html lang="zh-CN"><head><link rel="stylesheet" href="/static/css/print-base.css"></head>'
        '<body><h1 class="doc-title">测试报告</h1><p>党委专题研究了2次意识形态工作</p>'
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd"></body></html>'
    )
    pdf = render_pdf(html)
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    text = reader.pages[0].extract_text().replace(" ", "")
    assert "党委专题研究了2次意识形态工作" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("CJK" in name or "UKai" in name for name in fonts), fonts
