"""Turn the compiler's plain context into bytes: ``(filename, content_type, bytes)``.

The HTML document is the source of the PDF (WeasyPrint prints it), and it is
itself the download, self-contained (styles inlined, charts as inline SVG). Rendering runs under an
explicit language and time zone so a Celery worker produces the same document
as the web process.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.pdf import render_pdf

from . import layout

LANGUAGE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
HTML_TYPE = "text/html; charset=utf-8"
PDF_TYPE = "application/pdf"


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


def render_html(context: dict) -> tuple[str, str, bytes]:
    return filename(context, "html"), HTML_TYPE, render_html_document(context).encode("utf-8")


def render_pdf_bytes(html: str) -> bytes:
    return render_pdf(html)


def render_pdf_file(context: dict) -> tuple[str, str, bytes]:
    return filename(context, "pdf"), PDF_TYPE, render_pdf_bytes(render_html_document(context))

