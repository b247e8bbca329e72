"""Redis unreachable when a report build is requested: the request answers, the
build stays queued and says so, and once Redis is back the periodic task
publishes it again. A private redis-server is started and stopped for this."""

import datetime
import json
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.security.processes import RedisServer, celery_broker

pytestmark = pytest.mark.django_db


def test_build_requested_while_redis_is_down_is_queued_then_requeued(
    world, client_for, django_capture_on_commit_callbacks
):
    from reports.models import ReportBuild
    from reports.tasks import requeue_stale_builds

    redis = RedisServer().start()
    try:
        with celery_broker(redis.url):
            redis.stop()
            c = client_for(world.office)
            started = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True):
                response = c.post(reverse("reports:build", args=[2020]))
            elapsed = time.monotonic() - started
            assert response.status_code == 302, response.status_code
            assert elapsed < 10, f"the request took {elapsed:.1f}s with Redis down"

            build = ReportBuild.objects.get()
            assert build.status == ReportBuild.Status.QUEUED
            assert build.enqueued_at is None
            page = c.get(reverse("reports:detail", args=[2020])).content.decode()
            assert "排队中" in page and "服务恢复后将自动开始" in page
            # A second click while Redis is still down joins the same build.
            with django_capture_on_commit_callbacks(execute=True):
                c.post(reverse("reports:build", args=[2020]))
            assert ReportBuild.objects.count() == 1

            # Redis comes back; the periodic task (beat) publishes the build again.
            redis.start()
            schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
            assert "reports.tasks.requeue_stale_builds" in schedule
            ReportBuild.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=1))
            assert requeue_stale_builds() == 1
            build.refresh_from_db()
            assert build.status == ReportBuild.Status.QUEUED and build.enqueued_at is not None
            # Exactly one message for this build is waiting in the queue.
            assert redis.llen("celery") == 1
            import redis as redis_client

            raw = redis_client.Redis(host="127.0.0.1", port=redis.port).lindex("celery", 0)
            headers = json.loads(raw)["headers"]
            assert headers["task"] == "reports.tasks.build_report"
            assert headers["argsrepr"] == f"[{build.pk}]"
    finally:
        redis.stop()
