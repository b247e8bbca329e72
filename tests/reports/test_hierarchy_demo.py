"""The demo's superior committee and sibling bureaus (reports/hierarchy_demo.py)."""

import pytest
from django.core.management import call_command

from portal.access import actor_for, viewable_committees
from portal.models import Branch, Committee, Person, Role
from responsibility.models import Talk
from study.models import StudySession

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_tree_with_its_logins(capsys):
    call_command("seed_demo", password="tree-pass")
    out = capsys.readouterr().out
    province = Committee.objects.get(slug="province")
    assert province.name == "××省水文水资源勘测中心党委" and province.parent is None
    children = {c.slug for c in province.children.all()}
    assert children == {"demo", "city-b", "city-c"}
    for login, slug, role in (("province", "province", Role.OFFICE), ("assessor", "province", Role.ASSESSOR),
                              ("b-office", "city-b", Role.OFFICE), ("c-office", "city-c", Role.OFFICE)):
        person = Person.objects.get(user__username=login)
        assert (person.committee.slug, person.role) == (slug, role)
        assert person.user.check_password("tree-pass")
        assert f"  {login}" in out
    for slug in ("city-b", "city-c"):
        bureau = Committee.objects.get(slug=slug)
        assert Branch.objects.filter(committee=bureau).count() >= 2 and Person.objects.filter(committee=bureau).count() > 5
        assert Talk.objects.filter(committee=bureau, date__year=2020).exists()
        assert StudySession.objects.filter(committee=bureau, date__year=2020).exists()
    # The province reads its three bureaus; a bureau reads only itself.
    assert {c.slug for c in viewable_committees(actor_for(Person.objects.get(user__username="province").user))} == {
        "province", "demo", "city-b", "city-c"}
    assert [c.slug for c in viewable_committees(actor_for(Person.objects.get(user__username="b-office").user))] == [
        "city-b"]
