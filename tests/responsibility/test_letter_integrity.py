"""Issue 11 #2: a body changed behind the portal's back (a direct database edit)
shows as changed wherever the letter appears, never as a match."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from responsibility.models import ResponsibilityLetter

TAMPERED = "本支部不承担任何意识形态工作责任。"


def url(name, letter=None):
    return reverse(f"responsibility:letter_{name}", args=[letter.pk] if letter else [])


@pytest.fixture
def tampered(complete):
    """A countersigned letter whose body is then rewritten directly in the database."""
    ResponsibilityLetter.objects.filter(pk=complete.pk).update(body=TAMPERED)
    complete.refresh_from_db()
    return complete


def test_the_model_computes_integrity_on_read(complete):
    assert complete.body_intact is True
    assert all(s.body_matches for s in complete.signatures.all())
    ResponsibilityLetter.objects.filter(pk=complete.pk).update(body=TAMPERED)
    letter = ResponsibilityLetter.objects.get(pk=complete.pk)
    assert letter.body_intact is False
    assert not any(s.body_matches for s in letter.signatures.all())


def test_a_cleared_hash_is_not_intact_either(complete):
    ResponsibilityLetter.objects.filter(pk=complete.pk).update(body_sha256="")
    assert ResponsibilityLetter.objects.get(pk=complete.pk).body_intact is False


def test_a_draft_has_no_integrity_to_show(draft):
    assert draft.body_intact is None


def test_detail_page_says_the_body_changed(world, client_for, complete, tampered):
    html = client_for(world.office).get(url("detail", tampered)).content.decode()
    assert 'id="letter-tampered"' in html and "正文与签署时的哈希不一致" in html
    assert html.count("否（正文已被改动）") == 2  # both signature rows
    assert "正文与下发时的哈希一致" not in html


def test_detail_page_of_an_intact_letter_says_so(world, client_for, complete):
    html = client_for(world.office).get(url("detail", complete)).content.decode()
    assert "正文与下发时的哈希一致" in html and 'id="letter-tampered"' not in html
    assert "否（正文已被改动）" not in html


def _pdf_text(client, letter):
    data = client.get(url("pdf", letter)).getvalue()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_pdf_says_the_body_changed_and_keeps_its_audit_page(world, client_for, complete, tampered):
    text = _pdf_text(client_for(world.office), tampered)
    assert "正文与签署时的哈希不一致" in text
    assert "审计信息" in text and tampered.body_sha256 in text
    # The signature rows say the text they signed is not the one shown.
    signature_rows = text.split("签字时正文哈希一致", 1)[1].split("操作记录", 1)[0]
    assert "否" in signature_rows and "是" not in signature_rows


def test_pdf_of_an_intact_letter_shows_the_match(world, client_for, complete):
    text = _pdf_text(client_for(world.office), complete)
    assert "正文与下发时的哈希一致" in text and "正文与签署时的哈希不一致" not in text


def test_verify_by_hash_does_not_report_a_match(world, client_for, complete, tampered):
    c = client_for(world.office)
    html = c.post(url("verify"), {"sha256": tampered.body_sha256}).content.decode()
    assert 'id="verify-tampered"' in html and "正文与签署时的哈希不一致" in html
    assert "找到匹配的责任书" not in html


def test_the_letters_sealed_pdf_is_no_longer_current_once_the_body_changed(world, client_for, complete):
    """The file itself is genuine (its seal holds), but the letter it shows no longer matches its record."""
    c = client_for(world.office)
    before = c.get(url("pdf", complete)).getvalue()
    ResponsibilityLetter.objects.filter(pk=complete.pk).update(body=TAMPERED)
    after = c.get(url("pdf", complete)).getvalue()
    assert after != before  # a new file that prints the warning, not the stored one
    for pdf in (before, after):
        html = c.post(reverse("verify"), {"pdf": SimpleUploadedFile("l.pdf", pdf, content_type="application/pdf")})
        verdict = html.context["verdict"]
        assert verdict.accepted and not verdict.current
        assert "不一致" in verdict.description.status and "已不是当前有效的文件" in html.content.decode()


def test_verify_by_hash_of_an_intact_letter_matches(world, client_for, complete):
    html = client_for(world.office).post(url("verify"), {"sha256": complete.body_sha256}).content.decode()
    assert "找到匹配的责任书" in html and 'id="verify-tampered"' not in html


def test_letter_list_marks_the_changed_letter(world, client_for, complete, tampered):
    html = client_for(world.office).get(url("list") + "?year=2020").content.decode()
    assert "已签订（正文与哈希不一致）" in html


def test_signing_a_changed_letter_is_refused(world, client_for, issued):
    ResponsibilityLetter.objects.filter(pk=issued.pk).update(body=TAMPERED)
    html = client_for(world.branch_secretary).get(url("detail", issued)).content.decode()
    assert url("sign", issued) not in html  # the table offers no signing
