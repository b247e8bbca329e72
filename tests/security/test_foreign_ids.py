"""Forms posted with ids that are not the user's to use.

Every record type's edit form, posted by the office with one object field set
to an object of another committee (a person, a branch, a channel...), and by
a branch secretary with the other branch, is refused with a form error or
403/404, and nothing is written. The same form posted as it stands is saved
(the control: the refusal is the foreign id, not a bad form). History and
trash restores cannot bring another committee's row into view.
"""

from __future__ import annotations

import pytest
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.urls import reverse

from tests.security.test_admin_matrix import changed, snapshot
from tests.security.test_permission_matrix import RECORDS, form_data, seed_markers

pytestmark = pytest.mark.django_db


def foreign_object(model, world):
    """A row of ``model`` that belongs to the other committee (or is that committee)."""
    from portal.models import Committee

    if model is Committee:
        return world.other_committee
    qs = model._base_manager.all()
    if any(f.name == "committee" for f in model._meta.fields):
        qs = qs.filter(committee=world.other_committee)
    return qs.order_by("pk").first()


def object_fields(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: field for name, field in form.fields.items() if isinstance(field, ModelChoiceField)}


@pytest.fixture
def seeded(world):
    return seed_markers(world)


def own_object(seeded, prefix, world):
    return next(o for o in seeded.objects[prefix] if o.committee_id == world.committee.pk)


@pytest.mark.parametrize("prefix", [p for p in RECORDS if p != "responsibility:letter"])
def test_an_object_of_another_committee_in_any_field_is_refused(world, client_for, seeded, prefix):
    office = client_for(world.office)
    obj = own_object(seeded, prefix, world)
    url = reverse(f"{prefix}_update", args=[obj.pk])
    fields = object_fields(office, url)
    for name, field in fields.items():
        other = foreign_object(field.queryset.model, world)
        assert other is not None, f"{prefix}.{name}: seed a row of {field.queryset.model} in the other committee"
        value = [str(other.pk)] if isinstance(field, ModelMultipleChoiceField) else str(other.pk)
        before = snapshot()
        response = office.post(url, form_data(office, url, **{name: value}))
        assert response.status_code in (200, 403, 404), f"{prefix}.{name}: {response.status_code}"
        if response.status_code == 200:
            assert response.context["form"].errors, f"{prefix}.{name}: no form error"
        assert not changed(before, snapshot()), f"{prefix}.{name}: written"
    # The control: the same form as it stands is accepted.
    assert office.post(url, form_data(office, url)).status_code == 302, f"{prefix}: the unchanged form is refused"


@pytest.mark.parametrize("prefix", ["study:session", "responsibility:analysis"])
def test_a_branch_secretary_cannot_post_the_other_branch(world, client_for, seeded, prefix):
    secretary = client_for(world.branch_secretary)
    obj = next(o for o in seeded.objects[prefix] if o.branch_id == world.branch.pk)
    url = reverse(f"{prefix}_update", args=[obj.pk])
    before = snapshot()
    response = secretary.post(url, form_data(secretary, url, branch=str(world.other_branch.pk)))
    assert response.status_code in (200, 403)
    assert not changed(before, snapshot())
    create = reverse(f"{prefix}_create")
    response = secretary.post(create, form_data(secretary, url, branch=str(world.other_branch.pk)))
    assert response.status_code in (200, 403)
    assert not changed(before, snapshot())
    assert secretary.post(url, form_data(secretary, url)).status_code == 302  # the control


def test_history_restore_never_crosses_committees(world, client_for, seeded):
    """Another committee's version through one's own record, or one's own through theirs: 404."""
    office = client_for(world.office)
    mine = own_object(seeded, "publicity:article", world)
    theirs = foreign_object(type(mine), world)
    their_version = theirs.history.order_by("history_id").first().history_id
    my_version = mine.history.order_by("history_id").first().history_id
    before = snapshot()
    for pk, history_id in ((mine.pk, their_version), (theirs.pk, their_version), (theirs.pk, my_version)):
        url = reverse("publicity:article_history_restore", args=[pk, history_id])
        assert office.post(url).status_code == 404
    their_committee = world.other_committee.history.order_by("history_id").first().history_id
    assert office.post(reverse("committee_history_restore", args=[world.committee.pk, their_committee])).status_code == 404
    assert office.post(reverse("committee_history_restore", args=[world.other_committee.pk, their_committee])).status_code == 404
    assert not changed(before, snapshot())


def test_trash_restore_never_crosses_committees(world, client_for, seeded):
    office = client_for(world.office)
    before = snapshot()
    for trashed in seeded.trashed:
        if trashed.committee_id == world.other_committee.pk:
            url = reverse("trash_restore", args=[trashed._meta.label_lower, trashed.pk])
            assert office.post(url).status_code == 404
    assert not changed(before, snapshot())


def test_the_rules_refuse_another_committees_or_branchs_object_by_themselves(world, seeded):
    """The rules do not lean on scoping: asked directly (a service, a task, a view that
    forgot to scope), they refuse an object of another committee or another branch."""
    from portal.access import actor_for
    from portal.registry import record_type_for
    from portal.rules import allowed

    office, secretary = actor_for(world.office), actor_for(world.branch_secretary)
    for prefix, objects in seeded.objects.items():
        for obj in objects:
            record_type = record_type_for(type(obj))
            theirs = obj.committee_id == world.other_committee.pk
            for action in ("change", "delete", "history"):
                rule = record_type.rule(action)
                if theirs:
                    assert not allowed(office, rule, obj), f"{rule} allows the office another committee's row"
                if getattr(obj, "branch_id", None) == world.other_branch.pk:
                    assert not allowed(secretary, rule, obj), f"{rule} allows a secretary the other branch's row"
            if getattr(obj, "branch_id", None) == world.other_branch.pk and prefix == "responsibility:task":
                assert not allowed(secretary, "responsibility.tick_off", obj)
    # The control: the same rules allow the office its own committee's rows.
    own = next(o for o in seeded.objects["publicity:article"] if o.committee_id == world.committee.pk)
    assert allowed(office, record_type_for(type(own)).rule("change"), own)
    own_session = next(o for o in seeded.objects["study:session"] if o.branch_id == world.branch.pk)
    assert allowed(secretary, record_type_for(type(own_session)).rule("change"), own_session)
