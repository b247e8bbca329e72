"""Who is told what after each letter event: the year's signers from 责任分工, the office,
nobody twice, nobody about their own action, and the letter action never fails for the mail."""

import logging

import pytest
from django.core import mail

from portal.models import Notification
from responsibility import services
from tests import factories as f
from tests.responsibility.conftest import sign_kwargs
from tests.security.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def second_office(world):
    """A colleague of the office user: the office is told of what its colleague did."""
    return f.person_with_user(world.committee, "office2", role="office", branch=world.branch)


def told(kind):
    """Usernames told about the letter event ``kind``, one entry per notification."""
    rows = Notification.objects.filter(kind=f"letter.{kind}").order_by("recipient__user__username")
    return [n.recipient.user.username for n in rows]


def test_issuing_tells_the_years_branch_signer_only(world, actors, draft, second_office):
    letter = services.letter_issue(actor=actors.office, letter=draft)
    assert told("issued") == ["sec_a"]
    [note] = Notification.objects.filter(kind="letter.issued")
    assert note.committee == world.committee and note.link == f"/responsibility/letter/{letter.pk}/"
    assert letter.title in note.message and "签字" in note.message


def test_a_secretary_who_is_not_the_years_signer_is_not_told(world, actors, signers):
    # 2021 has no 责任分工 yet: branch A's secretary does not sign its 2021 letter.
    letter = services.letter_create(actor=actors.office, branch=world.branch, year=2021)
    services.letter_issue(actor=actors.office, letter=letter)
    assert told("issued") == []
    # The year's signer is whoever 责任分工 names, not the branch's secretary of today.
    f.appoint_signers(world.committee, 2022, first=world.leader, branches={world.branch: world.other_secretary})
    letter = services.letter_create(actor=actors.office, branch=world.branch, year=2022)
    services.letter_issue(actor=actors.office, letter=letter)
    assert told("issued") == ["sec_b"]


def test_signing_tells_the_countersigner_and_countersigning_the_office_and_branch_signer(
    world, actors, issued, second_office
):
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    assert told("signed") == ["leader"]
    issued.refresh_from_db()
    services.letter_countersign(actor=actors.leader, **sign_kwargs(issued))
    assert told("countersigned") == ["office", "office2", "sec_a"]


def test_signing_twice_tells_nobody_twice(actors, issued):
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))
    issued.refresh_from_db()
    services.letter_sign(actor=actors.sec, **sign_kwargs(issued))  # the second returns the first signature
    assert told("signed") == ["leader"]
    assert Notification.objects.filter(recipient__user__username="leader").count() == 1


def test_revoking_an_issued_letter_tells_who_was_to_sign_and_the_office(actors, issued, second_office):
    services.letter_revoke(actor=actors.office, letter=issued, reason="职责表述有误")
    # The office user who revoked it is not told about it; their colleague is.
    assert told("revoked") == ["office2", "sec_a"]
    assert "职责表述有误" in Notification.objects.filter(kind="letter.revoked").first().message


def test_revoking_a_branch_signed_letter_tells_the_signer_and_the_countersigner(actors, signed, second_office):
    services.letter_revoke(actor=actors.office, letter=signed, reason="重新下发")
    assert told("revoked") == ["leader", "office2", "sec_a"]


def test_revoking_a_complete_letter_tells_both_signers_and_the_office(actors, complete, second_office):
    services.letter_revoke(actor=actors.office, letter=complete, reason="重新签订")
    assert told("revoked") == ["leader", "office2", "sec_a"]


def test_revoking_tells_the_person_who_signed_even_after_the_assignment_changed(world, actors, signed):
    from responsibility.models import Assignment

    # 责任分工 now names someone else for branch A: the one who signed is still told,
    # and the newly named signer, who never had the letter to sign, is not.
    newcomer = f.person_with_user(world.committee, "newcomer", role="branch_secretary", branch=world.branch)
    Assignment.objects.filter(kind="branch", branch=world.branch).update(person=newcomer.person)
    services.letter_revoke(actor=actors.office, letter=signed, reason="更正")
    assert told("revoked") == ["leader", "sec_a"]


def test_the_email_goes_out_after_the_commit(world, actors, draft, django_capture_on_commit_callbacks):
    f.give_email(world.branch_secretary)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = services.letter_issue(actor=actors.office, letter=draft)
    assert mail.outbox == []  # the letter is issued; nothing was mailed inside its transaction
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["sec_a@example.invalid"] and letter.title in message.body


def test_a_failing_mail_server_never_fails_the_letter_action(
    world, actors, draft, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    f.give_email(world.branch_secretary)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_issue(actor=actors.office, letter=draft)
    letter.refresh_from_db()
    assert letter.status == "issued"
    [note] = Notification.objects.filter(kind="letter.issued")
    assert note.email == Notification.Email.FAILED and note.read_at is None
    assert "failed" in caplog.text


def test_a_signers_link_opens_the_letter_and_an_outsiders_does_not(world, actors, issued, client_for):
    [note] = Notification.objects.filter(kind="letter.issued")
    response = client_for(world.branch_secretary).get(f"/notifications/{note.pk}/", follow=True)
    assert response.status_code == 200 and issued.title in response.content.decode()
    # The link itself is checked by the letter's own page: another branch's secretary gets 404.
    assert client_for(world.other_secretary).get(note.link).status_code == 404
