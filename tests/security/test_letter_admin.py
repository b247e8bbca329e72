"""Issue 11 #1: no admin path changes a letter, its signatures or its events, and the
admin cannot appoint its user as a letter signer.

Letters are written only through the letter services (the portal's pages and
the ledger import); the admin only shows them."""

import pytest
from django.urls import reverse

from portal.access import actor_for
from responsibility import services
from responsibility.models import Assignment, LetterDocument, LetterEvent, LetterSignature, ResponsibilityLetter
from tests import factories as f
from tests.responsibility.conftest import sign_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root(world, client_for):
    user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    f.PersonFactory(committee=world.committee, name="管理员", role="office", user=user, branch=world.branch)
    return client_for(user)


@pytest.fixture
def complete(signers):
    world = signers
    office = actor_for(world.office)
    letter = services.letter_create(actor=office, branch=world.branch, year=2020)
    services.letter_update(actor=office, letter=letter, title=letter.title, body="第二稿正文")
    letter = services.letter_issue(actor=office, letter=letter)
    services.letter_sign(actor=actor_for(world.branch_secretary), **sign_kwargs(letter))
    letter.refresh_from_db()
    services.letter_countersign(actor=actor_for(world.leader), **sign_kwargs(letter))
    letter.refresh_from_db()
    return letter


def admin_url(model, action, *args):
    return reverse(f"admin:responsibility_{model}_{action}", args=args)


def letter_form(letter, **changes):
    data = {
        "committee": letter.committee_id,
        "branch": letter.branch_id,
        "year": letter.year,
        "version": letter.version,
        "title": letter.title,
        "body": letter.body,
        "offline_signed_on": "",
        "offline_signer": "",
    }
    data.update(changes)
    return data


def snapshot(letter):
    row = ResponsibilityLetter.all_objects.get(pk=letter.pk)
    documents = tuple(LetterDocument.objects.values_list("pk", "state", "file", "issued_id"))
    return (row.status, row.title, row.body, row.body_sha256, row.deleted_at, LetterEvent.objects.count(), LetterSignature.objects.count(), documents)


def test_history_revert_of_a_signed_letter_is_refused(root, complete):
    before = snapshot(complete)
    for version in complete.history.order_by("history_id"):
        url = admin_url("responsibilityletter", "simple_history", complete.pk, version.history_id)
        assert root.post(url, letter_form(complete, body="本支部不承担任何意识形态工作责任。")).status_code == 403
    assert snapshot(complete) == before


def test_history_revert_of_a_draft_is_refused_too(root, world):
    draft = services.letter_create(actor=actor_for(world.office), branch=world.branch, year=2020)
    first = draft.history.order_by("history_id").first()
    url = admin_url("responsibilityletter", "simple_history", draft.pk, first.history_id)
    assert root.get(url).status_code == 200  # the old version may be looked at
    assert root.post(url, letter_form(draft, body="改过")).status_code == 403
    draft.refresh_from_db()
    assert draft.body != "改过"


def test_change_add_and_delete_are_refused(root, complete, world):
    before = snapshot(complete)
    change = admin_url("responsibilityletter", "change", complete.pk)
    assert root.get(change).status_code == 200  # read-only view
    assert root.post(change, letter_form(complete, body="改过")).status_code == 403
    assert root.post(admin_url("responsibilityletter", "delete", complete.pk), {"post": "yes"}).status_code == 403
    assert root.get(admin_url("responsibilityletter", "add")).status_code == 403
    assert root.post(admin_url("responsibilityletter", "add"), letter_form(complete, year=2021)).status_code == 403
    assert snapshot(complete) == before


def test_no_bulk_action_reaches_a_letter(root, complete):
    before = snapshot(complete)
    changelist = admin_url("responsibilityletter", "changelist")
    assert "delete_selected" not in root.get(changelist).content.decode()
    root.post(changelist, {"action": "delete_selected", "_selected_action": [complete.pk], "post": "yes"})
    assert snapshot(complete) == before


@pytest.mark.parametrize("model", ["lettersignature", "letterevent", "letterdocument"])
def test_signatures_events_and_sealed_pdfs_are_read_only(root, complete, model):
    services.letter_document(actor=actor_for(complete.created_by), letter=complete)  # the sealed PDF
    before = snapshot(complete)
    row = {"lettersignature": LetterSignature, "letterevent": LetterEvent, "letterdocument": LetterDocument}.get(model)
    pk = row.objects.filter(letter=complete).first().pk if row else None
    if pk:
        assert root.post(admin_url(model, "change", pk), {"body_sha256": "0" * 64, "detail": "x"}).status_code == 403
        assert root.post(admin_url(model, "delete", pk), {"post": "yes"}).status_code == 403
        changelist = root.get(admin_url(model, "changelist")).content.decode()
        assert "delete_selected" not in changelist
    assert root.get(admin_url(model, "add")).status_code == 403
    assert snapshot(complete) == before


def test_admin_cannot_appoint_its_own_user_as_a_signer(root, world):
    me = f.UserFactory._meta.model.objects.get(username="root").person
    data = {"committee": world.committee.pk, "year": 2020, "person": me.pk, "kind": "first", "branch": "", "scope": ""}
    response = root.post(admin_url("assignment", "add"), data)
    assert response.status_code == 200 and "不能任命自己为责任书签字人" in response.content.decode()
    assert not Assignment.objects.exists()
    data.update(person=world.leader.person.pk)
    assert root.post(admin_url("assignment", "add"), data).status_code == 302
    row = Assignment.objects.get()
    response = root.post(admin_url("assignment", "change", row.pk), {**data, "person": me.pk})
    assert "不能任命自己" in response.content.decode()
    row.refresh_from_db()
    assert row.person == world.leader.person


def test_admin_history_revert_cannot_appoint_its_own_user(root, world, client_for):
    me = f.UserFactory._meta.model.objects.get(username="root").person
    row = f.AssignmentFactory(committee=world.committee, year=2020, person=me, kind="first")
    client_for(world.office).post(
        reverse("responsibility:assignment_update", args=[row.pk]), {"year": 2020, "person": world.leader.person.pk, "kind": "first"}
    )
    row.refresh_from_db()
    assert row.person == world.leader.person
    first = row.history.order_by("history_id").first()
    data = {"committee": world.committee.pk, "year": 2020, "person": me.pk, "kind": "first", "branch": "", "scope": ""}
    response = root.post(admin_url("assignment", "simple_history", row.pk, first.history_id), data)
    assert "不能任命自己" in response.content.decode()
    row.refresh_from_db()
    assert row.person == world.leader.person
