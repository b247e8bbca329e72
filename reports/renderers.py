"""Turn the compiler's plain context into bytes: ``(filename, content_type, bytes)``.

The HTML document is the one source of every format: WeasyPrint prints it
(PDF), ``reports.word`` converts it (Word), and it is itself the download,
self-contained (styles inlined, charts as inline SVG). Rendering runs under an
explicit language and time zone so a Celery worker produces the same document
as the web process.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from portal.ledger import exporter
from portal.pdf import render_pdf

from . import layout, word

LANGUAGE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
HTML_TYPE = "text/html; charset=utf-8"
PDF_TYPE = "application/pdf"
DOCX_TYPE = word.CONTENT_TYPE
XLSX_TYPE = exporter.CONTENT_TYPE


def filename(context: dict, ext: str) -> str:
    return f"{context['committee']['slug']}-{context['year']}-annual-report.{ext}"


def print_styles() -> str:
    """The report's print stylesheet (GB/T 9704-2012, reports/layout.py)."""
    return render_to_string("reports/print.css", layout.css_context())


def render_html_document(context: dict, stamp=None) -> str:
    """The standalone print document (also what WeasyPrint reads); ``stamp`` is
    the seal's verification code and QR code, printed at its end (PDFs only)."""
    with translation.override(LANGUAGE), timezone.override(TIME_ZONE):
        return render_to_string("reports/pdf.html", {"r": context, "styles": print_styles(), "stamp": stamp})


def render_page_body(page: dict) -> str:
    """The report as the HTML page shows it (every figure linked to its records): the
    same for every reader, so rendered once per page key (reports.page_cache)."""
    from . import page_cache

    body = page_cache.cached(f"{page['key']}:body",
                             lambda: str(render_to_string("reports/_body.html", {"r": page["context"], "links": True})))
    return mark_safe(body)  # rendered by the template engine, which escaped it


def render_page_changes(page: dict, may_reopen: bool) -> str:
    """What changed since the report was frozen, with links to the records for those who
    may reopen it: a few hundred names at most, rendered once per page key."""
    from . import page_cache

    if not page["changes"]:
        return ""
    html = page_cache.cached(f"{page['key']}:changes:{int(may_reopen)}", lambda: str(
        render_to_string("reports/_changes.html", {"changes": page["changes"], "may_reopen": may_reopen})))
    return mark_safe(html)  # rendered by the template engine, which escaped it


def render_html(context: dict) -> tuple[str, str, bytes]:
    return filename(context, "html"), HTML_TYPE, render_html_document(context).encode("utf-8")


def render_pdf_bytes(html: str) -> bytes:
    return render_pdf(html)


def render_pdf_file(context: dict) -> tuple[str, str, bytes]:
    return filename(context, "pdf"), PDF_TYPE, render_pdf_bytes(render_html_document(context))


def render_docx_bytes(html: str) -> bytes:
    return word.document_from_html(html)


def render_docx_file(context: dict) -> tuple[str, str, bytes]:
    """The report as an editable Word document, with the same text and figures as the PDF."""
    return filename(context, "docx"), DOCX_TYPE, render_docx_bytes(render_html_document(context))


def render_ledger(committee, year: int) -> bytes:
    """The year's ledger workbook, every record the appendix counts. Talk summaries
    are confidential, and every leader downloads a build: they are left out."""
    return exporter.ledger_export(committee=committee, year=year, include_summaries=False)


def ledger_filename(committee, year: int) -> str:
    """The workbook's name, as the report's appendix names it."""
    return exporter.ledger_filename(committee, year)
