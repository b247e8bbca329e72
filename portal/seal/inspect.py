"""What a PDF's signature says, read with pyHanko (runs in the bounded child).

Only the cross-reference data, the document catalogue, the form fields and
the signature dictionary are read; no page is rendered and no content stream
decoded. The page count is the one the page tree declares.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

# Problems, worded in Chinese by portal.seal.verify.
UNREADABLE = "unreadable"
TOO_MANY_PAGES = "too_many_pages"
NO_SIGNATURE = "no_signature"
SEVERAL_SIGNATURES = "several_signatures"
BAD_SIGNATURE = "bad_signature"
NOT_OURS = "not_ours"
ALTERED = "altered"
APPENDED = "appended"
CERTIFICATE_INVALID = "certificate_invalid"

KEY_USAGE = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)


@dataclass(frozen=True)
class Inspection:
    problem: str = ""  # one of the constants above; empty when the seal holds
    pages: int = 0
    signer_fingerprint: str = ""
    signer_subject: str = ""
    signed_at: datetime.datetime | None = None


def _declared_pages(reader: PdfFileReader) -> int:
    count = reader.root["/Pages"].get("/Count", 0)
    return int(count)


def inspect_pdf(data: bytes, trusted: tuple[bytes, ...], max_pages: int) -> Inspection:
    """Check the one signature of ``data`` against the trusted certificates (DER)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        pages = _declared_pages(reader)
    except Exception:  # pyHanko raises many kinds of errors on a damaged file
        return Inspection(problem=UNREADABLE)
    if pages > max_pages or pages < 0:
        return Inspection(problem=TOO_MANY_PAGES, pages=pages)
    try:
        signatures = reader.embedded_signatures
    except Exception:
        return Inspection(problem=BAD_SIGNATURE, pages=pages)
    if not signatures:
        return Inspection(problem=NO_SIGNATURE, pages=pages)
    if len(signatures) > 1:
        return Inspection(problem=SEVERAL_SIGNATURES, pages=pages)
    signature = signatures[0]
    try:
        signer = signature.signer_cert
        signed_at = signature.self_reported_timestamp
    except Exception:
        return Inspection(problem=BAD_SIGNATURE, pages=pages)
    found = Inspection(
        pages=pages,
        signer_fingerprint=hashlib.sha256(signer.dump()).hexdigest(),
        signer_subject=signer.subject.human_friendly[:300],
        signed_at=signed_at,
    )
    anchors = {hashlib.sha256(der).hexdigest(): der for der in trusted}
    if found.signer_fingerprint not in anchors:
        return _with(found, NOT_OURS)
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(anchors[found.signer_fingerprint])],
        allow_fetching=False,
        # A certificate that has expired since still proves what it sealed then.
        moment=signed_at,
    )
    try:
        status = validate_pdf_signature(signature, context, skip_diff=True, key_usage_settings=KEY_USAGE)
    except Exception:
        return _with(found, BAD_SIGNATURE)
    if not (status.intact and status.valid):
        return _with(found, ALTERED)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _with(found, APPENDED)
    if not status.trusted:
        return _with(found, CERTIFICATE_INVALID)
    return found


def _with(found: Inspection, problem: str) -> Inspection:
    return Inspection(
        problem=problem,
        pages=found.pages,
        signer_fingerprint=found.signer_fingerprint,
        signer_subject=found.signer_subject,
        signed_at=found.signed_at,
    )
