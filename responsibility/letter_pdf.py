"""The letter as a PDF: gather a plain context, then render it with WeasyPrint.

The last page prints the audit trail and the body hash so that a paper copy
can be checked on the verification page (which finds the 64-hex hash in the
PDF's text).
"""

from __future__ import annotations

import base64
import io
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.pdf import render_pdf

from .models import LetterSignature, ResponsibilityLetter

HASH_RE = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def png_data_url(image) -> str:
    # PostgreSQL returns a memoryview for BinaryField, SQLite bytes.
    return "data:image/png;base64," + base64.b64encode(bytes(image)).decode("ascii")


def letter_context(letter: ResponsibilityLetter) -> dict:
    signatures = {s.role: s for s in letter.signatures.all()}
    return {
        "letter": letter,
        "paragraphs": [line for line in letter.body.splitlines() if line.strip()],
        "branch_signature": signatures.get(LetterSignature.Role.BRANCH),
        "committee_signature": signatures.get(LetterSignature.Role.COMMITTEE),
        "events": list(letter.events.all()),
        "generated_at": timezone.now(),
    }


def render_letter_pdf(letter: ResponsibilityLetter) -> tuple[str, str, bytes]:
    """(filename, content type, bytes), rendered in Chinese and Beijing time whatever the request."""
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        html = render_to_string("responsibility/letter_pdf.html", letter_context(letter))
        content = render_pdf(html)
    filename = f"{letter.title}-第{letter.version}版.pdf"
    return filename, "application/pdf", content


def hashes_in_pdf(data: bytes) -> set[str]:
    """The SHA-256 values printed in a PDF (the audit page prints the body hash)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join((page.extract_text() or "") for page in reader.pages[:50]).lower()
    found = set(HASH_RE.findall(text))
    # Text extraction may break a long hash across lines.
    found |= set(HASH_RE.findall(re.sub(r"(?<=[0-9a-f])\s+(?=[0-9a-f])", "", text)))
    return found
