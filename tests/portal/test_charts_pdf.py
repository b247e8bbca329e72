import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def texts(svg: str) -> list[dict]:
    from xml.etree import ElementTree

    ns = "{http://www.w3.org/2000/svg}"
    return [{"x": float(t.get("x")), "y": float(t.get("y")), "size": float(t.get("font-size")), "anchor": t.get("text-anchor"),
             "text": t.text} for t in ElementTree.fromstring(svg).iter(f"{ns}text")]


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.floats(min_value=0, max_value=100))
def test_ticks_are_whole_numbers_covering_the_values(top, low):
    from portal.charts import MAX_TICKS, nice_ticks

    low = min(low, top)
    ticks = nice_ticks(top, low)
    assert all(isinstance(t, int) for t in ticks)
    assert ticks[0] <= low and ticks[-1] >= top and 2 <= len(ticks) <= MAX_TICKS + 2
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and str(steps.pop()).rstrip("0") in ("1", "2", "5")


def test_value_axis_labels_are_whole_numbers():
    svg = bar_chart(["1月", "2月"], [Series("中心组", [1, 3.5]), Series("支部", [2, 13])], title="学习活动", stacked=True)
    axis = [t["text"] for t in texts(svg) if t["anchor"] == "end"]
    assert axis == ["0", "5", "10", "15", "20"]  # never 5.5 / 16.5


def test_the_title_stands_clear_of_every_label():
    svg = line_chart(["1月", "2月"], [Series("活跃率", [100, 100])], title="“学习强国”各月学员活跃率（%）", max_value=100)
    title, *others = sorted(texts(svg), key=lambda t: -t["size"])
    assert title["size"] == 13
    assert all(title["y"] + 3 < t["y"] - t["size"] for t in others), [(t["text"], t["y"]) for t in others]
    untitled = line_chart(["1月"], [Series("活跃率", [100])], title="活跃率", max_value=100, show_title=False)
    assert [t for t in texts(untitled) if t["size"] == 13] == [] and "<title>活跃率</title>" in untitled


def test_a_chart_becomes_a_png_with_its_bars_and_words():
    from PIL import Image

    from portal.charts import svg_png

    svg = bar_chart(["张三"], [Series("谈话", [5])], title="谈心谈话次数", width=200, height=120)
    image = Image.open(io.BytesIO(svg_png(svg, scale=2))).convert("RGB")
    assert image.size == (400, 240)
    colours = {colour for _n, colour in image.getcolors(1 << 16)}
    assert (0xC6, 0x28, 0x28) in colours  # the bar
    title_band = image.crop((0, 0, 400, 40))
    assert title_band.getextrema() != ((255, 255), (255, 255), (255, 255))  # the title's ink
