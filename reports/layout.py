"""The print layout of Party and government documents (GB/T 9704-2012), in one place.

The PDF's stylesheet (``templates/reports/print.css``) and the Word document
(``reports/word.py``) both read these figures, so the two cannot drift apart;
``tests/reports/test_layout.py`` measures them back from the demo PDF and DOCX.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MM_PER_PT = 25.4 / 72

PAGE_WIDTH_MM = 210  # A4
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_LEFT_MM = 28  # the binding side
BLOCK_WIDTH_MM = 156  # 版心
BLOCK_HEIGHT_MM = 225
MARGIN_RIGHT_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - BLOCK_WIDTH_MM  # 26
MARGIN_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - BLOCK_HEIGHT_MM  # 35

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
ISSUER_PT = 26  # the red issuer's name of the head block (版头)
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = 10.5  # 五号, the appendix tables
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
# The page number's dashes sit 7 mm below the text block.
PAGE_NUMBER_GAP_MM = 7

# Both pitches a hair under the exact quotient (28.99 and 15.79 pt), so that
# 22 lines and 28 characters always fit and 23 and 29 never do; the line pitch
# in twentieths of a point, the unit of a Word document.
LINE_PITCH_PT = math.floor(BLOCK_HEIGHT_MM / MM_PER_PT / LINES_PER_PAGE * 20) / 20
# 28 characters of 16 pt need 448 pt; the block is 442.2 pt wide, so, as Word's
# document grid does, characters are set a little tighter.
CHAR_PITCH_PT = round(BLOCK_WIDTH_MM / MM_PER_PT / CHARS_PER_LINE - 0.01, 2)
LETTER_SPACING_PT = round(CHAR_PITCH_PT - BODY_PT, 2)  # negative
INDENT_PT = round(2 * CHAR_PITCH_PT, 2)  # first-line indent of two characters


@dataclass(frozen=True)
class FontRole:
    """One role of the standard (仿宋 for the body, 黑体 for level-1 headings...):
    the commercial faces an office may have first, then Debian's free fallback."""

    names: tuple[str, ...]
    generic: str

    @property
    def primary(self) -> str:
        """The name a Word document gives (it holds one name per script)."""
        return self.names[0]

    @property
    def css(self) -> str:
        return ", ".join([f'"{name}"' for name in self.names] + [self.generic])


XIAOBIAOSONG = FontRole(("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"), "serif")
FANGSONG = FontRole(("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"), "serif")
HEITI = FontRole(("黑体", "SimHei", "Noto Sans CJK SC"), "sans-serif")
KAITI = FontRole(("楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN"), "serif")
SONGTI = FontRole(("宋体", "SimSun", "Noto Serif CJK SC"), "serif")


@dataclass(frozen=True)
class TextStyle:
    font: FontRole
    size_pt: float
    bold: bool = False


TITLE = TextStyle(XIAOBIAOSONG, TITLE_PT, bold=True)  # the free fallback has no 小标宋 weight: bold Noto Serif
BODY = TextStyle(FANGSONG, BODY_PT)
HEADING_1 = TextStyle(HEITI, BODY_PT)  # 一、
HEADING_2 = TextStyle(KAITI, BODY_PT)  # （一）
HEADING_3 = TextStyle(FANGSONG, BODY_PT, bold=True)  # 1.
PAGE_NUMBER = TextStyle(SONGTI, PAGE_NUMBER_PT)
TABLE = TextStyle(FANGSONG, TABLE_PT)
TABLE_HEAD = TextStyle(HEITI, TABLE_PT)


def page_number_text(number: int) -> str:
    return f"— {number} —"


def css_context() -> dict:
    """What ``templates/reports/print.css`` is rendered with."""
    return {
        "page": {"top": MARGIN_TOP_MM, "right": MARGIN_RIGHT_MM, "bottom": MARGIN_BOTTOM_MM, "left": MARGIN_LEFT_MM},
        "line_pitch": LINE_PITCH_PT,
        "letter_spacing": LETTER_SPACING_PT,
        "indent": INDENT_PT,
        "page_number_gap": PAGE_NUMBER_GAP_MM,
        "page_number_sides": ("right", "left"),  # odd (recto) pages, even pages
        "issuer_pt": ISSUER_PT,
        "title": TITLE,
        "body": BODY,
        "h1": HEADING_1,
        "h2": HEADING_2,
        "h3": HEADING_3,
        "page_number": PAGE_NUMBER,
        "table": TABLE,
        "table_head": TABLE_HEAD,
    }
