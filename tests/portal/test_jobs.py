"""portal.jobs: long work runs after the commit, outside the request's thread,
in a bounded pool without Redis; a broker that cannot be reached is reported
within the publish timeout instead of holding the caller."""

import threading
import time

import pytest
from celery import shared_task
from django.db import transaction
from django.urls import reverse

from portal import jobs

pytestmark = pytest.mark.django_db(transaction=True)

SEEN: list[tuple[int, str]] = []
ACTIVE = {"now": 0, "most": 0}
_lock = threading.Lock()


@shared_task(name="tests.portal.test_jobs.record")
def record(number: int, pause: float = 0) -> None:
    with _lock:
        ACTIVE["now"] += 1
        ACTIVE["most"] = max(ACTIVE["most"], ACTIVE["now"])
    time.sleep(pause)
    with _lock:
        ACTIVE["now"] -= 1
        SEEN.append((number, threading.current_thread().name))


@pytest.fixture
def embedded(settings):
    """The embedded setup: no broker, jobs in threads of this process."""
    SEEN.clear()
    ACTIVE.update(now=0, most=0)
    settings.PORTAL_JOBS_INLINE = False
    settings.PORTAL_JOBS_THREADS = 2
    jobs._pool = None  # a pool of the size set here
    yield
    assert jobs.wait_idle(30)
    jobs._pool = None


def test_a_job_runs_after_the_commit_in_another_thread(embedded):
    with transaction.atomic():
        jobs.enqueue(record, 1, 0.2)
        time.sleep(0.3)
        assert SEEN == []  # nothing before the commit
    assert jobs.wait_idle(10)
    [(number, thread)] = SEEN
    assert number == 1 and thread.startswith("portal-job") and thread != threading.current_thread().name


def test_a_rolled_back_transaction_starts_no_job(embedded):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(record, 2)
        raise RuntimeError
    assert jobs.wait_idle(10) and SEEN == []


def test_the_pool_is_bounded(embedded):
    started = time.monotonic()
    for number in range(5):
        jobs.enqueue(record, number, 0.3)
    assert time.monotonic() - started < 0.2  # the caller never waits for the work
    assert jobs.wait_idle(30)
    assert sorted(n for n, _ in SEEN) == [0, 1, 2, 3, 4]
    assert ACTIVE["most"] == 2


def test_a_job_is_named_by_its_task(embedded):
    jobs.enqueue("tests.portal.test_jobs.record", 3)
    assert jobs.wait_idle(10) and [n for n, _ in SEEN] == [3]


def test_an_unreachable_broker_is_reported_within_the_timeout(settings):
    from tests.security.processes import celery_redis, free_port

    with celery_redis(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        started = time.monotonic()
        assert jobs.dispatch(record, 4) is False
        assert time.monotonic() - started < settings.PORTAL_JOBS_PUBLISH_TIMEOUT + 0.5


def test_embedded_build_request_answers_before_the_build_runs(embedded, world, client_for):
    """Without Redis the request only queues the build; the pool builds it."""
    from reports.models import ReportBuild

    response = client_for(world.leader).post(reverse("reports:build", args=[2020]), HTTP_ACCEPT="application/json")
    assert response.status_code == 202
    assert response.json()["status"] in ("queued", "running")  # not built inside the request
    assert jobs.wait_idle(120)
    build = ReportBuild.objects.get()
    assert build.status == "done" and build.progress == 100 and build.pdf_file


def test_embedded_sweeps_hand_over_a_build_its_stopped_process_left_queued(embedded, world, settings):
    """No beat without Redis: the web process runs the sweep that requeues it."""
    import datetime

    from django.utils import timezone

    from reports import services
    from reports.models import ReportBuild
    from tests.security.processes import wait_until

    report = services.report_for_year(committee=world.committee, year=2020)
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    build = ReportBuild.objects.create(report=report, enqueued_at=long_ago)
    ReportBuild.objects.filter(pk=build.pk).update(requested_at=long_ago)
    settings.PORTAL_JOBS_SWEEPS = {"reports.tasks.requeue_stale_builds": 3600}
    jobs.start_sweeps()
    try:
        status = lambda: ReportBuild.objects.values_list("status", flat=True).get(pk=build.pk)  # noqa: E731
        wait_until(lambda: status() == "done", 120, interval=0.5, what="the swept build")
    finally:
        jobs.stop_sweeps()


def test_no_sweeps_run_in_the_web_process_with_redis(settings):
    from tests.security.processes import celery_redis

    with celery_redis("redis://127.0.0.1:1/0"):
        jobs.start_sweeps()
        assert jobs._sweeper is None


@shared_task(name="tests.portal.test_jobs.touch_database")
def touch_database() -> None:
    from portal.models import Committee

    Committee.objects.exists()


def test_stopping_the_sweeps_closes_the_sweepers_connection(settings):
    """A sweep run inline (as the tests run jobs) uses the ORM in the sweeper's own
    thread. Its connection must end with the thread: left open, it held the test
    database, and dropping it failed ("being accessed by other users")."""
    from django.db import connection

    from tests.conftest import service_required
    from tests.security.processes import wait_until

    if connection.vendor != "postgresql":
        service_required("PostgreSQL (its sessions are counted)")

    def sessions() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            return cursor.fetchone()[0]

    before = sessions()
    settings.PORTAL_JOBS_SWEEPS = {"tests.portal.test_jobs.touch_database": 3600}
    jobs.start_sweeps()
    try:
        wait_until(lambda: sessions() > before, 20, interval=0.1, what="the sweep's own connection")
    finally:
        jobs.stop_sweeps()
    wait_until(lambda: sessions() == before, 5, interval=0.1, what="the sweeper's connection closed")
