"""Issue 11 #7: one live letter per branch and year, whatever the path: a database
constraint, and a Chinese refusal on every path that could make a second one."""

from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from responsibility import services
from responsibility.models import ResponsibilityLetter
from tests import factories as f

Status = ResponsibilityLetter.Status


def test_trash_create_restore_issue_both_is_refused_at_restore(world, client_for, actors, draft):
    """The reproduction of the issue, through the pages."""
    c = client_for(world.office)
    c.post(reverse("responsibility:letter_delete", args=[draft.pk]))
    response = c.post(reverse("responsibility:letter_create"), {"branch": world.branch.pk, "year": 2020})
    second = ResponsibilityLetter.objects.get(branch=world.branch, year=2020)
    assert response.status_code == 302 and second.pk != draft.pk
    response = c.post(reverse("trash_restore", args=["responsibility.responsibilityletter", draft.pk]), follow=True)
    assert "该支部本年度已有有效的责任书" in response.content.decode()
    assert ResponsibilityLetter.all_objects.get(pk=draft.pk).deleted_at is not None
    assert ResponsibilityLetter.objects.filter(branch=world.branch, year=2020).count() == 1


def test_the_database_refuses_a_second_live_letter(world, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020)
    # Revoked and trashed letters do not count; another branch or year is another letter.
    f.ResponsibilityLetterFactory(committee=world.committee, branch=world.other_branch, year=2020)
    f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2021)
    ResponsibilityLetter.objects.filter(pk=draft.pk).update(status=Status.REVOKED)
    f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020)


def test_a_direct_edit_cannot_revive_a_revoked_letter_beside_its_successor(world, actors, issued):
    services.letter_revoke(actor=actors.office, letter=issued, reason="条款调整")
    services.letter_new_version(actor=actors.office, letter=issued)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityLetter.objects.filter(pk=issued.pk).update(status=Status.ISSUED)


def test_create_refuses_a_second_live_letter_even_in_a_race(world, actors, draft):
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_create(actor=actors.office, branch=world.branch, year=2020)
    assert "已有有效的责任书" in refused.value.message
    # Two offices clicking at once both pass the check; the database decides.
    with mock.patch.object(services, "_live_letter_exists", return_value=False):
        with pytest.raises(services.LetterRefused) as refused:
            services.letter_create(actor=actors.office, branch=world.branch, year=2020)
    assert "已有有效的责任书" in refused.value.message
    assert ResponsibilityLetter.objects.filter(branch=world.branch, year=2020).count() == 1


def test_new_version_refused_when_a_live_letter_exists(world, actors, issued):
    services.letter_revoke(actor=actors.office, letter=issued, reason="条款调整")
    fresh = services.letter_create(actor=actors.office, branch=world.branch, year=2020)
    assert fresh.version == 2  # numbered after the revoked one
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_new_version(actor=actors.office, letter=issued)
    assert "已有有效的责任书" in refused.value.message
    with mock.patch.object(services, "_live_letter_exists", return_value=False):
        with pytest.raises(services.LetterRefused):
            services.letter_new_version(actor=actors.office, letter=issued)
    assert ResponsibilityLetter.objects.filter(branch=world.branch, year=2020).exclude(status=Status.REVOKED).count() == 1


def test_an_import_row_cannot_add_a_second_live_letter(world, actors, draft):
    row = services.LetterRow(year=2020, branch=world.branch, title="另一份", status=services.LETTER_AWAITING)
    with pytest.raises(services.LetterRefused):
        services.letter_row_apply(actor=actors.office, letter=None, row=row)
    assert ResponsibilityLetter.objects.filter(branch=world.branch, year=2020).count() == 1


def test_the_migration_settles_existing_duplicates_before_adding_the_rule(world, actors, draft):
    """A database from before the rule may hold two live letters for a branch and year."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from responsibility.models import LetterEvent

    if connection.vendor != "postgresql":
        pytest.skip("changes the schema inside the test's transaction (PostgreSQL)")
    migration = importlib.import_module("responsibility.migrations.0006_one_live_letter_per_branch_year")
    constraint = next(c for c in ResponsibilityLetter._meta.constraints if c.name == "uniq_live_letter")
    with connection.schema_editor() as editor:
        editor.remove_constraint(ResponsibilityLetter, constraint)
    issued = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, body="正文")
    ResponsibilityLetter.objects.filter(pk=issued.pk).update(status=Status.ISSUED)
    signed = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, body="正文")
    ResponsibilityLetter.objects.filter(pk=signed.pk).update(status=Status.SIGNED)
    extra_draft = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch)
    with connection.schema_editor() as editor:
        migration.settle_duplicates(apps, editor)
        editor.add_constraint(ResponsibilityLetter, constraint)
    live = ResponsibilityLetter.objects.filter(branch=world.branch, year=2020).exclude(status=Status.REVOKED)
    assert list(live) == [signed]  # the most advanced one stays
    assert ResponsibilityLetter.all_objects.get(pk=draft.pk).deleted_at is not None
    assert ResponsibilityLetter.all_objects.get(pk=extra_draft.pk).deleted_at is not None
    issued.refresh_from_db()
    assert issued.status == Status.REVOKED and "系统升级" in issued.revoke_reason  # kept on record
    assert LetterEvent.objects.get(kind="revoked").letter_id == issued.pk
