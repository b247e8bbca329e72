"""The demo report as Word: the same text and figures as the PDF, in the same
GB/T 9704-2012 layout, opened back with python-docx."""

import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import html as lxml_html

from reports import layout, renderers

from .conftest import demo_context, pdf_text, rolled_back, squash
from .test_demo import SAMPLE_FIGURES

# DESIGN.md's figure sentences as the demo states them.
DESIGN_SENTENCES = SAMPLE_FIGURES + ["3个党支部签订了意识形态工作责任书", "思想动态分析应开展12次，实际开展12次"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's print HTML, PDF and DOCX, made once for the module."""
    with rolled_back(django_db_blocker, tmp_path_factory, "demo-docx"):
        context = demo_context()
        html = renderers.render_html_document(context)
        name, content_type, data = renderers.render_docx_file(context)
        pdf = renderers.render_pdf_bytes(html)
    assert name == "demo-2020-annual-report.docx" and content_type.endswith("wordprocessingml.document")
    return {"html": html, "pdf": pdf, "docx": docx.Document(io.BytesIO(data))}


def blocks(document) -> list[str]:
    """The text of every paragraph and table cell, in document order."""
    out = []
    for child in document.element.body:
        if child.tag == qn("w:p"):
            out.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            out.extend("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in child.iter(qn("w:tc")))
    return out


def html_text(html: str) -> str:
    """What a reader of the print HTML sees, charts and styles aside."""
    body = lxml_html.document_fromstring(html).find("body")
    for el in body.xpath(".//svg | .//style"):
        el.getparent().remove(el)
    return squash(body.text_content())


def test_the_word_file_states_every_figure_and_the_same_text_as_the_pdf(demo):
    text = squash("".join(blocks(demo["docx"])))
    assert [s for s in DESIGN_SENTENCES if s not in text] == []
    assert text == html_text(demo["html"])  # the same words, in the same order, as the printed HTML
    pdf = pdf_text(demo["pdf"])
    paragraphs = [squash(p.text) for p in demo["docx"].paragraphs if len(squash(p.text)) > 1]
    assert [p for p in paragraphs if p not in pdf] == []
    assert "2020年12月28日" in paragraphs and "附件" in paragraphs
    assert len(demo["docx"].inline_shapes) == 3  # the three charts, as pictures


def style_font(style) -> tuple[str, float, bool]:
    rpr = style.element.rPr
    return rpr.rFonts.get(qn("w:eastAsia")), style.font.size.pt, bool(style.font.bold)


def css_stack(html: str, selector: str) -> str:
    return re.search(r"(?m)^" + re.escape(selector) + r"[^{]*\{[^}]*font-family:\s*([^;]+);", html).group(1)


def test_headings_and_body_use_the_styles_and_faces_of_the_layout(demo):
    document, html = demo["docx"], demo["html"]
    by_text = {p.text: p for p in document.paragraphs}
    assert by_text["一、加强组织领导，扛稳意识形态责任"].style.name == "Heading 1"
    assert by_text["（一）各类记录数"].style.name == "Heading 2"
    assert by_text["1.班子成员谈心谈话次数"].style.name == "Heading 3"
    assert by_text["局机关落实意识形态工作责任制情况报告"].style.name == "Title"
    styles = document.styles
    expected = {"Title": ("方正小标宋简体", 22, True, "h1.doc-title"), "Normal": ("仿宋_GB2312", 16, False, "body"),
                "Heading 1": ("黑体", 16, False, "h2"), "Heading 2": ("楷体_GB2312", 16, False, "h3"),
                "Heading 3": ("仿宋_GB2312", 16, True, "h4")}
    for name, (face, size, bold, selector) in expected.items():
        assert style_font(styles[name]) == (face, size, bold), name
        assert f'"{face}"' in css_stack(html, selector).split(",")[0], name  # the first name of the PDF's stack
    normal = styles["Normal"].element.pPr
    assert normal.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"  # two characters
    assert styles["Normal"].paragraph_format.line_spacing == Pt(layout.LINE_PITCH_PT)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert styles[name].element.pPr.find(qn("w:outlineLvl")) is not None, name


def test_page_size_margins_grid_and_page_numbers(demo):
    document = demo["docx"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.left_margin, section.right_margin,
                                  section.bottom_margin)] == [37, 28, 26, 35]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) / 20 == pytest.approx(layout.LINE_PITCH_PT, abs=0.05)
    # 28 characters of the grid fill the 156 mm text block
    pitch = layout.BODY_PT + int(grid.get(qn("w:charSpace"))) / 4096
    assert 28 * pitch == pytest.approx(Mm(156).pt, abs=0.1)
    assert document.settings.odd_and_even_pages_header_footer
    assert section._sectPr.find(qn("w:titlePg")) is None  # page 1 is numbered like the others
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert paragraph.paragraph_format.alignment.name.lower() == side
        indent = paragraph.paragraph_format.right_indent if side == "right" else paragraph.paragraph_format.left_indent
        assert indent == Pt(layout.PAGE_NUMBER_PT)  # one character in
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
        assert paragraph.runs[0].font.size == Pt(14)
