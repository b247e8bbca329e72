"""The verify pages and the seal's history page, as each role sees them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import IssuedDocument
from portal.seal.keys import current_seal

from .helpers import issue_memo, plain_pdf

pytestmark = pytest.mark.django_db


def upload(client, url, data: bytes, name="file.pdf"):
    return client.post(url, {"pdf": SimpleUploadedFile(name, data, content_type="application/pdf")})


@pytest.fixture
def issued(world, memos):
    return issue_memo("1", committee=world.committee)


def test_every_logged_in_role_verifies_a_genuine_file(world, client_for, issued):
    document, sealed = issued
    for user in (world.office, world.leader, world.branch_secretary, world.outsider):
        response = upload(client_for(user), reverse("verify"), sealed)
        assert response.status_code == 200
        body = response.content.decode()
        assert "通过：这是本平台签发的原件" in body and "测试文件 1" in body and document.display_code in body


def test_a_forged_upload_is_refused_with_its_reason(world, client_for, issued):
    document, _sealed = issued
    forged = plain_pdf(f"伪造 {document.sha256} {document.display_code}")
    body = upload(client_for(world.office), reverse("verify"), forged).content.decode()
    assert "未通过" in body and "文件没有电子签章" in body and "通过：这是" not in body


def test_a_non_pdf_upload_is_refused_not_an_error(world, client_for, issued):
    response = upload(client_for(world.office), reverse("verify"), b"\x00\x01 junk", name="x.pdf")
    assert response.status_code == 200 and "这不是 PDF 文件" in response.content.decode()


def test_an_oversized_upload_is_a_form_error(world, client_for, issued, settings):
    settings.VERIFY_MAX_BYTES = 100
    body = upload(client_for(world.office), reverse("verify"), issued[1]).content.decode()
    assert "文件过大" in body and "verify-result" not in body


def test_an_empty_post_is_a_form_error(world, client_for):
    response = client_for(world.office).post(reverse("verify"), {})
    assert response.status_code == 200 and "verify-result" not in response.content.decode()


def test_the_per_code_page_shows_the_register_entry(world, client_for, issued):
    document, _sealed = issued
    response = client_for(world.branch_secretary).get(reverse("verify_code", args=[document.code]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "测试文件 1" in body and "当前有效" in body and document.sha256 in body and "第一党支部书记 张三 签署" in body


def test_the_per_code_page_says_when_a_document_is_no_longer_current(world, client_for, issued, memos):
    memos["revoked"].add("1")
    body = client_for(world.office).get(reverse("verify_code", args=[issued[0].code])).content.decode()
    assert "已不是当前有效的文件" in body and "已撤销：测试" in body


def test_a_typed_code_is_normalised(world, client_for, issued):
    document, _sealed = issued
    client = client_for(world.office)
    typed = document.display_code.lower()
    response = client.get(reverse("verify"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("verify_code", args=[document.code])
    response = client.get(reverse("verify_code", args=[typed]))
    assert response.status_code == 302 and response["Location"] == reverse("verify_code", args=[document.code])


@pytest.mark.parametrize("code", ["ZZZZZZZZZZZZ", "not-a-code", "x" * 300, "%00"])
def test_an_unknown_or_malformed_code_is_a_404_page(world, client_for, issued, code):
    response = client_for(world.office).get(reverse("verify_code", args=[code]))
    assert response.status_code == 404 and "没有这个校验码" in response.content.decode()


def test_a_malformed_code_in_the_search_form_is_a_form_error(world, client_for):
    response = client_for(world.office).get(reverse("verify"), {"code": "12"})
    assert response.status_code == 200 and "校验码应为 12 位" in response.content.decode()


def test_uploading_on_a_code_page_checks_the_file_is_that_document(world, client_for, issued, memos):
    first, first_file = issued
    second, second_file = issue_memo("2", committee=world.committee)
    client = client_for(world.office)
    url = reverse("verify_code", args=[first.code])
    assert "不是这个校验码对应的文件" not in upload(client, url, first_file).content.decode()
    body = upload(client, url, second_file).content.decode()
    assert "不是这个校验码对应的文件" in body


def test_the_certificates_download_is_the_public_certificate(world, client_for, issued):
    response = client_for(world.branch_secretary).get(reverse("seal_certificate"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content == current_seal()[0].certificate_pem and "PRIVATE" not in content


def test_the_certificates_download_before_any_seal_is_a_404(world, client_for):
    assert client_for(world.office).get(reverse("seal_certificate")).status_code == 404


def test_the_seal_history_is_for_the_office(world, client_for, issued):
    response = client_for(world.office).get(reverse("seal_history"))
    body = response.content.decode()
    assert response.status_code == 200
    assert issued[0].certificate.fingerprint in body and "启用" in body and "审计链完整" in body
    assert issued[0].display_code in body
    for user in (world.leader, world.branch_secretary):
        assert client_for(user).get(reverse("seal_history")).status_code == 403


def test_the_seal_history_lists_only_the_own_committees_files(world, client_for, issued):
    body = client_for(world.outsider).get(reverse("seal_history")).content.decode()
    assert issued[0].display_code not in body


def test_the_seal_history_shows_a_broken_chain(world, client_for, issued):
    IssuedDocument.objects.filter(pk=issued[0].pk).update(description="改过的说明")
    body = client_for(world.office).get(reverse("seal_history")).content.decode()
    assert "审计链断开" in body and "内容在入链后被改动" in body


def test_a_user_without_a_committee_gets_the_usual_page(world, client_for):
    assert client_for(world.no_person).get(reverse("verify")).status_code == 403


def test_the_menu_offers_verification_to_everyone_and_the_seal_to_the_office(world, client_for):
    office = client_for(world.office).get(reverse("dashboard")).content.decode()
    secretary = client_for(world.branch_secretary).get(reverse("dashboard")).content.decode()
    assert reverse("verify") in office and reverse("seal_history") in office
    assert reverse("verify") in secretary and reverse("seal_history") not in secretary
