import pytest
from django.apps import apps

from django.core.management import call_command

pytestmark = pytest.mark.django_db


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first


def test_seed_demo_accounts(settings):
    call_command("seed_demo", password="another-pass")
    from portal.models import Committee, Person

    committee = Committee.objects.get(slug="demo")
    assert committee.short_name == "局党委"
    for login in ["office", "leader", "branch1", "branch2", "branch3"]:
        person = Person.objects.get(user__username=login)
        assert person.committee == committee
    assert Person.objects.get(user__username="leader").is_secretary
    assert Person.objects.filter(committee=committee, is_committee_member=True).count() >= 3
