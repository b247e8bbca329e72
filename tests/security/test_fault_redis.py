"""Redis unreachable when a report build is requested, broken the way production
breaks it: the broker and the result backend are the same Redis (REDIS_URL),
and it is killed or hangs. The request answers within 2 s, the build stays
queued and says so, and nothing is lost: a late publish still arrives, and
once Redis is back the periodic sweep publishes the build again. A private
redis-server is started, killed, paused and restarted for this."""

import datetime
import http.cookiejar
import json
import time
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.security.processes import RedisServer, WebServer, celery_redis, database_url, wait_until

pytestmark = pytest.mark.django_db

BUDGET = 2.0  # seconds a build request may take with Redis down


def queued_messages(redis: RedisServer) -> list[dict]:
    import redis as redis_client

    raw = redis_client.Redis(host="127.0.0.1", port=redis.port).lrange("celery", 0, -1)
    return [json.loads(item)["headers"] for item in raw]


def timed_post(client, url, capture, **extra):
    """POST and run the on-commit work (the publish) as the request would; in a
    test transaction that work runs when the capture block ends."""
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(url, **extra)
    return response, time.monotonic() - started


def test_build_requested_while_redis_is_killed_is_queued_then_requeued(
    world, client_for, django_capture_on_commit_callbacks
):
    from reports.models import ReportBuild
    from reports.tasks import requeue_stale_builds

    redis = RedisServer().start()
    try:
        with celery_redis(redis.url):
            redis.stop()
            c = client_for(world.office)
            capture = django_capture_on_commit_callbacks
            response, elapsed = timed_post(c, reverse("reports:build", args=[2020]), capture)
            assert response.status_code == 302, response.status_code
            assert elapsed < BUDGET, f"the request took {elapsed:.1f}s with Redis down"

            build = ReportBuild.objects.get()
            assert build.status == ReportBuild.Status.QUEUED
            assert build.enqueued_at is None
            page = c.get(reverse("reports:detail", args=[2020])).content.decode()
            assert "排队中" in page and "服务恢复后将自动开始" in page
            # A second click while Redis is still down joins the same build and
            # tries to hand it over again, as quickly.
            response, elapsed = timed_post(
                c, reverse("reports:build", args=[2020]), capture, HTTP_ACCEPT="application/json"
            )
            assert elapsed < BUDGET and response.status_code == 202
            assert "服务恢复后将自动开始" in response.json()["note"]
            assert ReportBuild.objects.count() == 1

            # Redis comes back; the periodic task (beat) publishes the build again.
            redis.start()
            schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
            assert "reports.tasks.requeue_stale_builds" in schedule
            ReportBuild.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=1))
            assert requeue_stale_builds() == 1
            build.refresh_from_db()
            assert build.status == ReportBuild.Status.QUEUED and build.enqueued_at is not None
            # Exactly one message for this build is waiting in the queue, and no
            # result was ever written (results are ignored: state is in the row).
            [headers] = queued_messages(redis)
            assert headers["task"] == "reports.tasks.build_report"
            assert headers["argsrepr"] == f"[{build.pk}]"
            import redis as redis_client

            assert not redis_client.Redis(host="127.0.0.1", port=redis.port).keys("celery-task-meta-*")
    finally:
        redis.stop()


def test_build_requested_while_redis_hangs_answers_in_time_and_is_delivered_later(
    world, client_for, django_capture_on_commit_callbacks
):
    from reports.models import ReportBuild

    redis = RedisServer().start()
    try:
        with celery_redis(redis.url):
            redis.pause()  # connections are accepted, nothing answers
            c = client_for(world.office)
            response, elapsed = timed_post(
                c, reverse("reports:build", args=[2020]), django_capture_on_commit_callbacks, HTTP_ACCEPT="application/json"
            )
            assert elapsed < BUDGET, f"the request took {elapsed:.1f}s with Redis hanging"
            assert response.status_code == 202
            page = c.get(reverse("reports:detail", args=[2020])).content.decode()
            assert "排队中" in page and "服务恢复后将自动开始" in page
            redis.resume()
            # The publish that was still waiting goes through once Redis answers:
            # the build reaches the queue without waiting for the sweep.
            build = ReportBuild.objects.get()
            wait_until(lambda: queued_messages(redis), 15, what="the late message")
            assert [h["argsrepr"] for h in queued_messages(redis)] == [f"[{build.pk}]"]
    finally:
        redis.resume() if redis.process else None
        redis.stop()


@pytest.mark.django_db(transaction=True)
def test_a_server_started_with_redis_down_answers_a_build_request_in_time(world, tmp_path):
    """The whole web process configured from REDIS_URL (broker, result backend
    and cache), as docker-compose.yml runs it, with that Redis killed."""
    from django.contrib.sessions.backends.db import SessionStore

    from reports.models import ReportBuild

    redis = RedisServer().start()
    web = WebServer({"DATABASE_URL": database_url(), "REDIS_URL": redis.url, "MEDIA_ROOT": str(tmp_path / "media")},
                    str(tmp_path))
    try:
        web.start()
        redis.stop()
        session = SessionStore()
        session.update({"_auth_user_id": str(world.office.pk),
                        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                        "_auth_user_hash": world.office.get_session_auth_hash()})
        session.create()
        token = "t" * 32
        jar = http.cookiejar.CookieJar()
        for name, value in (("sessionid", session.session_key), ("csrftoken", token)):
            jar.set_cookie(http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True,
                                                 False, None, False, None, None, {}))
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        # A serving process has loaded its code before Redis fails: warm it up.
        with opener.open(web.url + reverse("reports:detail", args=[2020]), timeout=60) as page:
            assert page.status == 200
        request = urllib.request.Request(
            web.url + reverse("reports:build", args=[2020]), data=b"", method="POST",
            headers={"Accept": "application/json", "X-CSRFToken": token, "Host": "127.0.0.1"},
        )
        started = time.monotonic()
        with opener.open(request, timeout=60) as response:
            elapsed = time.monotonic() - started
            status, body = response.status, json.loads(response.read())
        assert status == 202, body
        assert elapsed < BUDGET, f"the server took {elapsed:.1f}s with Redis down"
        assert body["status"] == "queued" and "服务恢复后将自动开始" in body["note"]
        build = ReportBuild.objects.get()
        assert build.enqueued_at is None  # the sweep will hand it over once Redis is back
    finally:
        web.stop()
        redis.stop()
