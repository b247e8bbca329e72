"""Letter pages per role: scoping, the signing form, refusals, PDF, verification, dashboard."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from responsibility.models import LetterEvent, LetterSignature, ResponsibilityLetter
from tests import factories as f
from tests.responsibility.conftest import png_data_url

Status = ResponsibilityLetter.Status


def url(name, letter=None):
    return reverse(f"responsibility:letter_{name}", args=[letter.pk] if letter else [])


def sign_post(letter, **overrides):
    data = {"body_sha256": letter.body_sha256, "signature": png_data_url(), "password": f.PASSWORD}
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# -- scoping ---------------------------------------------------------------------------


def test_list_and_detail_scoped_by_committee_and_branch(world, client_for, issued):
    other = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.other_branch, title="第二支部责任书")
    sec = client_for(world.branch_secretary)
    listing = sec.get(url("list") + "?year=2020").content.decode()
    assert issued.title in listing and "第二支部责任书" not in listing
    assert sec.get(url("detail", other)).status_code == 404
    assert client_for(world.other_secretary).get(url("detail", issued)).status_code == 404
    assert client_for(world.outsider).get(url("detail", issued)).status_code == 404
    assert client_for(world.outsider).get(url("pdf", issued)).status_code == 404
    assert client_for(world.leader).get(url("detail", issued)).status_code == 200


@pytest.mark.parametrize("user", ["leader", "branch_secretary"])
def test_only_office_drafts_issues_revokes(world, client_for, draft, user):
    c = client_for(getattr(world, user))
    assert c.get(url("create")).status_code == 403
    assert c.post(url("create"), {"branch": world.other_branch.pk, "year": 2020}).status_code == 403
    assert c.get(url("update", draft)).status_code == 403
    assert c.post(url("issue", draft)).status_code == 403
    assert c.post(url("offline", draft)).status_code == 403
    assert c.post(url("revoke", draft), {"reason": "x"}).status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_office_drafts_edits_and_issues(world, client_for):
    c = client_for(world.office)
    response = c.post(url("create"), {"branch": world.other_branch.pk, "year": 2021, "duties": "专门职责"})
    letter = ResponsibilityLetter.objects.get(branch=world.other_branch, year=2021)
    assert response.status_code == 302 and "专门职责" in letter.body
    duplicate = c.post(url("create"), {"branch": world.other_branch.pk, "year": 2021})
    assert duplicate.status_code == 200 and "已有有效的责任书" in duplicate.content.decode()
    c.post(url("update", letter), {"title": letter.title, "body": "改后的正文"})
    c.post(url("issue", letter))
    letter.refresh_from_db()
    assert letter.status == Status.ISSUED and letter.body == "改后的正文" and len(letter.body_sha256) == 64


@pytest.mark.parametrize("state", ["issued", "signed", "complete"])
def test_frozen_letter_cannot_be_edited_or_deleted(world, client_for, request, state):
    letter = request.getfixturevalue(state)
    body = letter.body
    c = client_for(world.office)
    for action in ("update", "delete"):
        response = c.post(url(action, letter), {"title": "x", "body": "篡改"}, follow=True)
        assert "不能修改或删除" in "".join(messages_of(response))
    letter.refresh_from_db()
    assert letter.body == body and letter.deleted_at is None and letter.status == state


def test_draft_can_be_deleted_by_office(world, client_for, draft):
    client_for(world.office).post(url("delete", draft))
    assert not ResponsibilityLetter.objects.filter(pk=draft.pk).exists()


# -- signing ---------------------------------------------------------------------------


def test_sign_page_has_text_canvas_hash_and_no_inline_script(world, client_for, issued):
    html = client_for(world.branch_secretary).get(url("sign", issued)).content.decode()
    assert issued.body.splitlines()[0] in html
    assert 'id="signature-pad"' in html and 'id="signature-clear"' in html
    assert f'value="{issued.body_sha256}"' in html and 'type="password"' in html
    assert "responsibility/signature.js" in html
    assert "<script>" not in html and " style=" not in html


def test_sign_through_the_page(world, client_for, issued):
    c = client_for(world.branch_secretary)
    response = c.post(url("sign", issued), sign_post(issued), HTTP_USER_AGENT="Mozilla/5.0 test", follow=True)
    assert "签字成功" in "".join(messages_of(response))
    signature = LetterSignature.objects.get(letter=issued)
    assert signature.user_agent == "Mozilla/5.0 test" and signature.ip == "127.0.0.1"
    again = c.post(url("sign", issued), sign_post(issued), follow=True)
    assert again.status_code == 200 and "无需重复签字" in "".join(messages_of(again))
    assert LetterSignature.objects.count() == 1


@pytest.mark.parametrize(
    ("override", "error"),
    [({"password": "wrong"}, "密码不正确"), ({"signature": ""}, "请先在签名框内手写签名"), ({"signature": png_data_url(ink=False)}, "请先在签名框内手写签名")],
)
def test_sign_form_errors_store_nothing(world, client_for, issued, override, error):
    events = LetterEvent.objects.count()
    response = client_for(world.branch_secretary).post(url("sign", issued), sign_post(issued, **override))
    assert response.status_code == 200 and error in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == Status.ISSUED and LetterSignature.objects.count() == 0
    assert LetterEvent.objects.count() == events


def test_stale_hash_or_changed_body_refused_with_message(world, client_for, issued):
    c = client_for(world.branch_secretary)
    response = c.post(url("sign", issued), sign_post(issued, body_sha256="a" * 64), follow=True)
    assert "不一致" in "".join(messages_of(response))
    ResponsibilityLetter.objects.filter(pk=issued.pk).update(body="被改动的正文")
    response = c.post(url("sign", issued), sign_post(issued), follow=True)
    assert "不一致" in "".join(messages_of(response))
    assert LetterSignature.objects.count() == 0


def test_sign_refused_when_not_issued_or_not_yours(world, client_for, draft):
    sec = client_for(world.branch_secretary)
    response = sec.post(url("sign", draft), sign_post(draft), follow=True)
    assert messages_of(response) and LetterSignature.objects.count() == 0
    assert client_for(world.other_secretary).post(url("sign", draft), sign_post(draft)).status_code == 404
    # A role that can never sign gets 403, not a message.
    assert client_for(world.office).get(url("sign", draft)).status_code == 403
    assert client_for(world.leader).post(url("sign", draft), sign_post(draft)).status_code == 403


def test_countersign_page(world, client_for, signed):
    assert client_for(world.office).get(url("countersign", signed)).status_code == 403
    assert client_for(world.branch_secretary).post(url("countersign", signed), sign_post(signed)).status_code == 403
    response = client_for(world.leader).post(url("countersign", signed), sign_post(signed), follow=True)
    assert "会签成功" in "".join(messages_of(response))
    signed.refresh_from_db()
    assert signed.status == Status.COMPLETE


def test_revoke_and_new_version_pages(world, client_for, complete):
    c = client_for(world.office)
    assert c.post(url("revoke", complete), {"reason": ""}).status_code == 200  # form error, nothing done
    complete.refresh_from_db()
    assert complete.status == Status.COMPLETE
    c.post(url("revoke", complete), {"reason": "职责调整"})
    response = c.post(url("new_version", complete))
    new = ResponsibilityLetter.objects.get(replaces=complete)
    assert response.status_code == 302 and new.version == 2 and new.status == Status.DRAFT


def test_offline_upload_is_type_checked(world, client_for, issued):
    c = client_for(world.office)
    bad = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")
    response = c.post(url("offline", issued), {"signed_on": "2020-02-01", "signer": "sec_a", "scan": bad})
    assert response.status_code == 200 and "不是有效的 PDF" in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == Status.ISSUED
    good = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    c.post(url("offline", issued), {"signed_on": "2020-02-01", "signer": "sec_a", "scan": good})
    issued.refresh_from_db()
    assert issued.status == Status.COMPLETE and issued.offline


def test_detail_records_view_once_per_user(world, client_for, issued):
    c = client_for(world.branch_secretary)
    c.get(url("detail", issued))
    c.get(url("detail", issued))
    assert issued.events.filter(kind="viewed").count() == 1


# -- PDF and verification --------------------------------------------------------------


def test_pdf_has_both_signatures_and_the_hash_and_logs_each_download(world, client_for, complete):
    c = client_for(world.branch_secretary)
    response = c.get(url("pdf", complete))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "sec_a" in text and "leader" in text and complete.body_sha256 in text
    assert world.committee.name in text.replace("\n", "")
    c.get(url("pdf", complete))
    assert complete.events.filter(kind="downloaded").count() == 2


def test_verify_by_hash(world, client_for, complete):
    c = client_for(world.office)
    for typed in (complete.body_sha256.upper(), " ".join(complete.body_sha256[i : i + 16] for i in range(0, 64, 16))):
        found = c.post(url("verify"), {"sha256": typed}).content.decode()
        assert complete.title in found and "第1版" in found and "找到匹配的责任书" in found
    unknown = c.post(url("verify"), {"sha256": "b" * 64}).content.decode()
    assert 'id="verify-no-match"' in unknown and "没有匹配的责任书" in unknown and "no match" not in unknown
    # Another committee cannot learn about this letter from its hash.
    outsider = client_for(world.outsider).post(url("verify"), {"sha256": complete.body_sha256}).content.decode()
    assert 'id="verify-no-match"' in outsider and complete.title not in outsider


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("hello", "只能由数字 0–9 和字母 a–f 组成"),
        ("abc123", "您输入的是 6 位"),
        ("a" * 65, "您输入的是 65 位"),
        ("g" * 64, "只能由数字 0–9 和字母 a–f 组成"),
        ("", "请输入正文哈希"),
        ("a" * 201, "正文哈希应为 64 位十六进制数"),
    ],
)
def test_verify_says_a_malformed_hash_is_malformed(world, client_for, complete, typed, error):
    response = client_for(world.office).post(url("verify"), {"sha256": typed})
    html = response.content.decode()
    assert response.status_code == 200 and error in response.context["form"].errors["sha256"][0]
    assert 'id="verify-result"' not in html and "没有匹配的责任书" not in html


def test_verify_page_sends_files_to_the_seal_verification(world, client_for):
    html = client_for(world.office).get(url("verify")).content.decode()
    assert 'type="file"' not in html and f'href="{reverse("verify")}"' in html
    assert "核对的是正文文本的哈希，不是文件本身" in html


# -- dashboard -------------------------------------------------------------------------


def test_dashboard_panels_per_role(world, client_for, issued):
    sec_html = client_for(world.branch_secretary).get("/?year=2020").content.decode()
    assert url("sign", issued) in sec_html
    assert url("sign", issued) not in client_for(world.other_secretary).get("/?year=2020").content.decode()
    office_html = client_for(world.office).get("/?year=2020").content.decode()
    assert "已签订 0 / 2" in office_html
    client_for(world.branch_secretary).post(url("sign", issued), sign_post(issued))
    # Signed by the branch only: not yet signed in the report's sense, awaiting the countersignature.
    office_html = client_for(world.office).get("/?year=2020").content.decode()
    assert "已签订 0 / 2" in office_html and "支部已签待会签 1" in office_html
    leader_html = client_for(world.leader).get("/?year=2020").content.decode()
    assert url("countersign", issued) in leader_html
    client_for(world.leader).post(url("countersign", issued), sign_post(issued))
    assert "已签订 1 / 2<" in client_for(world.office).get("/?year=2020").content.decode()


LETTER_ACTIONS = ["detail", "update", "delete", "issue", "sign", "countersign", "revoke", "new_version", "offline", "pdf"]


@pytest.mark.parametrize("action", LETTER_ACTIONS)
def test_every_letter_page_is_404_for_another_committee_and_another_branch(world, client_for, issued, action):
    for user in (world.outsider, world.other_secretary):
        c = client_for(user)
        assert c.get(url(action, issued)).status_code in (404, 405)
        assert c.post(url(action, issued), {"reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.status == Status.ISSUED and issued.deleted_at is None


def test_anonymous_is_sent_to_login(client, issued):
    for action in ("detail", "sign", "pdf"):
        response = client.get(url(action, issued))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert "/login/" in client.get(url("verify"))["Location"]


def test_a_leader_who_is_not_the_secretary_cannot_countersign(world, client_for, signed):
    deputy = f.person_with_user(world.committee, "deputy", role="leader", is_committee_member=True)
    assert client_for(deputy).post(url("countersign", signed), sign_post(signed)).status_code == 403
    signed.refresh_from_db()
    assert signed.status == Status.SIGNED


def test_draft_edit_page_renders_for_office(world, client_for, draft):
    html = client_for(world.office).get(url("update", draft)).content.decode()
    assert draft.title in html and 'name="body"' in html


def test_wrong_signing_passwords_lock_like_the_login_page(world, client_for, issued, settings):
    settings.AXES_FAILURE_LIMIT = 3
    c = client_for(world.branch_secretary)
    for _ in range(2):
        assert c.post(url("sign", issued), sign_post(issued, password="wrong")).status_code == 200
    assert c.post(url("sign", issued), sign_post(issued, password="wrong")).status_code == 429
    response = c.post(url("sign", issued), sign_post(issued), follow=True)
    assert "次数过多" in "".join(messages_of(response))
    issued.refresh_from_db()
    assert issued.status == Status.ISSUED and LetterSignature.objects.count() == 0


# -- signing from the page's script (fetch) and the completion screen ---------------------

JSON = {"HTTP_ACCEPT": "application/json"}


def test_a_wrong_password_answers_the_script_with_the_error_and_stores_nothing(world, client_for, issued):
    response = client_for(world.branch_secretary).post(url("sign", issued), sign_post(issued, password="wrong"), **JSON)
    assert response.status_code == 422 and response["Content-Type"] == "application/json"
    assert "密码不正确" in response.json()["errors"]["password"][0]
    # The drawn signature is never sent back: the page keeps it.
    assert "data:image/png" not in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == Status.ISSUED and LetterSignature.objects.count() == 0


def test_signing_from_the_script_leads_to_the_completion_screen(world, client_for, issued):
    c = client_for(world.branch_secretary)
    response = c.post(url("sign", issued), sign_post(issued), **JSON)
    assert response.json() == {"redirect": url("signed", issued)}
    html = c.get(url("signed", issued)).content.decode()
    assert "签字成功" in html and "等待党委书记会签" in html and url("pdf", issued) in html
    # A refusal that is not about a field sends the script to the letter with the message.
    again = client_for(world.branch_secretary).post(url("sign", issued), sign_post(issued), **JSON)
    assert again.json() == {"redirect": url("detail", issued)}


def test_the_completion_screen_follows_the_letter(world, client_for, issued, actors):
    from responsibility import services
    from tests.responsibility.conftest import sign_kwargs

    c = client_for(world.leader)
    assert c.get(url("signed", issued))["Location"] == url("detail", issued)  # nothing signed yet
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    response = c.post(url("countersign", issued), sign_post(issued), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url("signed", issued)
    assert "会签成功" in html and "责任书已签订完成" in html and "等待党委书记会签" not in html
    for outsider in (world.other_secretary, world.outsider):
        assert client_for(outsider).get(url("signed", issued)).status_code == 404


def test_a_letter_awaiting_the_user_leads_the_dashboard(world, client_for, issued):
    html = client_for(world.branch_secretary).get("/?year=2020").content.decode()
    assert html.index("panel-letters-to-sign") < html.index('id="counts"')
    client_for(world.branch_secretary).post(url("sign", issued), sign_post(issued))
    html = client_for(world.branch_secretary).get("/?year=2020").content.decode()
    assert html.index('id="counts"') < html.index("panel-letters-to-sign")  # nothing waits: back in its place
    leader = client_for(world.leader).get("/?year=2020").content.decode()
    assert leader.index("panel-letters-to-countersign") < leader.index('id="counts"')
