import pytest
from django.apps import apps

from django.core.exceptions import ValidationError
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


def test_seed_demo_passes_every_record_rule():
    """The demo shows what the rules allow: every record passes the checks its
    forms, the admin and the ledger import apply (issue 13)."""
    from portal.registry import RECORD_TYPES

    call_command("seed_demo")
    refused = []
    for rt in RECORD_TYPES.values():
        relations = {f.name for f in rt.model._meta.get_fields() if f.is_relation}
        for record in rt.model.objects.all():
            try:
                record.full_clean(exclude=relations, validate_unique=False)
                record.clean_m2m({f.name: list(getattr(record, f.name).all()) for f in rt.model._meta.many_to_many})
            except ValidationError as exc:
                refused.append((rt.key, record.pk, exc.messages))
    assert refused == []
    assert sum(rt.model.objects.count() for rt in RECORD_TYPES.values()) > 100
