"""A superuser picks the committee they look at from a menu of all of them;
every page names the committee it shows."""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    user = f.UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_superuser_switches_committee_and_sees_its_records(world, admin, client_for):
    f.CommitteeMeetingFactory(committee=world.committee, title="甲局的会", date=datetime.date(2020, 3, 1))
    f.CommitteeMeetingFactory(committee=world.other_committee, title="乙局的会", date=datetime.date(2020, 3, 1))
    c = client_for(admin)
    meetings = reverse("responsibility:meeting_list") + "?year=2020"
    first = c.get(meetings).content.decode()
    assert "甲局的会" in first and "乙局的会" not in first
    assert "当前党委：<strong>甲局党委</strong>" in first
    # The menu offers every committee.
    assert first.count('name="committee" value=') == 2 and "乙局党委" in first

    response = c.post(reverse("committee_switch"), {"committee": world.other_committee.pk})
    assert response.status_code == 302
    second = c.get(meetings).content.decode()
    assert "乙局的会" in second and "甲局的会" not in second
    assert "当前党委：<strong>乙局党委</strong>" in second


def test_bad_committee_choice_is_404_not_500(world, admin, client_for):
    c = client_for(admin)
    assert c.post(reverse("committee_switch"), {"committee": "abc"}).status_code == 404
    assert c.post(reverse("committee_switch"), {"committee": "999999"}).status_code == 404
    assert c.post(reverse("committee_switch")).status_code == 404


def test_only_superusers_switch_and_see_the_menu(world, client_for):
    c = client_for(world.office)
    page = c.get(reverse("dashboard")).content.decode()
    assert "切换党委" not in page and "当前党委：<strong>甲局党委</strong>" in page
    assert c.post(reverse("committee_switch"), {"committee": world.other_committee.pk}).status_code == 403
    assert "乙局" not in c.get(reverse("responsibility:meeting_list")).content.decode()
