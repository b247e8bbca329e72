"""The binder built as a background job: state in its row, joined clicks, the last good binder kept."""

from __future__ import annotations

import io
import zipfile

import pytest

from reports.binder import selectors, services
from reports.models import BinderBuild, ReportBuild
from reports.tasks import build_binder

from .binder_helpers import INDEX, make_evidence


@pytest.fixture
def evidence(world):
    return make_evidence(world)


def request(world, user=None, capture=None):
    with capture(execute=True):
        return services.binder_request(committee=world.committee, year=2020, user=user or world.office)


def test_a_request_builds_the_binder_into_storage(world, evidence, django_capture_on_commit_callbacks):
    build, created = request(world, capture=django_capture_on_commit_callbacks)
    assert created
    build.refresh_from_db()
    assert build.status == "done", build.error
    assert build.progress == 100 and build.items_total > 0 and build.items_done == build.items_total
    assert build.issued is not None and build.issued.kind == "reports.binder"
    with build.file.open("rb") as fh:
        data = fh.read()
    assert build.size == len(data)
    assert INDEX in zipfile.ZipFile(io.BytesIO(data)).namelist()
    # the report PDF it needed was built once, as a report build of its own
    assert ReportBuild.objects.filter(report__committee=world.committee, status="done").count() == 1


def test_a_second_click_joins_the_queued_build(world, evidence):
    first, created = services.binder_request(committee=world.committee, year=2020, user=world.office)
    second, created_again = services.binder_request(committee=world.committee, year=2020, user=world.leader)
    assert created and not created_again and first.pk == second.pk


def test_a_message_delivered_twice_builds_once(world, evidence, django_capture_on_commit_callbacks):
    build, _ = request(world, capture=django_capture_on_commit_callbacks)
    build.refresh_from_db()
    finished = build.finished_at
    build_binder.apply(args=[world.committee.pk, 2020, world.office.pk])
    assert BinderBuild.objects.count() == 1
    build.refresh_from_db()
    assert build.finished_at == finished


def test_a_failed_build_keeps_the_last_good_binder(world, evidence, settings, django_capture_on_commit_callbacks):
    good, _ = request(world, capture=django_capture_on_commit_callbacks)
    good.refresh_from_db()
    settings.PORTAL_BINDER_MAX_BYTES = 10
    failed, created = request(world, capture=django_capture_on_commit_callbacks)
    failed.refresh_from_db()
    assert created and failed.status == "failed" and "超过上限" in failed.error
    status = selectors.binder_status(world.committee, 2020)
    assert status["status"] == "failed" and "超过上限" in status["error"]
    assert status["download_url"].endswith(f"/binders/{good.pk}/download/")
    assert good.file.storage.exists(good.file.name)


def test_a_new_good_binder_replaces_the_old_file(world, evidence, django_capture_on_commit_callbacks):
    old, _ = request(world, capture=django_capture_on_commit_callbacks)
    old.refresh_from_db()
    old_name = old.file.name
    new, _ = request(world, capture=django_capture_on_commit_callbacks)
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == "done" and not old.file and not new.file.storage.exists(old_name)
    assert selectors.last_good_binder(world.committee, 2020).pk == new.pk


def test_redis_down_leaves_it_queued_with_a_note(world, evidence, monkeypatch, django_capture_on_commit_callbacks):
    from portal import jobs

    monkeypatch.setattr(jobs, "dispatch", lambda *args: False)  # the broker refused the job
    build, _ = request(world, capture=django_capture_on_commit_callbacks)
    build.refresh_from_db()
    assert build.status == "queued" and build.note == services.QUEUE_DOWN_NOTE
