"""The demo report's PDF, measured back with pdfplumber against GB/T 9704-2012
(DESIGN.md's print layout), so a later style change cannot drift silently.

This machine has only Debian's free faces, so each role is set in its fallback:
仿宋 and 小标宋 in Noto Serif CJK SC, 黑体 in Noto Sans CJK SC, 楷体 in AR PL UKai CN.
"""

import collections
import io
import re
import unicodedata

import pdfplumber
import pytest

from reports import layout, renderers

from .conftest import demo_context, rolled_back

MM = 72 / 25.4
LEFT = layout.MARGIN_LEFT_MM * MM
RIGHT = LEFT + layout.BLOCK_WIDTH_MM * MM
TOP = layout.MARGIN_TOP_MM * MM
BOTTOM = TOP + layout.BLOCK_HEIGHT_MM * MM


@pytest.fixture(scope="module")
def demo_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back(django_db_blocker, tmp_path_factory, "demo-pdf"):
        pdf = renderers.render_pdf_bytes(renderers.render_html_document(demo_context()))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        yield document


def lines(page) -> list[list[dict]]:
    """The page's characters in lines, top to bottom, each left to right."""
    rows = collections.defaultdict(list)
    for char in page.chars:
        rows[round(char["top"])].append(char)
    return [sorted(rows[top], key=lambda c: c["x0"]) for top in sorted(rows)]


def text(line) -> str:
    return "".join(c["text"] for c in line)


def font(line) -> tuple[str, float]:
    """The face (without the subset tag) and size a line is set in."""
    return line[0]["fontname"].split("+")[-1], round(line[0]["size"], 1)


def pdf_name(role: layout.FontRole, bold: bool = False) -> str:
    """How the PDF names the free fallback of a role ("Noto-Serif-CJK-SC-Bold")."""
    return role.names[-1].replace(" ", "-") + ("-Bold" if bold else "")


def find(pdf, start: str, last: bool = False) -> list[dict]:
    found = [line for page in pdf.pages for line in lines(page) if text(line).startswith(start)]
    return found[-1] if last else found[0]


def wide(line) -> bool:
    return all(unicodedata.east_asian_width(c["text"]) in ("W", "F") for c in line)


def test_body_lines_hold_28_characters_22_lines_a_page_in_the_text_block(demo_pdf):
    page = demo_pdf.pages[0]
    assert (round(page.width), round(page.height)) == (595, 842)  # A4
    body = [line for page in demo_pdf.pages[:4] for line in lines(page) if font(line) == (pdf_name(layout.FANGSONG), 16)]
    assert min(line[0]["x0"] for line in body) == pytest.approx(LEFT, abs=0.5)
    assert max(line[-1]["x1"] for line in body) <= RIGHT + 0.5
    # Full lines of CJK characters from the left edge: 28 each (27 where a closing
    # mark may not start the next line), never more.
    full = [len(line) for line in body if wide(line) and line[0]["x0"] < LEFT + 1 and line[-1]["x1"] > RIGHT - 18]
    counts = collections.Counter(full)
    assert max(counts) == layout.CHARS_PER_LINE and counts.most_common(1)[0][0] == 28 and counts[28] >= 15, counts
    line = next(line for line in body if len(line) == 28 and wide(line))
    pitch = (line[-1]["x0"] - line[0]["x0"]) / 27
    assert 28 * pitch <= RIGHT - LEFT < 29 * pitch
    # First lines indented by two characters.
    first = find(demo_pdf, "一是明确职责")
    assert first[0]["x0"] - LEFT == pytest.approx(2 * pitch, abs=0.5)
    # A full page (page 2) holds 22 lines within the text block.
    rows = [line for line in lines(demo_pdf.pages[1]) if font(line)[1] == 16]
    assert len(rows) == layout.LINES_PER_PAGE
    assert rows[0][0]["top"] >= TOP and rows[-1][0]["bottom"] <= BOTTOM
    assert (rows[-1][0]["top"] - rows[0][0]["top"]) / 21 == pytest.approx(layout.LINE_PITCH_PT, abs=0.05)


def test_title_and_headings_are_set_in_the_faces_of_their_level(demo_pdf):
    title = find(demo_pdf, "局机关落实意识形态工作责任制情况报告")
    assert font(title) == (pdf_name(layout.XIAOBIAOSONG, bold=True), 22)
    assert (title[0]["x0"] + title[-1]["x1"]) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=2)  # centred
    assert font(find(demo_pdf, "一、加强组织领导")) == (pdf_name(layout.HEITI), 16)  # level 1: 黑体
    assert font(find(demo_pdf, "（一）各类记录数")) == (pdf_name(layout.KAITI), 16)  # level 2: 楷体
    assert font(find(demo_pdf, "1.班子成员谈心谈话次数")) == (pdf_name(layout.FANGSONG, bold=True), 16)  # level 3: 仿宋 bold
    assert font(find(demo_pdf, "2020年以来")) == (pdf_name(layout.FANGSONG), 16)  # body: 仿宋


def test_every_page_is_numbered_odd_at_the_right_even_at_the_left_one_character_in(demo_pdf):
    assert len(demo_pdf.pages) >= 4
    one_character = layout.PAGE_NUMBER_PT
    for number, page in enumerate(demo_pdf.pages, start=1):
        found = [line for line in lines(page) if font(line)[1] == layout.PAGE_NUMBER_PT]
        assert len(found) == 1, (number, [text(line) for line in found])
        mark = found[0]
        assert re.sub(r"\s", "", text(mark)) == f"—{number}—"  # "— 1 —": page 1 is numbered too
        assert font(mark)[0] == pdf_name(layout.SONGTI)
        if number % 2:
            assert RIGHT - mark[-1]["x1"] == pytest.approx(one_character, abs=1), number
        else:
            assert mark[0]["x0"] - LEFT == pytest.approx(one_character, abs=1), number
        assert 5 * MM < mark[0]["top"] - BOTTOM < 12 * MM  # below the text block, about 7 mm


def test_the_report_ends_with_the_issuing_body_and_the_date(demo_pdf):
    issuer, date = find(demo_pdf, "××市水文水资源勘测局党委", last=True), find(demo_pdf, "2020年12月28日")
    pitch = (issuer[-1]["x0"] - issuer[0]["x0"]) / (len(issuer) - 1)
    assert date[0]["top"] - issuer[0]["top"] == pytest.approx(layout.LINE_PITCH_PT, abs=0.5)  # the next line
    assert RIGHT - issuer[-1]["x1"] == pytest.approx(2 * pitch, abs=1)  # two characters in from the right
    assert date[0]["x0"] - issuer[0]["x0"] == pytest.approx(2 * pitch, abs=1)  # and two right of the name
    last_body = find(demo_pdf, "极性作用。")
    assert issuer[0]["top"] - last_body[0]["top"] == pytest.approx(2 * layout.LINE_PITCH_PT, abs=0.5)  # a line between
