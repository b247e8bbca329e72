"""Issues 12 #2 and 14 #9: a letter's PDF is sealed, registered and stored once per
state of the letter; downloads serve the stored file, which verifies."""

import io
import threading

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from portal.chains import chain_check
from portal.models import IssuedDocument
from portal.seal.issuing import REGISTER_CHAIN, describe
from portal.seal.verify import verify_pdf_bytes
from responsibility import services
from responsibility.models import LETTER_DOCUMENT_KIND, LetterDocument, ResponsibilityLetter

from .conftest import sign_kwargs
from tests.conftest import postgresql_only


def pdf_url(letter) -> str:
    return reverse("responsibility:letter_pdf", args=[letter.pk])


def download(client, letter) -> bytes:
    response = client.get(pdf_url(letter))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.getvalue()


def registered(letter):
    return IssuedDocument.objects.filter(kind=LETTER_DOCUMENT_KIND, object_id=str(letter.pk)).order_by("pk")


def test_two_downloads_of_one_state_are_one_sealed_registered_file(world, client_for, complete):
    office, sec = client_for(world.office), client_for(world.branch_secretary)
    first, second = download(office, complete), download(sec, complete)
    assert first == second
    stored = LetterDocument.objects.get(letter=complete)
    assert stored.file.read() == first and registered(complete).count() == 1
    verdict = verify_pdf_bytes(first)
    assert verdict.accepted and verdict.current and verdict.document == stored.issued
    assert verdict.description.title == "第一党支部2020年度意识形态工作责任书（第1版）"
    details = "\n".join(verdict.description.details)
    assert "支部书记签字：sec_a" in details and "党委书记会签：leader" in details and complete.body_sha256 in details
    # The file prints its code (and QR code) leading to its verify page.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    assert stored.issued.display_code in text and stored.issued.code in text.replace("-", "")
    # Each download is still an event, naming the file handed out.
    downloads = complete.events.filter(kind="downloaded")
    assert downloads.count() == 2 and all(stored.issued.display_code in e.detail for e in downloads)
    assert chain_check(REGISTER_CHAIN).intact


def test_each_new_state_issues_a_new_file_and_supersedes_the_last(world, client_for, issued, actors):
    c = client_for(world.office)
    files = {"issued": download(c, issued)}
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    files["signed"] = download(c, issued)
    services.letter_countersign(actor=actors.leader, **sign_kwargs(issued))
    files["complete"] = download(c, issued)
    services.letter_revoke(actor=actors.office, letter=issued, reason="职责调整")
    files["revoked"] = download(c, issued)

    assert len(set(files.values())) == 4
    rows = list(registered(issued))
    assert [row.version for row in rows] == ["1/issued", "1/signed", "1/complete", "1/revoked"]
    # Every earlier state's file was marked superseded when the letter left that state.
    assert all(row.superseded_at is not None for row in rows[:3]) and rows[3].superseded_at is None
    verdicts = {state: verify_pdf_bytes(data) for state, data in files.items()}
    assert all(v.accepted for v in verdicts.values())
    assert not any(v.current for v in verdicts.values())
    assert "撤销" in verdicts["revoked"].description.status and "职责调整" in verdicts["revoked"].description.status
    assert "已签订" in " ".join(verdicts["complete"].description.details)


def test_a_complete_letter_is_current_until_it_changes(world, client_for, signed, actors):
    c = client_for(world.office)
    signed_file = download(c, signed)
    assert verify_pdf_bytes(signed_file).current
    services.letter_countersign(actor=actors.leader, **sign_kwargs(signed))
    old = verify_pdf_bytes(signed_file)
    assert not old.current and "已变更" in old.line()
    new = verify_pdf_bytes(download(c, signed))
    assert new.current and new.description.status == "双方已签订"


def test_a_refused_action_does_not_supersede_the_file(world, client_for, issued, actors):
    c = client_for(world.office)
    download(c, issued)
    with pytest.raises(services.LetterRefused):
        services.letter_sign(actor=actors.sec, **sign_kwargs(issued, password="wrong"))
    assert registered(issued).get().superseded_at is None


def test_a_draft_edit_is_a_new_draft_file_without_effect(world, client_for, draft, actors):
    c = client_for(world.office)
    before = download(c, draft)
    services.letter_update(actor=actors.office, letter=draft, title=draft.title, body="改后的正文")
    after = download(c, draft)
    assert before != after and registered(draft).count() == 2
    old, new = verify_pdf_bytes(before), verify_pdf_bytes(after)
    assert old.accepted and not old.current
    assert new.accepted and not new.current and "草稿" in new.description.status
    assert registered(draft).first().superseded_at is not None


def test_a_paper_letter_says_who_signed_on_paper(world, client_for, issued, actors):
    import datetime

    services.letter_record_offline(actor=actors.office, letter=issued, signed_on=datetime.date(2020, 2, 1), signer="孙丽")
    verdict = verify_pdf_bytes(download(client_for(world.office), issued))
    assert verdict.current and "线下签订：孙丽，2020-02-01" in verdict.description.details


def test_a_trashed_draft_is_no_longer_on_record(world, client_for, draft, actors):
    data = download(client_for(world.office), draft)
    services.letter_trash(actor=actors.office, letter=draft)
    verdict = verify_pdf_bytes(data)
    assert verdict.accepted and not verdict.current and "不存在" in verdict.description.status


def test_without_a_seal_the_download_says_why_in_chinese(world, client_for, complete, settings, tmp_path):
    settings.SEAL_PKCS12_FILE = str(tmp_path / "missing.p12")
    response = client_for(world.office).get(pdf_url(complete), follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("电子签章不可用" in m and "missing.p12" in m for m in messages)
    assert not LetterDocument.objects.exists() and not registered(complete).exists()
    assert not complete.events.filter(kind="downloaded").exists()


def test_the_stored_file_is_read_by_the_describer(world, client_for, complete):
    download(client_for(world.office), complete)
    stored = LetterDocument.objects.get(letter=complete)
    assert describe(stored.issued).url == reverse("responsibility:letter_detail", args=[complete.pk])
    ResponsibilityLetter.objects.filter(pk=complete.pk).update(body="被改动")
    assert not describe(stored.issued).current


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_downloads_issue_one_file(world, complete, actors):
    """Both wait at the barrier, then ask at once: the letter's row lock lets one
    issue the file and the other find it (without the lock: two register rows,
    or the unique rule refusing the second)."""
    postgresql_only("row locks between two threads (SQLite locks the whole table)")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def first_download():
        try:
            barrier.wait(timeout=10)
            letter = ResponsibilityLetter.objects.get(pk=complete.pk)
            results.append(services.letter_document(actor=actors.office, letter=letter).pk)
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    assert LetterDocument.objects.count() == 1 and registered(complete).count() == 1
