"""Real files for the seal tests: WeasyPrint PDFs, issued and sealed by the portal."""

from __future__ import annotations

import datetime
import hashlib
import io

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.template.loader import render_to_string

from portal.pdf import render_pdf
from portal.seal.issuing import issue_pdf
from portal.seal.keys import generate_seal, self_signed

MEMO = "tests.memo"


def memo_html(text: str, stamp=None) -> str:
    stamp_html = render_to_string("portal/seal_stamp.html", {"stamp": stamp}) if stamp else ""
    return f"<html><body><h1>{text}</h1><p>本支部承担意识形态工作责任。</p>{stamp_html}</body></html>"


def plain_pdf(text: str = "测试文件") -> bytes:
    return render_pdf(memo_html(text))


def issue_memo(object_id: str = "1", *, committee=None, text: str = "测试文件", **kwargs):
    """(IssuedDocument, sealed bytes) of a memo issued through the real flow."""
    return issue_pdf(
        kind=MEMO,
        object_id=object_id,
        description=f"测试文件 {object_id}",
        committee=committee,
        render=lambda stamp: render_pdf(memo_html(text, stamp)),
        **kwargs,
    )


def issued_by_ca(organisation: str):
    """(CA seal, leaf certificate and key) as an organisation's own CA would issue a signing certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    ca = generate_seal(organisation + "根证书")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, organisation + "签章")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now() - datetime.timedelta(hours=1))
        .not_valid_after(now() + datetime.timedelta(days=365))
        .sign(ca.private_key, hashes.SHA256())
    )
    return ca, leaf, key


def pkcs12_file(
    path, organisation: str = "机构证书单位", passphrase: bytes = b"secret", elliptic: bool = False, with_ca: bool = False
) -> str:
    seal = generate_seal(organisation)
    key, cert, chain = seal.private_key, seal.certificate, None
    if elliptic:
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        cert = self_signed(cert.subject, days=365, extensions=[], key=key).certificate
    if with_ca:
        ca, cert, key = issued_by_ca(organisation)
        chain = [ca.certificate]
    data = pkcs12.serialize_key_and_certificates(b"seal", key, cert, chain, serialization.BestAvailableEncryption(passphrase))
    path.write_bytes(data)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def incremental_update(sealed: bytes) -> bytes:
    """The sealed file with an incremental update appended (the catalogue changed), as an editor saves it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root[generic.NameObject("/Lang")] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A classic PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def shared_stream_pdf(pages: int = 3, stream_bytes: int = 7 * 1024 * 1024) -> bytes:
    """Issue 11 #4: a small PDF whose pages all draw one huge, highly compressed content stream."""
    import zlib

    line = b"0 0 m 1 1 l S\n"
    content = zlib.compress(line * (stream_bytes // len(line)), 9)
    first_page = 3
    stream_number = first_page + pages
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % stream_number)
    objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
    return raw_pdf(objects)


def xref_bomb_pdf(expanded_bytes: int) -> bytes:
    """A PDF whose cross-reference stream inflates to ``expanded_bytes`` (a decompression bomb)."""
    import zlib

    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    data = b"".join(compressor.compress(chunk) for _ in range(expanded_bytes // len(chunk))) + compressor.flush()
    out = bytearray(b"%PDF-1.7\n")
    catalog = len(out)
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    pages = len(out)
    out += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref = len(out)
    out += (
        b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(data)
    )
    out += data + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    assert catalog and pages
    return bytes(out)
