"""Every state transition of the letter and every forbidden one: refused, nothing stored."""

import hashlib

import pytest

from responsibility import services
from responsibility.models import LetterEvent, LetterSignature, ResponsibilityLetter
from tests import factories as f
from tests.responsibility.conftest import png_data_url, sign_kwargs

Status = ResponsibilityLetter.Status


def kinds(letter):
    return list(letter.events.values_list("kind", flat=True))


def snapshot(letter):
    letter.refresh_from_db()
    return (letter.status, letter.body, letter.body_sha256, LetterSignature.objects.count(), LetterEvent.objects.count())


def test_create_draft_from_template_names_committee_branch_year_and_duties(world, actors):
    letter = services.letter_create(actor=actors.office, branch=world.branch, year=2021, duties="（一）专门职责一条")
    assert letter.status == Status.DRAFT and letter.version == 1
    for text in (world.committee.name, world.branch.name, "2021", "（一）专门职责一条"):
        assert text in letter.body
    assert kinds(letter) == ["created"]


def test_create_refused_for_non_office_and_for_a_second_live_letter(world, actors, draft):
    with pytest.raises(services.LetterRefused):
        services.letter_create(actor=actors.leader, branch=world.other_branch, year=2020)
    with pytest.raises(services.LetterRefused):
        services.letter_create(actor=actors.office, branch=world.branch, year=2020)
    assert ResponsibilityLetter.objects.count() == 1


def test_update_only_drafts(actors, draft):
    services.letter_update(actor=actors.office, letter=draft, title="新标题", body="新正文")
    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("新标题", "新正文")
    assert kinds(draft) == ["created", "updated"]
    services.letter_issue(actor=actors.office, letter=draft)
    with pytest.raises(services.LetterRefused):
        services.letter_update(actor=actors.office, letter=draft, title="x", body="改过的正文")
    draft.refresh_from_db()
    assert draft.body == "新正文"


def test_issue_freezes_the_body_hash(actors, draft):
    letter = services.letter_issue(actor=actors.office, letter=draft)
    assert letter.status == Status.ISSUED
    assert letter.body_sha256 == hashlib.sha256(letter.body.encode()).hexdigest()
    assert letter.issued_at is not None
    assert kinds(letter) == ["created", "issued"]
    with pytest.raises(services.LetterRefused):
        services.letter_issue(actor=actors.office, letter=letter)


def test_issue_refused_for_branch_secretary(actors, draft):
    with pytest.raises(services.LetterRefused):
        services.letter_issue(actor=actors.sec, letter=draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.body_sha256 == ""


def test_branch_secretary_signs_and_everything_is_stored(world, actors, issued):
    signature, created = services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    issued.refresh_from_db()
    assert created and issued.status == Status.SIGNED
    assert signature.signer == world.branch_secretary and signature.signer_name == "sec_a"
    assert signature.ip == "127.0.0.1" and signature.user_agent == "pytest"
    assert signature.body_sha256 == issued.body_sha256
    assert bytes(signature.image).startswith(b"\x89PNG")
    assert kinds(issued)[-1] == "signed"


def test_signing_twice_changes_nothing(actors, signed):
    before = snapshot(signed)
    signature, created = services.letter_sign(actor=actors.sec, **sign_kwargs(signed))
    assert not created and signature.role == LetterSignature.Role.BRANCH
    assert snapshot(signed) == before


@pytest.mark.parametrize(
    "case",
    ["other_branch", "office", "wrong_password", "empty_signature", "not_png", "garbage", "stale_hash", "body_changed"],
)
def test_sign_refusals_store_nothing(actors, issued, case):
    actor = actors.sec
    kwargs = sign_kwargs(issued)
    if case == "other_branch":
        actor = actors.other_sec
    elif case == "office":
        actor = actors.office
    elif case == "wrong_password":
        kwargs["password"] = "wrong"
    elif case == "empty_signature":
        kwargs["signature_data_url"] = png_data_url(ink=False)
    elif case == "not_png":
        kwargs["signature_data_url"] = "data:image/jpeg;base64,AAAA"
    elif case == "garbage":
        kwargs["signature_data_url"] = "data:image/png;base64,bm90IGFuIGltYWdl"
    elif case == "stale_hash":
        kwargs["seen_hash"] = "0" * 64
    elif case == "body_changed":
        ResponsibilityLetter.objects.filter(pk=issued.pk).update(body=issued.body + "（篡改）")
    before = snapshot(issued)
    with pytest.raises(services.LetterRefused) as exc:
        services.letter_sign(actor=actor, **kwargs)
    assert exc.value.message
    assert snapshot(issued) == before
    expected_field = {"wrong_password": "password", "empty_signature": "signature"}.get(case)
    if expected_field:
        assert exc.value.field == expected_field


def test_sign_refused_for_draft_and_revoked(actors, draft):
    with pytest.raises(services.LetterRefused):
        services.letter_sign(actor=actors.sec, **sign_kwargs(draft))
    services.letter_issue(actor=actors.office, letter=draft)
    services.letter_revoke(actor=actors.office, letter=draft, reason="条款有误")
    draft.refresh_from_db()
    with pytest.raises(services.LetterRefused):
        services.letter_sign(actor=actors.sec, **sign_kwargs(draft))
    assert LetterSignature.objects.count() == 0


def test_oversized_signature_is_refused(actors, issued):
    big = png_data_url(size=(2500, 100))
    with pytest.raises(services.LetterRefused) as exc:
        services.letter_sign(actor=actors.sec, **sign_kwargs(issued, signature_data_url=big))
    assert exc.value.field == "signature"


def test_countersign_after_branch_completes_letter(world, actors, signed):
    signature, created = services.letter_countersign(actor=actors.leader, **sign_kwargs(signed))
    signed.refresh_from_db()
    assert created and signed.status == Status.COMPLETE
    assert signature.role == LetterSignature.Role.COMMITTEE and signature.signer == world.leader
    assert kinds(signed)[-1] == "countersigned"
    again, created = services.letter_countersign(actor=actors.leader, **sign_kwargs(signed))
    assert not created and again.pk == signature.pk


def test_countersign_refused_before_branch_signature_and_for_others(world, actors, issued):
    with pytest.raises(services.LetterRefused):
        services.letter_countersign(actor=actors.leader, **sign_kwargs(issued))
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    deputy = f.person_with_user(world.committee, "deputy", role="leader", is_committee_member=True)
    from portal.access import actor_for

    for actor in (actors.office, actors.sec, actor_for(deputy)):
        with pytest.raises(services.LetterRefused):
            services.letter_countersign(actor=actor, **sign_kwargs(issued))
    issued.refresh_from_db()
    assert issued.status == Status.SIGNED and issued.signatures.count() == 1


def test_revoke_needs_a_reason_and_then_a_new_version_replaces_it(actors, complete):
    with pytest.raises(services.LetterRefused):
        services.letter_revoke(actor=actors.office, letter=complete, reason="  ")
    with pytest.raises(services.LetterRefused):
        services.letter_revoke(actor=actors.leader, letter=complete, reason="原因")
    services.letter_revoke(actor=actors.office, letter=complete, reason="职责条款需要调整")
    complete.refresh_from_db()
    assert complete.status == Status.REVOKED and complete.revoke_reason == "职责条款需要调整"
    new = services.letter_new_version(actor=actors.office, letter=complete)
    assert new.status == Status.DRAFT and new.version == 2 and new.replaces == complete
    assert complete.signatures.count() == 2  # both stay on record
    with pytest.raises(services.LetterRefused):
        services.letter_new_version(actor=actors.office, letter=complete)
    with pytest.raises(services.LetterRefused):
        services.letter_revoke(actor=actors.office, letter=complete, reason="再次")


def test_revoke_refused_for_draft_and_new_version_refused_unless_revoked(actors, draft, world):
    with pytest.raises(services.LetterRefused):
        services.letter_revoke(actor=actors.office, letter=draft, reason="原因")
    with pytest.raises(services.LetterRefused):
        services.letter_new_version(actor=actors.office, letter=draft)


def test_record_offline_with_scan(actors, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    services.letter_record_offline(actor=actors.office, letter=issued, signed_on=f.a_date(), signer="sec_a", scan=scan)
    issued.refresh_from_db()
    assert issued.status == Status.COMPLETE and issued.offline and issued.offline_scan
    assert kinds(issued)[-1] == "offline"
    with pytest.raises(services.LetterRefused):
        services.letter_sign(actor=actors.sec, **sign_kwargs(issued))


def test_viewed_once_per_user_downloaded_every_time(actors, issued):
    assert services.letter_viewed(actor=actors.sec, letter=issued)
    assert not services.letter_viewed(actor=actors.sec, letter=issued)
    assert services.letter_viewed(actor=actors.office, letter=issued)
    services.letter_downloaded(actor=actors.sec, letter=issued)
    services.letter_downloaded(actor=actors.sec, letter=issued)
    assert kinds(issued).count("viewed") == 2
    assert kinds(issued).count("downloaded") == 2
