"""Turn the compiler's plain context into bytes: ``(filename, content_type, bytes)``.

Rendering runs under an explicit language and time zone so a Celery worker
produces the same document as the web process.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.pdf import render_pdf

LANGUAGE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"


def filename(context: dict, ext: str) -> str:
    return f"{context['committee']['slug']}-{context['year']}-annual-report.{ext}"


def render_html_document(context: dict, stamp=None) -> str:
    """The standalone print document (also what WeasyPrint reads); ``stamp`` (a
    portal.seal.issuing.Stamp) prints the verification code and QR code of an issued PDF."""
    with translation.override(LANGUAGE), timezone.override(TIME_ZONE):
        return render_to_string("reports/pdf.html", {"r": context, "stamp": stamp})


def render_html(context: dict) -> tuple[str, str, bytes]:
    return filename(context, "html"), "text/html; charset=utf-8", render_html_document(context).encode("utf-8")


def render_pdf_bytes(html: str) -> bytes:
    return render_pdf(html)


def render_pdf_file(context: dict) -> tuple[str, str, bytes]:
    return filename(context, "pdf"), "application/pdf", render_pdf_bytes(render_html_document(context))
