"""The password-change page counts wrong old passwords towards the login lockout
(django-axes, per username + IP), and a locked-out user cannot change the password."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "a-New-pass-7789"


def logged_in(user, address="10.0.1.5") -> Client:
    c = Client(REMOTE_ADDR=address)
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def change(client, old, new=NEW):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_wrong_old_passwords_lock_the_page_and_the_right_one_is_refused(world):
    from axes.models import AccessAttempt

    c = logged_in(world.office)
    for _ in range(4):
        response = change(c, "wrong-guess")
        assert response.status_code == 200 and "form" in response.context
    assert AccessAttempt.objects.get(username="office", ip_address="10.0.1.5").failures_since_start == 4
    locked = change(c, "wrong-guess")  # the fifth failure locks, as on the login page
    assert locked.status_code == 429
    assert "原密码输错次数过多" in locked.content.decode() and "请 15 分钟后再试" in locked.content.decode()
    # While locked even the right old password changes nothing.
    assert change(c, PASSWORD).status_code == 429
    world.office.refresh_from_db()
    assert world.office.check_password(PASSWORD) and not world.office.check_password(NEW)
    # The typed passwords are never stored in the attempt log.
    attempt = AccessAttempt.objects.get(username="office")
    assert "wrong-guess" not in attempt.post_data and NEW not in attempt.post_data and PASSWORD not in attempt.post_data
    # It is the login's lockout: logging in with this username from this address is refused too.
    login = Client(REMOTE_ADDR="10.0.1.5").post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert login.status_code == 429


def test_the_lockout_is_per_username_and_address(world):
    c = logged_in(world.office)
    for _ in range(5):
        change(c, "wrong-guess")
    # Another address, or another user at this address, still changes the password.
    assert change(logged_in(world.office, "10.0.1.6"), PASSWORD).status_code == 302
    assert change(logged_in(world.leader), PASSWORD).status_code == 302


def test_failed_logins_lock_the_password_page_and_the_cool_off_ends_it(world):
    from axes.models import AccessAttempt

    anonymous = Client(REMOTE_ADDR="10.0.1.7")
    for _ in range(5):
        anonymous.post(reverse("login"), {"username": "office", "password": "wrong"})
    c = logged_in(world.office, "10.0.1.7")
    assert change(c, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = change(c, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    world.office.refresh_from_db()
    assert world.office.check_password(NEW)


def test_a_weak_new_password_is_not_a_failed_attempt(world):
    from axes.models import AccessAttempt

    c = logged_in(world.office)
    response = change(c, PASSWORD, new="123")
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]
    assert not AccessAttempt.objects.exists()


def test_logout_by_get_asks_and_post_signs_out(world, client):
    c = logged_in(world.office)
    page = c.get("/logout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "确定要退出登录吗" in html and 'method="post"' in html and "portal-nav" in html
    assert "_auth_user_id" in c.session  # asking signs nobody out
    response = c.post("/logout/")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in c.session
    # Anonymous visitors are sent to the login page.
    assert client.get("/logout/")["Location"] == reverse("login")
