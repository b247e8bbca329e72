"""Issue 11 #3: one office user cannot complete a letter alone.

Who signs a year's letters is the year's 责任分工 (第一责任人 countersigns, the
支部书记 of a branch signs for it); today's Person.is_secretary and
Branch.secretary grant nothing. A row naming a signer is never written by that
signer, whatever the path, and one person never signs both sides."""

import pytest
from django.urls import reverse

from portal.access import actor_for
from portal.models import Branch, Person
from responsibility import selectors, services
from responsibility.models import Assignment, LetterSignature, ResponsibilityLetter
from tests import factories as f
from tests.responsibility.conftest import sign_kwargs

Status = ResponsibilityLetter.Status


def url(name, *args):
    return reverse(f"responsibility:{name}", args=args)


def sign_post(letter):
    from tests.responsibility.test_letter_views import sign_post as post

    return post(letter)


# -- the attack of the issue, through the pages ------------------------------------------


def test_ticking_is_secretary_on_ones_own_person_grants_no_countersignature(world, client_for, signers, signed):
    office = client_for(world.office)
    me = world.office.person
    response = office.post(
        reverse("portal:person_update", args=[me.pk]),
        {"name": me.name, "branch": world.branch.pk, "is_party_member": "on", "is_secretary": "on", "role": "office"},
    )
    assert response.status_code == 302 and Person.objects.get(pk=me.pk).is_secretary
    assert office.get(url("letter_countersign", signed.pk)).status_code == 403
    assert office.post(url("letter_countersign", signed.pk), sign_post(signed)).status_code == 403
    with pytest.raises(services.LetterRefused):
        services.letter_countersign(actor=actor_for(world.office), **sign_kwargs(signed))
    signed.refresh_from_db()
    assert signed.status == Status.SIGNED and signed.signatures.count() == 1
    assert url("letter_countersign", signed.pk) not in office.get("/?year=2020").content.decode()


def test_making_oneself_a_branch_secretary_grants_no_signature(world, client_for, signers, actors):
    office = client_for(world.office)
    branch = world.other_branch
    response = office.post(reverse("portal:branch_update", args=[branch.pk]), {"name": branch.name, "secretary": world.office.person.pk})
    assert response.status_code == 302 and Branch.objects.get(pk=branch.pk).secretary == world.office.person
    letter = services.letter_create(actor=actors.office, branch=branch, year=2020)
    letter = services.letter_issue(actor=actors.office, letter=letter)
    assert office.post(url("letter_sign", letter.pk), sign_post(letter)).status_code == 403
    with pytest.raises(services.LetterRefused):
        services.letter_sign(actor=actor_for(world.office), **sign_kwargs(letter))
    assert LetterSignature.objects.filter(letter=letter).count() == 0


@pytest.mark.parametrize("kind", ["first", "branch"])
def test_appointing_oneself_in_the_assignment_form_is_a_form_error(world, client_for, kind):
    data = {"year": 2020, "person": world.office.person.pk, "kind": kind, "branch": world.branch.pk if kind == "branch" else ""}
    response = client_for(world.office).post(url("assignment_create"), data)
    assert response.status_code == 200 and "不能任命自己为责任书签字人" in response.content.decode()
    assert not Assignment.objects.exists()


def test_editing_someone_elses_row_to_name_oneself_is_refused(world, client_for):
    row = f.AssignmentFactory(committee=world.committee, year=2020, person=world.leader.person, kind="first")
    data = {"year": 2020, "person": world.office.person.pk, "kind": "first", "branch": ""}
    response = client_for(world.office).post(url("assignment_update", row.pk), data)
    assert response.status_code == 200 and "不能任命自己" in response.content.decode()
    row.refresh_from_db()
    assert row.person == world.leader.person


def test_another_office_user_appoints_and_it_is_logged(world, client_for):
    data = {"year": 2021, "person": world.leader.person.pk, "kind": "first", "branch": "", "scope": "全局"}
    assert client_for(world.office).post(url("assignment_create"), data).status_code == 302
    row = Assignment.objects.get(year=2021)
    latest = row.history.latest("history_date")
    assert latest.history_user == world.office and "任命责任书签字人" in latest.history_change_reason
    assert list(Assignment.objects.signing().filter(year=2021).values_list("person", flat=True)) == [world.leader.person.pk]


def test_a_branch_secretary_row_needs_its_branch(world, client_for):
    data = {"year": 2021, "person": world.branch_secretary.person.pk, "kind": "branch", "branch": ""}
    response = client_for(world.office).post(url("assignment_create"), data)
    assert response.status_code == 200 and "支部书记须选择所在支部" in response.content.decode()
    data.update(kind="dual", branch=world.branch.pk)
    response = client_for(world.office).post(url("assignment_create"), data)
    assert "只有“支部书记”需要选择支部" in response.content.decode()
    assert not Assignment.objects.exists()


def test_self_appointment_through_history_restore_is_refused(world, client_for):
    """A row that once named the office user (written by someone else), later changed,
    cannot be restored to that version by the office user."""
    other = f.person_with_user(world.committee, "office2", role="office", branch=world.branch)
    row = f.AssignmentFactory(committee=world.committee, year=2020, person=world.office.person, kind="first")
    client_for(other).post(url("assignment_update", row.pk), {"year": 2020, "person": world.leader.person.pk, "kind": "first", "branch": ""})
    row.refresh_from_db()
    assert row.person == world.leader.person
    first = row.history.order_by("history_id").first()
    response = client_for(world.office).post(url("assignment_history_restore", row.pk, first.history_id), follow=True)
    assert "不能由本人恢复任命自己为签字人" in response.content.decode()
    row.refresh_from_db()
    assert row.person == world.leader.person


def test_self_appointment_through_trash_restore_is_refused(world, client_for):
    row = f.AssignmentFactory(committee=world.committee, year=2020, person=world.office.person, kind="first")
    client_for(world.office).post(url("assignment_delete", row.pk))
    response = client_for(world.office).post(reverse("trash_restore", args=["responsibility.assignment", row.pk]), follow=True)
    assert "不能由本人恢复任命自己为签字人" in response.content.decode()
    assert Assignment.all_objects.get(pk=row.pk).deleted_at is not None


def test_a_row_last_written_by_its_signer_grants_nothing(world, signers):
    """Whatever path wrote it (admin, import, shell): the log says who, and that decides."""
    row = Assignment.objects.get(year=2020, kind="first")
    row.scope = "本人修改"
    row._history_user = world.leader
    row.save()
    letter = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch)
    assert world.leader.person.pk not in letter.committee_signer_ids
    row._history_user = world.office
    row.save()
    del letter.committee_signer_ids
    assert world.leader.person.pk in letter.committee_signer_ids


def test_signers_are_the_years_not_todays(world, signers, actors):
    """2021 has no 责任分工 yet: nobody signs its letters, whatever today's flags say."""
    letter = services.letter_issue(actor=actors.office, letter=services.letter_create(actor=actors.office, branch=world.branch, year=2021))
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_sign(actor=actors.sec, **sign_kwargs(letter))
    assert "2021年度责任分工" in refused.value.message
    assert selectors.letters_to_sign(actors.sec) == []


def test_a_secretary_who_moved_branch_still_signs_the_year_they_held(world, client_for, signers, actors):
    """The 2020 secretary of branch A now leads branch B: the 2020 letter of A is still theirs."""
    world.branch.secretary = None
    world.branch.save()
    world.branch_secretary.person.branch = world.other_branch
    world.branch_secretary.person.save()
    world.other_branch.secretary = world.branch_secretary.person
    world.other_branch.save()
    letter = services.letter_issue(actor=actors.office, letter=services.letter_create(actor=actors.office, branch=world.branch, year=2020))
    c = client_for(world.branch_secretary)
    assert url("letter_sign", letter.pk) in c.get("/?year=2020").content.decode()
    response = c.post(url("letter_sign", letter.pk), sign_post(letter), follow=True)
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.status == Status.SIGNED


# -- one person never signs both sides ---------------------------------------------------


def test_one_person_holding_both_roles_signs_one_side_only(world, client_for, actors):
    f.appoint_signers(world.committee, 2020, first=world.leader, branches={world.branch: world.leader})
    letter = services.letter_issue(actor=actors.office, letter=services.letter_create(actor=actors.office, branch=world.branch, year=2020))
    services.letter_sign(actor=actors.leader, **sign_kwargs(letter))
    letter.refresh_from_db()
    assert letter.status == Status.SIGNED
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_countersign(actor=actors.leader, **sign_kwargs(letter))
    assert "同一人不能同时代表支部和党委签署" in refused.value.message
    response = client_for(world.leader).post(url("letter_countersign", letter.pk), sign_post(letter), follow=True)
    assert "同一人不能同时代表支部和党委签署" in response.content.decode()
    assert url("letter_countersign", letter.pk) not in client_for(world.leader).get("/?year=2020").content.decode()
    letter.refresh_from_db()
    assert letter.status == Status.SIGNED and letter.signatures.count() == 1


def test_the_demo_signers_come_from_its_2020_assignments(db):
    from django.core.management import call_command

    call_command("seed_demo")
    rows = Assignment.objects.signing().filter(year=2020).select_related("person__user", "branch")
    assert sorted((r.kind, r.person.user.username, r.branch.name if r.branch else "") for r in rows) == [
        ("branch", "branch1", "机关第一党支部"),
        ("branch", "branch2", "机关第二党支部"),
        ("branch", "branch3", "基层测站党支部"),
        ("first", "leader", ""),
    ]
    for letter in ResponsibilityLetter.objects.filter(committee__slug="demo", year=2020):  # signed online
        branch_signer = letter.signatures.get(role="branch").signer.person
        assert branch_signer.pk in letter.branch_signer_ids and letter.body_intact
        assert letter.signatures.get(role="committee").signer.person.pk in letter.committee_signer_ids


def test_appointing_oneself_through_a_ledger_import_is_refused(world, actors):
    """A 责任分工 row naming the importing user as a letter signer is an import
    error at 姓名, in the dry run and for real; nothing is written."""
    from portal.ledger.importer import ledger_import
    from tests.ledger.helpers import xlsx

    sheet = {"责任分工": [["年度", "姓名", "责任角色", "分管范围"], [2020, world.office.person.name, "第一责任人", "全局"]]}
    for dry_run in (True, False):
        result = ledger_import(committee_slug=world.committee.slug, file=xlsx(sheet), dry_run=dry_run, actor_user=world.office)
        assert not result.applied
        assert [(e.sheet, e.row, e.column) for e in result.errors] == [("责任分工", 2, "姓名")]
        assert "不能任命自己" in result.errors[0].reason
    assert not Assignment.objects.filter(person=world.office.person, kind="first").exists()
    letter = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch)
    assert world.office.person.pk not in letter.committee_signer_ids
    # Another office user may import the same row: an appointment by someone else.
    other = f.UserFactory()
    f.PersonFactory(committee=world.committee, user=other, role="office", name="办公室乙")
    result = ledger_import(committee_slug=world.committee.slug, file=xlsx(sheet), dry_run=False, actor_user=other)
    assert result.applied
    assert world.office.person.pk in f.ResponsibilityLetterFactory(committee=world.committee, branch=world.other_branch).committee_signer_ids


def test_the_letter_page_says_when_the_year_names_no_signer(world, client_for, signers, actors):
    letter = services.letter_issue(actor=actors.office, letter=services.letter_create(actor=actors.office, branch=world.branch, year=2021))
    html = client_for(world.office).get(url("letter_detail", letter.pk)).content.decode()
    assert 'id="letter-no-signer"' in html and "2021年度“责任分工”尚未指定本支部的支部书记" in html
    f.appoint_signers(world.committee, 2021, first=world.leader, branches={world.branch: world.branch_secretary})
    assert 'id="letter-no-signer"' not in client_for(world.office).get(url("letter_detail", letter.pk)).content.decode()
