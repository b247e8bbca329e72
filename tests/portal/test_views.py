import pytest
from django.urls import reverse

from portal.models import Person
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_dashboard_shows_committee_and_counts(world, client_for):
    response = client_for(world.office).get(reverse("dashboard") + "?year=2020")
    assert response.status_code == 200
    assert "甲局党委" in response.content.decode()
    assert "2020年工作概况" in response.content.decode()


def test_user_without_committee_gets_clear_page(world, client_for):
    response = client_for(world.no_person).get(reverse("dashboard"))
    assert response.status_code == 403
    assert "请联系系统管理员" in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "1800", "99999"])
def test_unknown_year_is_404(world, client_for, year):
    assert client_for(world.office).get(reverse("dashboard") + f"?year={year}").status_code == 404


def test_other_committee_object_is_404(world, client_for):
    other = Person.objects.get(user=world.outsider)
    assert client_for(world.office).get(reverse("portal:person_detail", args=[other.pk])).status_code == 404
    assert client_for(world.office).get(reverse("portal:person_detail", args=[999999])).status_code == 404


def test_person_form_errors_in_chinese(world, client_for):
    response = client_for(world.office).post(reverse("portal:person_create"), {"name": "", "role": "nonsense"})
    assert response.status_code == 200
    body = response.content.decode()
    # Each error once, at its field, naming the field in plain Chinese.
    assert body.count("请填写姓名。") == 1
    assert body.count("所选的系统角色无效，请重新选择。") == 1
    assert Person.objects.filter(committee=world.committee).count() == 4


def test_branch_secretary_cannot_create_people(world, client_for):
    response = client_for(world.branch_secretary).post(reverse("portal:person_create"), {"name": "新人", "role": "member"})
    assert response.status_code == 403
    assert not Person.objects.filter(name="新人").exists()


def test_office_creates_edits_and_trashes_a_person(world, client_for):
    c = client_for(world.office)
    response = c.post(
        reverse("portal:person_create"),
        {"name": "新同志", "title": "科员", "branch": world.branch.pk, "is_party_member": "on", "role": "member"},
    )
    person = Person.objects.get(name="新同志")
    assert person.committee == world.committee and person.created_by == world.office
    assert response.status_code == 302
    response = c.post(reverse("portal:person_delete", args=[person.pk]))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.all_objects.get(pk=person.pk).deleted_at is not None


def test_list_search_filter_and_pagination(world, client_for):
    for i in range(25):
        f.PersonFactory(committee=world.committee, name=f"批量{i:02d}", branch=world.other_branch)
    c = client_for(world.office)
    body = c.get(reverse("portal:person_list") + "?q=批量").content.decode()
    assert "共 25 条" in body and "1 / 2" in body
    body = c.get(reverse("portal:person_list") + f"?branch={world.branch.pk}").content.decode()
    assert "批量" not in body


def test_login_page_wrong_password(world, client):
    response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_branch_filter_offers_a_secretary_only_their_branch(world, client_for):
    body = client_for(world.branch_secretary).get(reverse("portal:department_list")).content.decode()
    assert world.branch.name in body
    assert world.other_branch.name not in body


def test_menu_hides_areas_a_role_cannot_open(world, client_for):
    office = client_for(world.office).get(reverse("dashboard")).content.decode()
    leader = client_for(world.leader).get(reverse("dashboard")).content.decode()
    secretary = client_for(world.branch_secretary).get(reverse("dashboard")).content.decode()
    assert "导入台账" in office and "导出台账" in office
    assert "导入台账" not in leader and "导出台账" in leader
    assert "台账导入导出" not in secretary


def test_duplicate_slipping_past_the_form_is_a_form_error_not_a_500(world, client_for, monkeypatch):
    """Two people saving the same record at once: the form check passes for
    both, the database refuses the second; the user gets a message."""
    monkeypatch.setattr(Person, "validate_constraints", lambda self, exclude=None: None)
    response = client_for(world.office).post(
        reverse("portal:person_create"), {"name": "leader", "is_party_member": "on", "role": "member"}
    )
    assert response.status_code == 200
    assert "已有相同的记录" in response.content.decode()
    assert Person.objects.filter(committee=world.committee, name="leader").count() == 1
