"""seal_pdf: one PAdES signature by the installation's seal over the whole file,
checked with pyHanko and with an independent reader (poppler's pdfsig)."""

import io
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm

from portal.models import IssuedDocument
from portal.seal.keys import Seal, SealUnavailable, current_seal, generate_seal, self_signed
from portal.seal.signing import seal_pdf
from portal.seal.verify import verify_pdf_bytes
from tests.conftest import service_required

from .helpers import issue_memo, plain_pdf


def signatures(data: bytes):
    return PdfFileReader(io.BytesIO(data)).embedded_signatures


@pytest.mark.django_db
def test_a_sealed_pdf_has_one_certifying_pades_signature_over_the_whole_file():
    sealed = seal_pdf(plain_pdf(), reason="签发：测试")
    seal, _row = current_seal()

    [signature] = signatures(sealed)
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.docmdp_level == MDPPerm.NO_CHANGES
    assert signature.signer_cert.dump() == seal.der
    byte_range = list(signature.byte_range)
    assert byte_range[0] == 0 and byte_range[2] + byte_range[3] == len(sealed)
    assert signature.sig_object["/Reason"] == "签发：测试"


def pdfsig(path, *args) -> str:
    binary = shutil.which("pdfsig")
    if binary is None:
        service_required("pdfsig (poppler-utils)")
    return subprocess.run([binary, *args, str(path)], capture_output=True, text=True, timeout=60).stdout


@pytest.mark.django_db
def test_a_pdf_reader_shows_one_valid_signature_trusted_through_the_exported_certificate(tmp_path, memos):
    from django.core.management import call_command

    _doc, sealed = issue_memo("1")
    (tmp_path / "letter.pdf").write_bytes(sealed)

    report = pdfsig(tmp_path / "letter.pdf")
    assert report.count("Signature #") == 1
    assert "Signature is Valid" in report and "Total document signed" in report

    certutil = shutil.which("certutil")
    if certutil is None:
        service_required("certutil (libnss3-tools)")
    call_command("export_seal_certificate", out=str(tmp_path / "seal.pem"))
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run([certutil, "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, timeout=60)
    subprocess.run(
        [certutil, "-A", "-n", "portal seal", "-t", "CT,C,C", "-i", str(tmp_path / "seal.pem"), "-d", f"sql:{nss}"],
        check=True,
        timeout=60,
    )
    trusted = pdfsig(tmp_path / "letter.pdf", "-nssdir", f"sql:{nss}")
    assert "Signature is Valid" in trusted and "Certificate is Trusted" in trusted, trusted


# -- the organisation's own timestamp server ----------------------------------------------


def tsa_identity() -> tuple:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳服务器")])
    tsa = self_signed(name, days=30, extensions=[(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)])
    return tsa.asn1_certificate(), tsa.asn1_key()


@pytest.fixture
def local_tsa():
    """An RFC 3161 timestamp server on 127.0.0.1 (pyHanko's own TSA logic behind HTTP)."""
    from pyhanko.sign.timestamps import DummyTimeStamper

    cert, key = tsa_identity()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(body)
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tsa", requests
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_a_configured_timestamp_server_is_used(settings, local_tsa, memos):
    url, requests = local_tsa
    settings.SEAL_TSA_URL = url

    _doc, sealed = issue_memo("1")

    assert requests  # (pyHanko also asks once to size the signature)
    [signature] = signatures(sealed)
    unsigned = signature.signer_info["unsigned_attrs"]
    assert "signature_time_stamp_token" in [a["type"].native for a in unsigned]
    assert verify_pdf_bytes(sealed).accepted


@pytest.mark.django_db
def test_an_unreachable_timestamp_server_issues_nothing(settings, memos):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.SEAL_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    settings.SEAL_TSA_TIMEOUT = 2
    with pytest.raises(SealUnavailable, match="时间戳服务器"):
        issue_memo("1")
    assert not IssuedDocument.objects.exists()


@pytest.mark.django_db
def test_no_timestamp_server_means_no_outside_request(settings):
    settings.SEAL_TSA_URL = ""
    [signature] = signatures(seal_pdf(plain_pdf(), reason="签发"))
    unsigned = signature.signer_info["unsigned_attrs"]
    assert not unsigned or "signature_time_stamp_token" not in [a["type"].native for a in unsigned]


def test_seal_pdf_refuses_what_is_not_a_pdf():
    seal = generate_seal("测试")
    with pytest.raises(SealUnavailable, match="无法给该 PDF 盖章"):
        seal_pdf(b"not a pdf", reason="签发", seal=seal)
    assert isinstance(seal, Seal)
