import datetime

from django.db import OperationalError
from django.utils import timezone

from reports import services
from reports.models import ReportBuild
from reports.tasks import build_report, requeue_stale_builds


def make_build(world, **fields) -> ReportBuild:
    report = services.report_for_year(committee=world.committee, year=2020)
    return ReportBuild.objects.create(report=report, **fields)


def test_transient_errors_are_retried_then_the_build_fails(world, monkeypatch):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "report_context", flaky)
    build = make_build(world)
    build_report.apply(args=[build.pk])
    build.refresh_from_db()
    assert len(calls) == 4  # the first try and 3 retries
    assert build.status == "failed" and "OperationalError" in build.error and build.attempts == 4


def test_a_transient_error_then_success(world, monkeypatch):
    real = services.report_context
    calls = []

    def once_flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connection reset")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "report_context", once_flaky)
    build = make_build(world)
    build_report.apply(args=[build.pk])
    build.refresh_from_db()
    assert build.status == "done" and build.attempts == 2 and build.error == ""


def test_a_duplicate_message_does_nothing(world):
    build = make_build(world)
    build_report.apply(args=[build.pk])
    build.refresh_from_db()
    sha, finished = build.pdf_sha256, build.finished_at
    build_report.apply(args=[build.pk])  # redelivered after acks_late
    build.refresh_from_db()
    assert (build.status, build.pdf_sha256, build.finished_at, build.attempts) == ("done", sha, finished, 1)


def test_requeue_picks_abandoned_running_builds_but_not_fresh_ones(world):
    long_ago = timezone.now() - services.STALE_RUNNING - datetime.timedelta(seconds=5)
    abandoned = make_build(world, status="running", started_at=long_ago, progress=50)
    assert requeue_stale_builds.apply().get() == 1
    abandoned.refresh_from_db()
    assert abandoned.status == "done"
    fresh = make_build(world, status="running", started_at=timezone.now(), progress=50)
    queued_now = make_build(world, status="queued", enqueued_at=timezone.now())
    assert requeue_stale_builds.apply().get() == 0
    fresh.refresh_from_db()
    queued_now.refresh_from_db()
    assert (fresh.status, queued_now.status) == ("running", "queued")


def test_services_start_tasks_by_name_and_never_import_them():
    """reports.services ↔ reports.tasks was an import circle: tasks import
    services, and services hand builds to portal.jobs by task name."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(services.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {"tasks", "reports.tasks"} & imported
    from portal import jobs

    assert jobs._task(services.BUILD_TASK).name == build_report.name == services.BUILD_TASK
