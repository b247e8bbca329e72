"""Record history pages: the office sees who changed what, and can restore a version."""

import pytest
from django.urls import reverse

from portal.models import Department
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(world, client_for):
    """A department created and then edited twice through the real pages."""
    c = client_for(world.office)
    c.post(reverse("portal:department_create"), {"name": "办公室", "kind": "office", "branch": world.branch.pk})
    d = Department.objects.get(name="办公室")
    c.post(reverse("portal:department_update", args=[d.pk]), {"name": "党委办公室", "kind": "office", "branch": world.branch.pk})
    c.post(
        reverse("portal:department_update", args=[d.pk]),
        {"name": "党委办公室", "kind": "station", "branch": world.other_branch.pk},
    )
    return d


def test_office_sees_who_changed_what(world, client_for, dept):
    c = client_for(world.office)
    detail = c.get(reverse("portal:department_detail", args=[dept.pk])).content.decode()
    url = reverse("portal:department_history", args=[dept.pk])
    assert url in detail
    body = c.get(url).content.decode()
    assert body.count("history-version") == 3
    # Newest first: the last edit moved it to the other branch and made it a station.
    newest = body.split('class="card mb-2 history-version"')[1]
    assert "第一党支部" in newest and "第二党支部" in newest and "基层测站" in newest
    assert "office" in newest  # the user who made the change
    middle = body.split('class="card mb-2 history-version"')[2]
    assert "办公室" in middle and "党委办公室" in middle


@pytest.mark.parametrize("who", ["leader", "branch_secretary", "other_secretary"])
def test_history_is_office_only(world, client_for, dept, who):
    c = client_for(getattr(world, who))
    assert c.get(reverse("portal:department_history", args=[dept.pk])).status_code == 403
    oldest = dept.history.earliest("history_date")
    url = reverse("portal:department_history_restore", args=[dept.pk, oldest.history_id])
    assert c.post(url).status_code == 403
    assert "修改历史" not in c.get(reverse("portal:department_detail", args=[dept.pk])).content.decode()


def test_other_committee_gets_404(world, client_for, dept):
    c = client_for(world.outsider)
    assert c.get(reverse("portal:department_history", args=[dept.pk])).status_code == 404
    oldest = dept.history.earliest("history_date")
    assert c.post(reverse("portal:department_history_restore", args=[dept.pk, oldest.history_id])).status_code == 404
    assert Department.objects.get(pk=dept.pk).name == "党委办公室"


def test_restore_writes_a_new_version(world, client_for, dept):
    c = client_for(world.office)
    oldest = dept.history.earliest("history_date")
    url = reverse("portal:department_history_restore", args=[dept.pk, oldest.history_id])
    confirm = c.get(url)
    assert confirm.status_code == 200 and "确认恢复" in confirm.content.decode()
    assert Department.objects.get(pk=dept.pk).name == "党委办公室"  # GET changes nothing
    response = c.post(url)
    assert response.status_code == 302
    dept.refresh_from_db()
    assert (dept.name, dept.kind, dept.branch) == ("办公室", "office", world.branch)
    assert dept.history.count() == 4
    assert "恢复为" in dept.history.latest("history_date").history_change_reason


def test_history_id_of_another_record_is_404(world, client_for, dept):
    other = f.DepartmentFactory(committee=world.committee, branch=world.branch)
    foreign = other.history.first()
    c = client_for(world.office)
    assert c.post(reverse("portal:department_history_restore", args=[dept.pk, foreign.history_id])).status_code == 404


def test_restore_refuses_a_clash_with_a_live_record(world, client_for, dept):
    c = client_for(world.office)
    f.DepartmentFactory(committee=world.committee, name="办公室", branch=world.branch)
    oldest = dept.history.earliest("history_date")
    response = c.post(
        reverse("portal:department_history_restore", args=[dept.pk, oldest.history_id]), follow=True
    )
    assert response.status_code == 200
    assert "无法恢复" in response.content.decode()
    dept.refresh_from_db()
    assert dept.name == "党委办公室"


def test_history_page_query_count_is_flat(world, client_for, dept, django_assert_max_num_queries):
    c = client_for(world.office)
    url = reverse("portal:department_history", args=[dept.pk])
    c.get(url)
    for i in range(10):
        c.post(reverse("portal:department_update", args=[dept.pk]), {"name": f"科{i}", "kind": "office", "branch": world.branch.pk})
    with django_assert_max_num_queries(14):
        assert c.get(url).status_code == 200


def test_issued_letter_cannot_be_restored_to_an_older_version(world, client_for):
    """A letter is frozen once issued: history must not become a way round that."""
    from portal.access import actor_for
    from responsibility import services
    from responsibility.models import ResponsibilityLetter

    letter = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, body="第一稿")
    actor = actor_for(world.office)
    services.letter_update(actor=actor, letter=letter, title=letter.title, body="第二稿")
    services.letter_issue(actor=actor, letter=letter)
    first = letter.history.order_by("history_id").first()
    c = client_for(world.office)
    assert c.get(reverse("responsibility:letter_history", args=[letter.pk])).status_code == 200
    url = reverse("responsibility:letter_history_restore", args=[letter.pk, first.history_id])
    assert c.post(url).status_code == 403
    letter = ResponsibilityLetter.objects.get(pk=letter.pk)
    assert letter.body == "第二稿" and letter.status == "issued"
