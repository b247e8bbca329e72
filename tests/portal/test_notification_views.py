"""The notification page: each person's own, newest first, paginated; mark one or all
read; anyone else's notification answers 404; the menu's badge counts the unread."""

import datetime
import re

import pytest
from django.utils import timezone

from portal import notifications
from portal.models import Notification

pytestmark = pytest.mark.django_db


def tell(world, user, n=1, link="/responsibility/letter/1/", start=0):
    made = []
    for i in range(start, start + n):
        [note] = notifications.notify(
            committee=user.person.committee, recipients=[user.person], message=f"第{i}条通知",
            link=link, kind="test", key=f"k{i}",
        )
        Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=i))
        made.append(note)
    return made


def test_each_person_sees_only_their_own_newest_first(world, client_for):
    tell(world, world.branch_secretary, 2)
    tell(world, world.leader, 1, start=5)
    page = client_for(world.branch_secretary).get("/notifications/").content.decode()
    assert page.index("第1条通知") < page.index("第0条通知") and "第5条通知" not in page
    page = client_for(world.leader).get("/notifications/").content.decode()
    assert "第5条通知" in page and "第0条通知" not in page
    assert "暂无通知" in client_for(world.office).get("/notifications/").content.decode()
    assert "暂无通知" in client_for(world.outsider).get("/notifications/").content.decode()


def test_the_page_is_paginated(world, client_for):
    tell(world, world.branch_secretary, 25)
    client = client_for(world.branch_secretary)
    first = client.get("/notifications/").content.decode()
    second = client.get("/notifications/?page=2").content.decode()
    assert "第24条通知" in first and "第5条通知" in first and "第4条通知" not in first
    assert "第4条通知" in second and "第0条通知" in second and "第24条通知" not in second
    assert client.get("/notifications/?page=x").status_code == 200  # a bad page number shows page 1


def badge(client) -> str | None:
    found = re.search(r'class="[^"]*notifications-badge[^"]*"[^>]*>(\d+)<', client.get("/").content.decode())
    return found.group(1) if found else None


def test_the_menu_badge_counts_the_unread(world, client_for):
    [first, _second] = tell(world, world.branch_secretary, 2)
    client = client_for(world.branch_secretary)
    assert badge(client) == "2"
    client.post(f"/notifications/{first.pk}/read/")
    assert badge(client) == "1"
    client.post("/notifications/read/")
    assert badge(client) is None
    assert badge(client_for(world.leader)) is None


def test_opening_marks_read_and_goes_to_the_thing_concerned(world, client_for):
    [note] = tell(world, world.branch_secretary, link="/responsibility/analysis/matrix/?year=2020")
    response = client_for(world.branch_secretary).get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/responsibility/analysis/matrix/?year=2020"
    note.refresh_from_db()
    assert note.is_read


def test_a_link_to_another_site_is_not_followed(world, client_for):
    [note] = tell(world, world.branch_secretary, link="https://evil.example/")
    response = client_for(world.branch_secretary).get(f"/notifications/{note.pk}/")
    assert response["Location"] == "/notifications/"


def test_mark_one_and_all_read(world, client_for):
    first, second, third = tell(world, world.branch_secretary, 3)
    [theirs] = tell(world, world.leader, start=7)
    client = client_for(world.branch_secretary)
    response = client.post(f"/notifications/{second.pk}/read/", {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    assert list(Notification.objects.filter(read_at__isnull=False)) == [second]
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert set(Notification.objects.filter(read_at__isnull=False)) == {first, second, third}
    theirs.refresh_from_db()
    assert not theirs.is_read  # another person's stays unread


def test_another_persons_notification_is_not_found(world, client_for):
    [theirs] = tell(world, world.leader)
    [outsiders] = tell(world, world.outsider, start=3)
    client = client_for(world.branch_secretary)
    for note in (theirs, outsiders):
        assert client.get(f"/notifications/{note.pk}/").status_code == 404
        assert client.post(f"/notifications/{note.pk}/read/").status_code == 404
    assert client.get("/notifications/999999/").status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()
    # A superuser with no person has no notifications, and cannot open anyone's.
    from tests import factories as f

    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    assert client_for(root).get(f"/notifications/{theirs.pk}/").status_code == 404


def test_marking_read_is_post_only(world, client_for):
    [note] = tell(world, world.branch_secretary)
    client = client_for(world.branch_secretary)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 405
    assert client.get("/notifications/read/").status_code == 405
    note.refresh_from_db()
    assert not note.is_read


def test_the_page_costs_the_same_queries_for_2_or_20(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.branch_secretary)
    tell(world, world.branch_secretary, 2)
    client.get("/notifications/")  # the first request of a session loads more (the session, caches)
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    tell(world, world.branch_secretary, 18, start=2)
    with CaptureQueriesContext(connection) as many:
        assert "第19条通知" in client.get("/notifications/").content.decode()
    assert len(many) == len(few)
