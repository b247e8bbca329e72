"""The annual report as a Word document (.docx), for the office to edit before submitting it.

It is made from the same HTML document WeasyPrint prints (``reports/pdf.html``),
so it holds the same text, tables and charts as the PDF, in the same
GB/T 9704-2012 layout (``reports/layout.py``): A4 and its margins, a document
grid of 22 lines of 28 characters, 仿宋 body with a first-line indent of two
characters, 小标宋 title, headings 黑体 / 楷体 / 仿宋 bold as Word's "Heading
1-3" styles, and page numbers "— 1 —" as PAGE fields, odd pages at the right
and even pages at the left, one character in.

Only the markup of that template is converted (headings, paragraphs, the head
block, the sign-off, tables, charts); anything else, such as a PDF's seal
stamp, is left out.
"""

from __future__ import annotations

import io
import re
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import html as lxml_html

from portal.charts import svg_png

from . import layout

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RED = RGBColor(0xC0, 0x00, 0x00)
HEADINGS = {"h2": ("Heading 1", layout.HEADING_1, 0), "h3": ("Heading 2", layout.HEADING_2, 1),
            "h4": ("Heading 3", layout.HEADING_3, 2)}
# The document's paragraph styles besides the headings
TITLE, BODY, TABLE, TABLE_HEAD, FIGURE, ANNEX_LABEL = "Title", "Normal", "表格文字", "表格标题", "附图", "附件标识"
TWIPS_PER_PT = 20
# Word refuses a file whose properties are out of the schema's order: new ones go in their place.
ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
              "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
              "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
              "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
              "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
              "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
              "w:specVanish", "w:oMath"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
               "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
}


def _set(parent, tag: str, **attrs: str):
    """The child ``tag`` of a pPr, rPr or tcPr (replaced if present, else added in
    the schema's order), with these w: attributes."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    el = OxmlElement(tag, attrs={qn(f"w:{k}"): v for k, v in attrs.items()})
    sequence = next(seq for name, seq in ORDER.items() if parent.tag == qn(name))
    parent.insert_element_before(el, *sequence[sequence.index(tag) + 1:])
    return el


def document_from_html(html: str) -> bytes:
    body = lxml_html.document_fromstring(html).find("body")
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _page_numbers(doc)
    _blocks(doc, body)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- the page ------------------------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.PAGE_WIDTH_MM), Mm(layout.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP_MM), Mm(layout.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT_MM), Mm(layout.MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # The dashes of the page number 7 mm below the text block: the footer's one
    # line (exactly its font size high) ends that far above the page's edge.
    section.footer_distance = Mm(layout.MARGIN_BOTTOM_MM - layout.PAGE_NUMBER_GAP_MM
                                 - layout.PAGE_NUMBER_PT * layout.MM_PER_PT)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # Word's document grid: 22 lines of 28 characters. charSpace is what each
    # character's pitch differs from the body size, in 4096ths of a point.
    exact_pitch = layout.BLOCK_WIDTH_MM / layout.MM_PER_PT / layout.CHARS_PER_LINE
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(layout.LINE_PITCH_PT * TWIPS_PER_PT)))
    grid.set(qn("w:charSpace"), str(round((exact_pitch - layout.BODY_PT) * 4096)))


def _page_numbers(doc) -> None:
    """"— N —" in 四号 宋体: odd pages at the right, even pages at the left, one
    character in from the text block's edge; every page numbered, the first too."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(0)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(layout.PAGE_NUMBER_PT)
        one_character = Pt(layout.PAGE_NUMBER_PT)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = one_character
        else:
            fmt.left_indent = one_character
        _no_grid(paragraph._p.get_or_add_pPr())
        _page_field(paragraph)


def _page_field(paragraph) -> None:
    def run(text: str | None = None):
        r = paragraph.add_run(text)
        _font(r._r.get_or_add_rPr(), layout.PAGE_NUMBER)
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("result", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        elif kind == "result":
            r.text = text
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            r._r.append(field)
    run(" —")


# -- styles --------------------------------------------------------------------------


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    for fonts in defaults.iter(qn("w:rFonts")):  # theme fonts would win over the named ones
        _set_fonts(fonts, layout.BODY.font.primary)
    _paragraph_style(doc, BODY, layout.BODY, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(doc, TITLE, layout.TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, grid=False, after=layout.LINE_PITCH_PT,
                     line=None)
    for name, style, level in HEADINGS.values():
        _paragraph_style(doc, name, style, indent_chars=2, outline=level, keep_with_next=True)
    _paragraph_style(doc, ANNEX_LABEL, layout.HEADING_1)
    _paragraph_style(doc, TABLE, layout.TABLE, align=WD_ALIGN_PARAGRAPH.CENTER, grid=False, line=None)
    _paragraph_style(doc, TABLE_HEAD, layout.TABLE_HEAD, align=WD_ALIGN_PARAGRAPH.CENTER, grid=False, line=None)
    _paragraph_style(doc, FIGURE, layout.BODY, align=WD_ALIGN_PARAGRAPH.CENTER, grid=False, line=None)


def _paragraph_style(doc, name: str, text, *, indent_chars: int = 0, align=None, grid: bool = True,
                     after: float = 0, line: float | None = layout.LINE_PITCH_PT, outline: int | None = None,
                     keep_with_next: bool = False) -> None:
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[BODY]
        style.quick_style = True
    for old in (style.element.find(qn("w:pPr")), style.element.find(qn("w:rPr"))):
        if old is not None:  # the template's colours, borders, spacing and theme fonts
            style.element.remove(old)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    if line:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.LEFT
    fmt.keep_with_next = keep_with_next
    ppr = style.element.get_or_add_pPr()
    # In characters of the grid ("首行缩进2字符"), with the same width in twips for other readers.
    _set(ppr, "w:ind", firstLineChars=str(indent_chars * 100),
         firstLine=str(round(indent_chars * layout.CHAR_PITCH_PT * TWIPS_PER_PT)))
    if outline is not None:
        _set(ppr, "w:outlineLvl", val=str(outline))
    rpr = style.element.get_or_add_rPr()
    _font(rpr, text)
    if not grid:
        _no_grid(ppr)
        _set(rpr, "w:snapToGrid", val="0")


def _no_grid(ppr) -> None:
    """Off the document grid: its own line height and character widths (titles, tables, figures)."""
    _set(ppr, "w:snapToGrid", val="0")


def _font(rpr, text) -> None:
    """The text style's face (its first name; East-Asian text takes w:eastAsia), size and weight."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _set(rpr, "w:rFonts")
    _set_fonts(fonts, text.font.primary)
    for tag in ("w:b", "w:bCs"):
        _set(rpr, tag, val="1" if text.bold else "0")
    _set(rpr, "w:color", val="000000")
    for tag in ("w:sz", "w:szCs"):
        _set(rpr, tag, val=str(round(text.size_pt * 2)))


def _set_fonts(fonts, name: str) -> None:
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


# -- the content ---------------------------------------------------------------------


def _text(el) -> str:
    """An element's text as a reader sees it: whitespace collapsed, <br> a line break."""
    parts = []
    for node in el.iter():
        if node.tag == "br":
            parts.append("\n")
        if node.text and isinstance(node.tag, str) and node.tag not in ("style", "script"):  # not a comment's text
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _blocks(doc, parent) -> None:
    for el in parent:
        if not isinstance(el.tag, str) or el.tag in ("style", "script"):
            continue
        classes = _classes(el)
        if "portal-seal-stamp" in classes:  # the PDF's seal; a Word file is not sealed
            continue
        if "doc-head" in classes:
            _head_block(doc, el)
        elif "sign-off" in classes:
            _sign_off(doc, el)
        elif el.tag == "h1" or "annex-title" in classes:
            doc.add_paragraph(_text(el), style=TITLE)
        elif "annex-label" in classes:
            paragraph = doc.add_paragraph(_text(el), style=ANNEX_LABEL)
            paragraph.paragraph_format.page_break_before = True
        elif el.tag in HEADINGS:
            doc.add_paragraph(_text(el), style=HEADINGS[el.tag][0])
        elif el.tag == "p":
            doc.add_paragraph(_text(el), style=BODY)
        elif el.tag == "table":
            _table(doc, el)
        elif el.tag == "figure":
            _figure(doc, el)
        else:
            _blocks(doc, el)


def _head_block(doc, el) -> None:
    """版头: the issuing committee in red, centred, over a red rule."""
    issuer = el.find_class("doc-issuer")
    paragraph = doc.add_paragraph(style=TITLE)
    run = paragraph.add_run(_text(issuer[0]) if issuer else "")
    run.font.size = Pt(layout.ISSUER_PT)
    run.font.color.rgb = RED
    _set(run._r.get_or_add_rPr(), "w:spacing", val=str(round(layout.ISSUER_PT * 0.1 * TWIPS_PER_PT)))
    rule = doc.add_paragraph(style=TITLE)
    borders = _set(rule._p.get_or_add_pPr(), "w:pBdr")
    borders.append(OxmlElement("w:bottom", attrs={qn("w:val"): "single", qn("w:sz"): "16", qn("w:space"): "1",
                                                 qn("w:color"): "C00000"}))
    rule.paragraph_format.space_after = Mm(10)


def _width(text: str) -> float:
    """A line's width in characters: CJK and full-width forms one, the rest half."""
    return sum(1 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5 for ch in text)


def _sign_off(doc, el) -> None:
    """The issuing body and the date, as GB/T 9704 places them: two characters in
    from the right; the date starts two characters right of the name's first
    character (the name moves right when the date is the longer)."""
    lines = [_text(p) for p in el.iter("p")]
    widths = [_width(line) + (2 if i else 0) for i, line in enumerate(lines)]
    block = max(widths)
    for i, (line, width) in enumerate(zip(lines, widths)):
        paragraph = doc.add_paragraph(line, style=BODY)
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = Pt((2 + block - width) * layout.CHAR_PITCH_PT)
        if i == 0:
            fmt.space_before = Pt(layout.LINE_PITCH_PT)
        fmt.keep_with_next = i < len(lines) - 1


def _table(doc, el) -> None:
    rows = el.findall(".//tr")
    cells, taken = [], set()  # (row, column, rows spanned, columns spanned, element); grid positions in use
    for r, row in enumerate(rows):
        col = 0
        for cell in (c for c in row if c.tag in ("td", "th")):
            while (r, col) in taken:
                col += 1
            down, across = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            taken.update((r + i, col + j) for i in range(down) for j in range(across))
            cells.append((r, col, down, across, cell))
            col += across
    table = doc.add_table(rows=len(rows), cols=max(col for _r, col in taken) + 1, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = [row.cells for row in table.rows]  # once: python-docx recomputes the grid on every table.cell()
    styles = {"th": doc.styles[TABLE_HEAD].style_id, "td": doc.styles[TABLE].style_id}
    for r, col, down, across, cell in cells:
        target = grid[r][col]
        if down > 1 or across > 1:
            target = target.merge(grid[r + down - 1][col + across - 1])
        paragraph = target.paragraphs[0]
        paragraph._p.style = styles[cell.tag]
        paragraph.add_run(_text(cell))
        if "label" in _classes(cell):
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _set(target._tc.get_or_add_tcPr(), "w:noWrap")
    for r, row in enumerate(rows):
        if row.getparent().tag == "thead":  # repeated on every page, like the PDF's
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    doc.add_paragraph(style=FIGURE)


def _figure(doc, el) -> None:
    svg = el.find(".//svg")
    if svg is not None:
        paragraph = doc.add_paragraph(style=FIGURE)
        paragraph.add_run().add_picture(io.BytesIO(svg_png(svg)), width=Mm(150))
