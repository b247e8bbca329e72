"""Verification that cannot be fooled, with real files: only an unaltered file
sealed by this installation and registered by it is accepted; every other file
is refused with a clear Chinese reason, at a bounded cost."""

import time

import pytest

from portal.models import IssuedDocument
from portal.seal import inspect as checks
from portal.seal.issuing import issue_pdf, issued_supersede
from portal.seal.keys import current_seal, generate_seal
from portal.seal.signing import seal_pdf
from portal.seal.verify import verify_pdf_bytes

from .helpers import MEMO, incremental_update, issue_memo, plain_pdf, raw_pdf, shared_stream_pdf, xref_bomb_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(memos):
    return issue_memo("1")


def refused(data: bytes, reason: str) -> None:
    verdict = verify_pdf_bytes(data)
    assert not verdict.accepted, verdict
    assert reason in verdict.reason, verdict.reason


def test_an_issued_file_is_accepted_and_described(issued):
    document, sealed = issued
    verdict = verify_pdf_bytes(sealed)
    assert verdict.accepted and verdict.current
    assert verdict.document == document
    assert verdict.description.title == "测试文件 1"
    line = verdict.line()
    assert line.startswith("真实有效：测试文件 1") and document.display_code in line and "当前有效" in line
    assert "\n" not in line


def test_a_revoked_document_verifies_and_says_it_is_no_longer_current(issued, memos):
    _document, sealed = issued
    memos["revoked"].add("1")
    verdict = verify_pdf_bytes(sealed)
    assert verdict.accepted and not verdict.current
    assert "已撤销：测试" in verdict.line()


def test_a_superseded_file_says_so(issued):
    document, sealed = issued
    assert issued_supersede(kind=MEMO, object_id="1", reason="已生成新的版本") == 1
    verdict = verify_pdf_bytes(sealed)
    assert verdict.accepted and not verdict.current
    assert "已生成新的版本" in verdict.line()


def test_a_file_whose_record_is_gone_says_so(issued, memos):
    _document, sealed = issued
    memos["gone"].add("1")
    verdict = verify_pdf_bytes(sealed)
    assert verdict.accepted and not verdict.current
    assert "对应的记录已不存在" in verdict.line()


def test_a_failing_describer_still_gets_an_answer(issued, memos, caplog):
    from portal.seal.issuing import DESCRIBERS

    def broken(document):
        raise ValueError("bug in a describer")

    DESCRIBERS[MEMO] = broken
    verdict = verify_pdf_bytes(issued[1])
    assert verdict.accepted and not verdict.current
    assert "暂时无法查到" in verdict.line() and "bug in a describer" in caplog.text


def test_sealing_and_checking_work_in_a_thread_running_an_event_loop(issued, settings):
    """As under an ASGI server or Playwright: pyHanko's own asyncio.run must not collide with it.
    (Only the pyHanko parts run in the loop: the ORM would use another connection there.)"""
    import asyncio

    from portal.seal.sandbox import run_bounded

    seal = current_seal()[0]

    async def inside_a_loop():
        sealed = seal_pdf(plain_pdf(), reason="签发", seal=seal)
        return run_bounded(checks.inspect_pdf, sealed, (seal.der,), 100, timeout=10, memory_bytes=settings.VERIFY_MEMORY_BYTES)

    outcome = asyncio.run(inside_a_loop())
    assert outcome.error == "" and outcome.value.problem == "" and outcome.value.signer_fingerprint == seal.fingerprint


def test_a_forged_pdf_containing_the_real_hash_and_code_is_refused(issued):
    document, _sealed = issued
    forged = plain_pdf(f"本支部不承担任何意识形态工作责任 SHA-256 {document.sha256} 校验码 {document.display_code}")
    refused(forged, "文件没有电子签章")


def test_a_byte_corrupted_copy_is_refused(issued):
    _document, sealed = issued
    corrupted = bytearray(sealed)
    start = sealed.index(b"stream", sealed.index(b"/FlateDecode")) + 20  # inside the first compressed stream
    corrupted[start] ^= 0xFF
    refused(bytes(corrupted), "文件内容在盖章后被改动")


def test_a_copy_with_an_incremental_update_appended_is_refused(issued):
    _document, sealed = issued
    updated = incremental_update(sealed)
    assert updated.startswith(sealed)
    refused(updated, "盖章后被追加修改")


def test_bytes_appended_after_the_seal_are_refused(issued):
    _document, sealed = issued
    refused(sealed + b"\n% appended\n", "盖章后被追加修改")


def test_a_second_signature_appended_is_refused(issued, monkeypatch):
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    _document, sealed = issued
    # pyHanko itself respects the seal's "no changes"; another tool need not.
    monkeypatch.setattr(PdfSigner, "_enforce_certification_constraints", lambda self, reader: None)

    other = generate_seal("别的单位")
    signer = signers.SimpleSigner(
        signing_cert=other.asn1_certificate(),
        signing_key=other.asn1_key(),
        cert_registry=SimpleCertificateStore.from_certs([other.asn1_certificate()]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    twice = signers.sign_pdf(writer, PdfSignatureMetadata(field_name="Other"), signer=signer).getvalue()
    refused(twice, "不止一个签名")


def test_a_pdf_sealed_by_another_certificate_is_refused(issued):
    other = seal_pdf(plain_pdf("测试文件"), reason="签发", seal=generate_seal("别的单位"))
    refused(other, "不是本平台的证书所盖")


def test_a_file_sealed_here_but_never_registered_is_refused(issued):
    sealed_elsewhere = seal_pdf(plain_pdf("没有登记"), reason="签发")
    refused(sealed_elsewhere, "没有签发过这个文件的记录")


def test_a_register_row_changed_in_the_database_no_longer_vouches(issued):
    document, sealed = issued
    IssuedDocument.objects.filter(pk=document.pk).update(sha256="0" * 64)
    refused(sealed, "没有签发过这个文件的记录")


def test_a_non_pdf_is_refused(issued):
    refused(b"PK\x03\x04 a zip, not a pdf", "这不是 PDF 文件")
    refused(b"", "这不是 PDF 文件")


def test_a_truncated_copy_is_refused(issued):
    _document, sealed = issued
    refused(sealed[: len(sealed) // 2], "无法读取该 PDF 的结构")


def test_nothing_verifies_before_the_first_seal():
    refused(plain_pdf(), "还没有签发过盖章文件")


def test_an_oversized_file_is_refused_before_it_is_read(issued, settings):
    settings.VERIFY_MAX_BYTES = 1000
    refused(issued[1], "文件太大")


def test_a_declared_page_count_above_the_bound_is_refused(issued, settings):
    settings.VERIFY_MAX_PAGES = 50
    many = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 100000 >>"])
    refused(many, "页数过多")


# -- bounded cost (issue 11 #4) ----------------------------------------------------------


def test_three_pages_sharing_a_7_mb_content_stream_answer_at_once(issued):
    crafted = shared_stream_pdf(pages=3, stream_bytes=7 * 1024 * 1024)
    assert len(crafted) < 40 * 1024  # the attack file was 22.8 KB
    started = time.monotonic()
    refused(crafted, "文件没有电子签章")
    assert time.monotonic() - started < 2


def test_the_same_crafted_file_sealed_and_issued_verifies_at_once(memos):
    crafted = shared_stream_pdf(pages=3, stream_bytes=7 * 1024 * 1024)
    document, sealed = issue_pdf(kind=MEMO, object_id="9", description="构造的文件", render=lambda stamp: crafted)
    started = time.monotonic()
    verdict = verify_pdf_bytes(sealed)
    assert verdict.accepted and verdict.document == document
    assert time.monotonic() - started < 2


def test_a_decompression_bomb_is_refused_at_once(issued):
    bomb = xref_bomb_pdf(expanded_bytes=100 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    started = time.monotonic()
    refused(bomb, "无法读取该 PDF 的结构")
    assert time.monotonic() - started < 2


def _greedy(*args):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def test_reading_that_needs_too_much_memory_is_stopped(issued, settings, monkeypatch):
    """Behind pyHanko's own decode limits: the child cannot grow past its memory bound."""
    settings.VERIFY_MEMORY_BYTES = 128 * 1024 * 1024
    monkeypatch.setattr(checks, "inspect_pdf", _greedy)
    started = time.monotonic()
    refused(issued[1], "内存超过上限")
    assert time.monotonic() - started < 3


def _stuck(*args):
    time.sleep(60)


def test_a_file_that_takes_too_long_is_cut_off(issued, settings, monkeypatch):
    settings.VERIFY_TIMEOUT_SECONDS = 1
    monkeypatch.setattr(checks, "inspect_pdf", _stuck)
    started = time.monotonic()
    refused(issued[1], "校验超时")
    assert time.monotonic() - started < 3


def _crash(*args):
    import os

    os._exit(3)


def test_a_crash_while_reading_is_a_refusal(issued, monkeypatch):
    monkeypatch.setattr(checks, "inspect_pdf", _crash)
    refused(issued[1], "文件结构异常")


def test_verification_never_reads_page_text(issued, monkeypatch):
    """No text extraction and no rendering, whatever the file (issue 12: hashes in the text prove nothing)."""
    import pypdf

    def forbidden(*args, **kwargs):
        raise AssertionError("page text was read")

    monkeypatch.setattr(pypdf.PageObject, "extract_text", forbidden)
    monkeypatch.setattr("weasyprint.HTML.write_pdf", forbidden)
    assert verify_pdf_bytes(issued[1]).accepted
