"""Sealing a PDF: one PAdES signature by the installation's seal over the whole file.

The signature is a certification signature that allows no later change
(DocMDP "no changes"), so a PDF reader flags any edit made afterwards, and it
is invisible: the visible mark is the QR code and verification code the
document prints itself. With ``PORTAL_SEAL_TSA_URL`` set, the organisation's
own timestamp server adds a signature timestamp (PAdES B-T); without it,
nothing outside the machine is contacted (B-B).
"""

from __future__ import annotations

import io

from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from .keys import Seal, SealUnavailable, current_seal
from .sandbox import outside_event_loop

FIELD_NAME = "PortalSeal"


# Room for the signature container: an RSA/EC signature and its certificates,
# plus a timestamp token when a TSA is used. Giving it saves pyHanko a trial
# signature made only to measure the size.
RESERVED_BYTES = 8192
RESERVED_BYTES_WITH_TIMESTAMP = 24576


class _SealSigner(signers.SimpleSigner):
    """SimpleSigner re-parses and re-validates the private key for every
    signature (about 80 ms for RSA); the seal already holds the key object."""

    def __init__(self, seal: Seal):
        certificate = seal.asn1_certificate()
        store = SimpleCertificateStore.from_certs([certificate, *seal.asn1_extra_certificates()])
        super().__init__(signing_cert=certificate, signing_key=seal.asn1_key(), cert_registry=store)
        self._key = seal.private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


def _timestamper() -> HTTPTimeStamper | None:
    url = settings.SEAL_TSA_URL
    return HTTPTimeStamper(url, timeout=settings.SEAL_TSA_TIMEOUT) if url else None


def seal_pdf(pdf: bytes, *, reason: str, seal: Seal | None = None, location: str = "") -> bytes:
    """``pdf`` with the seal's signature over the whole file.

    ``reason`` shows in the reader's signature panel (e.g. "签发：第一党支部
    2020年度意识形态工作责任书（第2版）"). Raises SealUnavailable with a
    one-line reason when the seal or the timestamp server cannot be used.
    """
    if seal is None:
        seal, _row = current_seal()
    meta = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason[:200],
        location=location[:100] or None,
        name=seal.organisation[:100],
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        timestamper = _timestamper()
        reserved = RESERVED_BYTES_WITH_TIMESTAMP if timestamper else RESERVED_BYTES
        out = outside_event_loop(
            signers.sign_pdf, writer, meta, signer=_SealSigner(seal), timestamper=timestamper, bytes_reserved=reserved
        )
    except TimestampRequestError:
        raise SealUnavailable(
            _("无法连接时间戳服务器 %(url)s（PORTAL_SEAL_TSA_URL），文件未盖章。") % {"url": settings.SEAL_TSA_URL}
        ) from None
    except (PdfError, SigningError) as exc:
        raise SealUnavailable(_("无法给该 PDF 盖章：%(error)s") % {"error": str(exc)[:200]}) from None
    return out.getvalue()
