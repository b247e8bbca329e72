"""The binder built by a real Celery worker process on Redis and PostgreSQL (CI),
with the worker fixture of the report build (tests/reports/test_worker.py)."""

import io
import time
import zipfile

import pytest

from reports.binder import services
from reports.models import BinderBuild

from .binder_helpers import INDEX, make_evidence
from .test_worker import worker  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def wait_for(build: BinderBuild, proc, timeout: float = 180) -> BinderBuild:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if build.status in ("done", "failed"):
            return build
        assert proc.poll() is None, "the worker exited"
        time.sleep(0.2)
    pytest.fail(f"binder still {build.status} after {timeout}s")


def test_real_worker_builds_the_binder(world, worker):  # noqa: F811
    evidence = make_evidence(world)
    build, created = services.binder_request(committee=world.committee, year=2020, user=world.leader)
    assert created
    build = wait_for(build, worker)
    assert build.status == "done", build.error
    assert build.attempts == 1 and build.progress == 100 and build.items_done == build.items_total > 0
    with build.file.open("rb") as fh:
        zf = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert INDEX in zf.namelist()
    with evidence.attachments[0].file.open("rb") as fh:
        assert fh.read() in {zf.read(n) for n in zf.namelist()}
