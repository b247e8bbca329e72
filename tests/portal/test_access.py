import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.access import NoCommittee, actor_for, get_readable, scope
from portal.models import Person
from portal.rules import allowed, require
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_actor_of_each_role(world):
    assert actor_for(world.office).is_office
    assert actor_for(world.leader).is_leader and actor_for(world.leader).is_committee_secretary
    sec = actor_for(world.branch_secretary)
    assert sec.is_branch_secretary and sec.branch == world.branch
    assert actor_for(world.outsider).committee == world.other_committee


def test_user_without_person_has_no_committee(world):
    with pytest.raises(NoCommittee):
        actor_for(world.no_person)


def test_scope_hides_other_committee(world):
    f.PersonFactory(committee=world.other_committee, name="外人", branch=world.other_committee_branch)
    names = set(scope(actor_for(world.office), Person.objects.all()).values_list("name", flat=True))
    assert "外人" not in names
    assert {"office", "leader", "sec_a", "sec_b"} <= names


def test_branch_secretary_sees_own_branch_and_committee_level(world):
    f.PersonFactory(committee=world.committee, name="无支部", branch=None)
    names = set(scope(actor_for(world.branch_secretary), Person.objects.all()).values_list("name", flat=True))
    assert "sec_a" in names and "无支部" in names
    assert "sec_b" not in names


def test_get_readable_answers_404_outside_scope(world):
    other = f.PersonFactory(committee=world.other_committee, branch=world.other_committee_branch)
    with pytest.raises(Http404):
        get_readable(actor_for(world.office), Person.objects.all(), other.pk)
    with pytest.raises(Http404):
        get_readable(actor_for(world.office), Person.objects.all(), "not-a-number")


def test_branch_secretary_writes_only_own_branch(world):
    sec = actor_for(world.branch_secretary)
    own = f.TrendAnalysisFactory(committee=world.committee, branch=world.branch)
    other = f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch)
    assert allowed(sec, "responsibility.analysis.add")
    assert allowed(sec, "responsibility.analysis.change", own)
    assert not allowed(sec, "responsibility.analysis.change", other)
    assert not allowed(sec, "responsibility.task.change", f.MonthlyTaskFactory(committee=world.committee, branch=world.branch))
    with pytest.raises(PermissionDenied):
        require(sec, "responsibility.analysis.delete", other)


def test_a_misspelt_rule_is_an_error_not_a_refusal(world):
    with pytest.raises(KeyError):
        allowed(actor_for(world.office), "responsibility.analyses.add")
