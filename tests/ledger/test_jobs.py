"""Issue 14 item 11: the web ledger import and the 学习强国 upload run as
background jobs (portal.jobs), never inside the request, with progress the
page polls, in the embedded setup (threads of the web process) and with a real
Celery worker on Redis."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import jobs
from portal.ledger import services
from portal.ledger.uploads import upload_open, upload_store
from portal.models import ImportJob, Person
from publicity.models import Activity
from responsibility.models import Talk
from study.models import StudyAppStat

from .helpers import xlsx
from tests.conftest import postgresql_only

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [["姓名", "所在支部", "职务", "党员", "班子成员"], ["甲", "第一党支部", "", "是", "是"], ["乙", "第一党支部", "", "是", "否"]]
TALKS = {"人员": PEOPLE, "谈心谈话": [["日期", "谈话人", "谈话对象", "谈话类型", "要点"], ["2020-06-01", "甲", "乙", "谈心", "要点"]]}
ACTIVITY_HEADER = ["日期", "类别", "名称", "地点", "参加人数"]


def workbook(sheets, name="台账.xlsx"):
    return SimpleUploadedFile(name, xlsx(sheets).getvalue())


def activities(n: int) -> dict:
    return {"活动": [ACTIVITY_HEADER] + [["2020-09-01", "其他", f"活动{i}", "局机关", 10] for i in range(n)]}


@pytest.fixture
def embedded(settings):
    """The embedded setup: no broker, jobs in threads of this process after the response."""
    settings.PORTAL_JOBS_INLINE = False
    settings.PORTAL_JOBS_THREADS = 2
    jobs._pool = None
    yield
    assert jobs.wait_idle(60)
    jobs._pool = None


@pytest.fixture
def gate(monkeypatch):
    """Holds a job at its first progress report of a phase until the test lets it go."""

    class Gate:
        phase_note = "正在检查数据"
        reached = threading.Event()
        go = threading.Event()

    real = services._progress

    def held(job_id, percent, note):
        real(job_id, percent, note)
        if note == Gate.phase_note and not Gate.reached.is_set():
            Gate.reached.set()
            assert Gate.go.wait(60), "the test never let the job go"

    monkeypatch.setattr(services, "_progress", held)
    yield Gate
    Gate.go.set()


def status(client, job) -> dict:
    return client.get(reverse("ledger:import_job_status", args=[job.pk])).json()


def test_the_upload_answers_before_its_preview_runs(embedded, world, client_for, monkeypatch):
    """Were the engine run inside the request, the request would wait for the gate and never answer."""
    go = threading.Event()
    real = services.ledger_import
    monkeypatch.setattr(services, "ledger_import", lambda **kwargs: go.wait(30) and real(**kwargs))
    client = client_for(world.office)
    response = client.post(reverse("ledger:import"), {"file": workbook(TALKS)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ledger:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-job-status-url="%s"' % reverse("ledger:import_job_status", args=[job.pk]) in page
    assert status(client, job)["status"] in ("queued", "running") and status(client, job)["next_url"] is None
    go.set()
    assert jobs.wait_idle(60)
    done = status(client, job)
    assert (done["status"], done["progress"], done["next_url"]) == ("done", 100, reverse("ledger:import_job", args=[job.pk]))
    assert client.get(done["next_url"]).context["result"]["ok"]
    assert Talk.objects.count() == 0  # a preview writes nothing


def test_progress_is_visible_while_the_job_runs(embedded, gate, world, client_for):
    client = client_for(world.office)
    client.post(reverse("ledger:import"), {"file": workbook(activities(1200))})
    job = ImportJob.objects.get()
    assert gate.reached.wait(60)
    running = status(client, job)
    assert running["status"] == "running" and 45 <= running["progress"] < 100
    assert running["note"] == "正在检查数据" and running["status_label"] == "进行中"
    gate.go.set()
    assert jobs.wait_idle(60)
    job.refresh_from_db()
    assert job.status == "done" and job.result["sheets"] == [{"name": "活动", "create": 1200, "update": 0, "unchanged": 0}]


def test_the_confirmed_write_runs_in_the_background_too(embedded, gate, world, client_for):
    postgresql_only("the job thread writes while the test holds the in-memory SQLite database")
    gate.phase_note = "正在写入数据"
    client = client_for(world.office)
    client.post(reverse("ledger:import"), {"file": workbook(activities(3))})
    assert jobs.wait_idle(60)
    preview = ImportJob.objects.get()
    response = client.post(reverse("ledger:import_confirm", args=[preview.pk]))
    write = ImportJob.objects.get(preview=preview)
    assert response["Location"] == reverse("ledger:import_job", args=[write.pk])
    assert gate.reached.wait(60)
    assert status(client, write)["status"] == "running" and Activity.objects.count() == 0
    gate.go.set()
    assert jobs.wait_idle(60)
    write.refresh_from_db()
    assert write.result["applied"] and Activity.objects.count() == 3
    assert upload_open(write.token, write.sha256) is None  # the file is let go once written


def test_a_job_that_breaks_writes_nothing_and_says_so(world, client_for, monkeypatch, django_capture_on_commit_callbacks):
    from portal.ledger import importer

    client = client_for(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import"), {"file": workbook(TALKS)})
    preview = ImportJob.objects.get()
    real = importer.Writer.create

    def fail_on_talks(self, model, objs):
        if model is Talk:
            raise RuntimeError("disk full")
        return real(self, model, objs)

    monkeypatch.setattr(importer.Writer, "create", fail_on_talks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import_confirm", args=[preview.pk]))
    write = ImportJob.objects.get(preview=preview)
    assert write.status == "failed" and "未写入任何数据" in write.error
    assert Talk.objects.count() == 0 and not Person.objects.filter(name="甲").exists()
    page = client.get(reverse("ledger:import_job", args=[write.pk])).content.decode()
    assert "未写入任何数据" in page and "失败" in page


def test_a_job_runs_once_however_often_it_is_dispatched(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import"), {"file": workbook(activities(2))})
    preview = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import_confirm", args=[preview.pk]))
    write = ImportJob.objects.get(preview=preview)
    assert services.import_run(job_id=write.pk) is None and services.import_run(job_id=preview.pk) is None
    assert Activity.objects.count() == 2
    write.refresh_from_db()
    assert write.attempts == 1


def test_stale_jobs_are_handed_over_or_failed(world, settings):
    import datetime

    from django.utils import timezone

    from portal.tasks import requeue_stale_imports

    token, sha256 = upload_store(workbook(activities(1)))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    fields = {"committee": world.committee, "started_by": world.office, "reason": "台账导入", "filename": "a.xlsx"}
    left = ImportJob.objects.create(dry_run=True, token=token, sha256=sha256, **fields)
    lost = ImportJob.objects.create(dry_run=False, token="lost", sha256="0" * 64, status="running", started_at=long_ago, **fields)
    ImportJob.objects.filter(pk=left.pk).update(created_at=long_ago)
    assert requeue_stale_imports() == 1
    left.refresh_from_db()
    lost.refresh_from_db()
    assert left.status == "done" and left.result["ok"]
    assert lost.status == "failed" and "导入中断" in lost.error


def test_a_real_worker_on_redis_runs_the_preview_and_the_write(world, client_for, settings, tmp_path):
    from tests.security.processes import RedisServer, Worker, celery_redis, database_url, wait_until

    redis = RedisServer().start()
    worker = Worker(redis.url, database_url(), str(settings.MEDIA_ROOT), str(tmp_path))
    try:
        worker.start()
        with celery_redis(redis.url):
            client = client_for(world.office)
            rows = [["月份", "支部", "活跃率", "日人均积分"], ["2021-01", None, 98, 45], ["2021-02", None, 99, 46]]
            response = client.post(reverse("study:appstat_upload"), {"file": workbook({"学习强国": rows})})
            preview = ImportJob.objects.get()
            assert response["Location"] == reverse("study:appstat_upload_job", args=[preview.pk])
            state = lambda job: ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)  # noqa: E731
            wait_until(lambda: state(preview) == "done", 60, interval=0.2, what="the preview")
            page = client.get(reverse("study:appstat_upload_job", args=[preview.pk]))
            assert "预览：新增 2 条" in page.content.decode() and not StudyAppStat.objects.exists()
            client.post(reverse("study:appstat_upload_confirm", args=[preview.pk]))
            write = ImportJob.objects.get(preview=preview)
            wait_until(lambda: state(write) == "done", 60, interval=0.2, what="the write")
        assert StudyAppStat.objects.filter(committee=world.committee).count() == 2
        # After confirming a 2021 upload the office lands on the 2021 list (issue 14 item 1).
        landing = client.get(reverse("study:appstat_upload_job", args=[write.pk]))
        assert landing["Location"] == reverse("study:appstat_list") + "?year=2021"
        assert b"run_import" in worker.log.read_bytes()
    finally:
        worker.stop()
        redis.stop()
