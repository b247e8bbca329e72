"""A Celery worker killed in the middle of a report build: the build is retried
and completes exactly once. A real worker subprocess on a private Redis and the
test's PostgreSQL database."""

import pytest
from django.urls import reverse

from tests.security.processes import RedisServer, Worker, celery_redis, database_url, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_killed_worker_build_is_retried_and_done_once(world, client_for, settings, tmp_path):
    from reports import services
    from reports.models import ReportBuild

    redis = RedisServer().start()
    worker = Worker(redis.url, database_url(), str(settings.MEDIA_ROOT), str(tmp_path))
    try:
        worker.start()
        with celery_redis(redis.url):
            response = client_for(world.office).post(reverse("reports:build", args=[2020]))
            assert response.status_code == 302
            build = ReportBuild.objects.get()
            status = lambda: ReportBuild.objects.values_list("status", flat=True).get(pk=build.pk)  # noqa: E731
            wait_until(lambda: status() == ReportBuild.Status.RUNNING, 30, interval=0.02, what="the build to start")
            worker.kill_child()
            assert status() != ReportBuild.Status.DONE
            # Celery puts the message back (acks_late + reject_on_worker_lost); the
            # redelivered task hands the abandoned "running" build back and builds it.
            wait_until(lambda: status() == ReportBuild.Status.DONE, 90, interval=0.2, what="the build to finish")
            assert b"WorkerLostError" in worker.log.read_bytes()
        build.refresh_from_db()
        assert ReportBuild.objects.count() == 1
        assert build.attempts >= 2
        assert build.pdf_file and build.pdf_file.read(4) == b"%PDF"
        assert len(build.pdf_sha256) == 64
        # Further deliveries of the same build change nothing.
        finished = build.finished_at
        assert services.build_run(build_id=build.pk) is None
        build.refresh_from_db()
        assert build.finished_at == finished and build.status == ReportBuild.Status.DONE
    finally:
        worker.stop()
        redis.stop()


@pytest.mark.django_db
def test_redelivered_build_is_handed_back_only_while_running(world):
    from reports import services
    from reports.models import AnnualReport, ReportBuild

    report = AnnualReport.objects.create(committee=world.committee, year=2020)
    running = ReportBuild.objects.create(report=report, status=ReportBuild.Status.RUNNING, progress=50)
    done = ReportBuild.objects.create(report=report, status=ReportBuild.Status.DONE, progress=100)
    assert services.build_reclaim_redelivered(build_id=running.pk) is True
    assert services.build_reclaim_redelivered(build_id=done.pk) is False
    running.refresh_from_db()
    done.refresh_from_db()
    assert (running.status, running.progress) == (ReportBuild.Status.QUEUED, 0)
    assert done.status == ReportBuild.Status.DONE
