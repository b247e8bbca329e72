"""End to end with a real Celery worker process on Redis and PostgreSQL (CI).

The worker runs in a subprocess against the same test database (its name is
passed in DATABASE_URL) and a Redis database of its own, and writes the files
to this test's MEDIA_ROOT.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from reports import services
from reports.models import ReportBuild
from tests.conftest import service_required

from .conftest import pdf_text

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def dedicated_redis(url: str) -> str:
    """Another Redis database than the suite's, so no other worker takes our tasks
    (REPORTS_WORKER_REDIS_DB picks it when several people share one Redis)."""
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{os.environ.get('REPORTS_WORKER_REDIS_DB', (db + 8) % 16)}"))


def database_url_for_worker() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(settings):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url or connection.vendor != "postgresql":
        service_required("PostgreSQL + Redis for a real Celery worker")
    from portal.celery import app

    broker = dedicated_redis(redis_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "REDIS_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    celery = Path(sys.executable).with_name("celery")
    proc = subprocess.Popen(
        [str(celery), "-A", "portal", "worker", "-P", "solo", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-l", "warning"],
        env=env, cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    old = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app._pool = None  # the pools remember the broker they were made for
    app.amqp._producer_pool = None
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            output = proc.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0]
        app.conf.broker_url = old
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.task_always_eager = True
        print(output[-4000:])


def wait_for(build: ReportBuild, proc, timeout: float = 120) -> ReportBuild:
    deadline = time.monotonic() + timeout
    seen = set()
    while time.monotonic() < deadline:
        build.refresh_from_db()
        seen.add(build.status)
        if build.status in ("done", "failed"):
            return build
        assert proc.poll() is None, "the worker exited"
        time.sleep(0.3)
    pytest.fail(f"build still {build.status} after {timeout}s (seen {seen})")


def test_real_worker_builds_the_pdf(year_data, worker):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    build, created = services.build_request(report=report, user=year_data.leader)  # autocommit: published on commit
    assert created
    build = wait_for(build, worker)
    assert build.status == "done", build.error
    assert build.progress == 100 and build.attempts == 1 and build.duration_ms > 0
    with build.pdf_file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "党委专题研究了2次意识形态工作" in text
    # a second request after it finished starts a new build; the first stays downloadable
    again, created = services.build_request(report=report, user=year_data.office)
    assert created and again.pk != build.pk
    assert wait_for(again, worker).status == "done"
