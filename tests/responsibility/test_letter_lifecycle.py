"""The letter's lifecycle is one table (responsibility.models.letters.TRANSITIONS):
every service applies it, for every action from every state, and nothing else
decides."""

import pytest

from responsibility import services
from responsibility.models import TRANSITIONS, Action, LetterEvent, ResponsibilityLetter, body_hash
from tests import factories as f
from tests.responsibility.conftest import sign_kwargs

Status = ResponsibilityLetter.Status


def test_the_table_covers_every_action_and_only_known_states():
    assert set(TRANSITIONS) == set(Action)
    for transition in TRANSITIONS.values():
        assert transition.sources <= set(Status) and transition.target in Status


def test_the_table_is_the_designed_lifecycle():
    """draft → issued → signed → complete; revoke; new version; signed offline (DESIGN.md)."""
    path = {action: (sorted(t.sources), t.target) for action, t in TRANSITIONS.items()}
    assert path[Action.ISSUE] == (["draft"], "issued")
    assert path[Action.SIGN] == (["issued"], "signed")
    assert path[Action.COUNTERSIGN] == (["signed"], "complete")
    assert path[Action.REVOKE] == (["complete", "issued", "signed"], "revoked")
    assert path[Action.NEW_VERSION] == (["revoked"], "draft")
    assert path[Action.OFFLINE] == (["draft", "issued"], "complete")
    assert path[Action.EDIT] == path[Action.DELETE] == (["draft"], "draft")


def _apply(action, letter, actors):
    office = actors.office
    if action == Action.EDIT:
        return services.letter_update(actor=office, letter=letter, title="新标题", body="新正文")
    if action == Action.DELETE:
        return services.letter_trash(actor=office, letter=letter)
    if action == Action.ISSUE:
        return services.letter_issue(actor=office, letter=letter)
    if action == Action.SIGN:
        return services.letter_sign(actor=actors.sec, **sign_kwargs(letter))
    if action == Action.COUNTERSIGN:
        return services.letter_countersign(actor=actors.leader, **sign_kwargs(letter))
    if action == Action.OFFLINE:
        return services.letter_record_offline(actor=office, letter=letter, signed_on=f.a_date(), signer="sec_a")
    if action == Action.REVOKE:
        return services.letter_revoke(actor=office, letter=letter, reason="条款调整")
    return services.letter_new_version(actor=office, letter=letter)


def _state(letter):
    row = ResponsibilityLetter.all_objects.get(pk=letter.pk)
    return (row.status, row.title, row.body, row.body_sha256, row.deleted_at, LetterEvent.objects.count(), ResponsibilityLetter.all_objects.count())


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_service_follows_the_table(signers, actors, action, status):
    letter = f.ResponsibilityLetterFactory(committee=signers.committee, branch=signers.branch, body="正文")
    frozen = status != Status.DRAFT
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(status=status, body_sha256=body_hash("正文") if frozen else "")
    letter.refresh_from_db()
    transition = TRANSITIONS[action]
    if status in transition.sources:
        _apply(action, letter, actors)
        after = ResponsibilityLetter.all_objects.get(pk=letter.pk)
        if action == Action.NEW_VERSION:
            assert ResponsibilityLetter.objects.get(replaces=letter).status == transition.target
        elif action == Action.DELETE:
            assert after.deleted_at is not None
        else:
            assert after.status == transition.target
    else:
        before = _state(letter)
        with pytest.raises(services.LetterRefused) as refused:
            _apply(action, letter, actors)
        assert refused.value.message == letter.refusal(action)
        assert _state(letter) == before


@pytest.mark.parametrize("action", [Action.SIGN, Action.COUNTERSIGN, Action.OFFLINE])
def test_actions_on_a_changed_body_are_refused_by_the_table(signers, actors, action):
    status = {Action.SIGN: Status.ISSUED, Action.COUNTERSIGN: Status.SIGNED, Action.OFFLINE: Status.ISSUED}[action]
    letter = f.ResponsibilityLetterFactory(committee=signers.committee, branch=signers.branch, body="被改动的正文")
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(status=status, body_sha256=body_hash("下发时的正文"))
    letter.refresh_from_db()
    assert not letter.allows(action)
    before = _state(letter)
    with pytest.raises(services.LetterRefused) as refused:
        _apply(action, letter, actors)
    assert "不一致" in refused.value.message
    assert _state(letter) == before


def test_a_trashed_letter_takes_no_action(signers, actors, draft):
    services.letter_trash(actor=actors.office, letter=draft)
    with pytest.raises(services.LetterRefused):
        services.letter_issue(actor=actors.office, letter=draft)
    assert ResponsibilityLetter.all_objects.get(pk=draft.pk).status == Status.DRAFT


def test_detail_page_buttons_follow_the_table(signers, client_for, actors, draft):
    from django.urls import reverse

    def buttons(user, letter):
        html = client_for(user).get(reverse("responsibility:letter_detail", args=[letter.pk])).content.decode()
        names = ["issue", "sign", "countersign", "revoke", "new_version", "offline", "update", "delete"]
        return {n for n in names if reverse(f"responsibility:letter_{n}", args=[letter.pk]) in html}

    letter = draft
    assert buttons(signers.office, letter) == {"issue", "offline", "update", "delete"}
    assert buttons(signers.branch_secretary, letter) == set()
    letter = services.letter_issue(actor=actors.office, letter=letter)
    assert buttons(signers.office, letter) == {"revoke", "offline"}
    assert buttons(signers.branch_secretary, letter) == {"sign"}
    assert buttons(signers.leader, letter) == set()
    services.letter_sign(actor=actors.sec, **sign_kwargs(letter))
    assert buttons(signers.leader, letter) == {"countersign"}
    assert buttons(signers.office, letter) == {"revoke"}
    services.letter_revoke(actor=actors.office, letter=letter, reason="调整")
    assert buttons(signers.office, letter) == {"new_version"}
    services.letter_new_version(actor=actors.office, letter=letter)
    assert buttons(signers.office, letter) == set()


def test_portal_history_restore_refuses_a_frozen_letter_whoever_calls_it(signers, actors, draft):
    from portal import history

    services.letter_update(actor=actors.office, letter=draft, title=draft.title, body="第二稿")
    letter = services.letter_issue(actor=actors.office, letter=draft)
    first = letter.history.order_by("history_id").first()
    with pytest.raises(history.RestoreRefused):
        history.record_revert(actor=actors.office, record=letter, history_id=first.history_id)
    letter.refresh_from_db()
    assert (letter.status, letter.body) == (Status.ISSUED, "第二稿")
