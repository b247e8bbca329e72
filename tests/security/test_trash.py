"""The trash: the office lists and restores deleted records; only an administrator purges."""

import pytest
from django.urls import reverse

from portal.models import Department, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def trashed(world, client_for):
    c = client_for(world.office)
    dept = f.DepartmentFactory(committee=world.committee, name="水情科", branch=world.branch)
    person = f.PersonFactory(committee=world.committee, name="待删同志", branch=world.other_branch)
    c.post(reverse("portal:department_delete", args=[dept.pk]))
    c.post(reverse("portal:person_delete", args=[person.pk]))
    foreign = f.DepartmentFactory(committee=world.other_committee, name="乙局科室", branch=world.other_committee_branch)
    client_for(world.outsider).post(reverse("portal:department_delete", args=[foreign.pk]))
    return dept, person, foreign


def test_office_lists_trash_of_every_type_of_its_committee(world, client_for, trashed):
    body = client_for(world.office).get(reverse("trash")).content.decode()
    assert "水情科" in body and "待删同志" in body
    assert "乙局科室" not in body
    assert "/purge/" not in body  # only an administrator purges
    assert "回收站" in client_for(world.office).get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("who", ["leader", "branch_secretary", "other_secretary"])
def test_trash_is_office_only(world, client_for, trashed, who):
    dept = trashed[0]
    c = client_for(getattr(world, who))
    assert c.get(reverse("trash")).status_code == 403
    assert c.post(reverse("trash_restore", args=["portal.department", dept.pk])).status_code == 403
    assert c.post(reverse("trash_purge", args=["portal.department", dept.pk])).status_code == 403
    assert Department.all_objects.get(pk=dept.pk).deleted_at is not None


def test_restore_brings_the_record_back(world, client_for, trashed):
    dept = trashed[0]
    c = client_for(world.office)
    response = c.post(reverse("trash_restore", args=["portal.department", dept.pk]), follow=True)
    assert "已恢复" in response.content.decode()
    assert Department.objects.filter(pk=dept.pk).exists()
    assert "从回收站恢复" in Department.objects.get(pk=dept.pk).history.latest("history_date").history_change_reason


def test_restore_refuses_when_a_live_record_has_the_same_name(world, client_for, trashed):
    dept = trashed[0]
    f.DepartmentFactory(committee=world.committee, name="水情科", branch=world.branch)
    response = client_for(world.office).post(reverse("trash_restore", args=["portal.department", dept.pk]), follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "无法恢复“水情科”：已有相同的有效记录" in body
    assert Department.all_objects.get(pk=dept.pk).deleted_at is not None


def test_other_committee_and_live_records_are_404(world, client_for, trashed):
    dept, person, foreign = trashed
    c = client_for(world.office)
    assert c.post(reverse("trash_restore", args=["portal.department", foreign.pk])).status_code == 404
    live = f.DepartmentFactory(committee=world.committee, branch=world.branch)
    assert c.post(reverse("trash_restore", args=["portal.department", live.pk])).status_code == 404
    assert c.post(reverse("trash_restore", args=["auth.user", world.office.pk])).status_code == 404
    assert c.post(reverse("trash_restore", args=["nonsense", 1])).status_code == 404
    assert client_for(world.outsider).post(reverse("trash_restore", args=["portal.department", dept.pk])).status_code == 404


def test_restore_needs_post(world, client_for, trashed):
    assert client_for(world.office).get(reverse("trash_restore", args=["portal.department", trashed[0].pk])).status_code == 405


def test_superuser_purges(world, client_for, trashed):
    dept, person, _ = trashed
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    f.PersonFactory(committee=world.committee, name="管理员", role="office", user=admin, branch=world.branch)
    c = client_for(admin)
    assert "/purge/" in c.get(reverse("trash")).content.decode()
    c.post(reverse("trash_purge", args=["portal.person", person.pk]))
    assert not Person.all_objects.filter(pk=person.pk).exists()
    # The history keeps a trace of the purge.
    assert Person.history.filter(id=person.pk, history_type="-").exists()


def test_trash_page_query_count_is_flat(world, client_for, trashed, django_assert_max_num_queries):
    from portal.trash import record_models

    for i in range(5):
        d = f.DepartmentFactory(committee=world.committee, branch=world.branch)
        client_for(world.office).post(reverse("portal:department_delete", args=[d.pk]))
    c = client_for(world.office)
    # One query per record type here, and one more per type for the year selector.
    with django_assert_max_num_queries(2 * len(record_models()) + 12):
        assert c.get(reverse("trash")).status_code == 200
