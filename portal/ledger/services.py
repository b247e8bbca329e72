"""Workbook imports as background jobs: the web ledger import and the one-sheet
uploads (学习强国) never run the engine inside a request.

``import_start`` keeps the upload and queues a preview (a dry run);
``import_confirm`` queues the write of a preview that was accepted; the task
(``portal.tasks.run_import``) calls ``import_run``, which claims the job's row
with one conditional UPDATE (a job dispatched twice runs once), runs the
engine with progress written to the row and stores a summary of the result.
The caller checks who may import; a job is read only by the user who started
it, in its committee (``portal.ledger.views.job_of``).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import jobs
from portal.access import Actor
from portal.models import ImportJob

from .importer import CHANGE_REASON, ImportResult, ledger_import
from .uploads import upload_discard, upload_open, upload_store

TASK = "portal.tasks.run_import"
LISTED = 500  # errors (and rows of a one-sheet preview) a job keeps to show
# Celery's limits for one import; a job still running after them was lost.
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = 25 * 60
STALE_MINUTES = 10


class Refused(Exception):
    """The import cannot go on; ``message`` is shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def import_start(*, actor: Actor, upload, sheet: str = "", reason: str = CHANGE_REASON) -> ImportJob:
    """Keep the uploaded workbook and queue its preview."""
    token, sha256 = upload_store(upload)
    job = ImportJob.objects.create(
        committee=actor.committee, started_by=actor.user, sheet=sheet, reason=reason, dry_run=True,
        token=token, sha256=sha256, filename=upload.name[:255],
    )
    jobs.enqueue(TASK, job.pk)
    return job


@transaction.atomic
def import_confirm(*, actor: Actor, preview: ImportJob) -> ImportJob:
    """Queue the write of an accepted preview, once; the file must be the one previewed."""
    preview = ImportJob.objects.select_for_update().get(pk=preview.pk)
    if not (preview.dry_run and preview.ok) or preview.started_by_id != actor.user.pk:
        raise Refused(_("只能确认本人试导入且没有错误的文件。"))
    if preview.confirmations.exists():
        raise Refused(_("该文件已经确认导入过，不会重复写入。"))
    handle = upload_open(preview.token, preview.sha256)
    if handle is None:
        raise Refused(_("上传的文件已失效或已被改动，请重新上传。"))
    handle.close()
    job = ImportJob.objects.create(
        committee=preview.committee, started_by=actor.user, sheet=preview.sheet, reason=preview.reason, dry_run=False,
        preview=preview, token=preview.token, sha256=preview.sha256, filename=preview.filename,
    )
    jobs.enqueue(TASK, job.pk)
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job (the task calls this); None when it was not queued."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), progress=1, error="", attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("committee", "started_by").get(pk=job_id)
    handle = upload_open(job.token, job.sha256)
    if handle is None:
        result = ImportResult(committee_slug=job.committee.slug, dry_run=job.dry_run)
        result.refused = _("上传的文件已失效或已被改动，请重新上传。")
    else:
        with handle:
            result = ledger_import(
                committee_slug=job.committee.slug, file=handle, dry_run=job.dry_run, actor_user=job.started_by,
                only=job.sheet or None, reason=job.reason, progress=lambda percent, note: _progress(job_id, percent, note),
            )
    job.result = summary(result, job.sheet)
    job.status, job.progress, job.note, job.finished_at = ImportJob.Status.DONE, 100, "", timezone.now()
    job.save(update_fields=["result", "status", "progress", "note", "finished_at"])
    if not (job.dry_run and result.ok):  # a preview that may be confirmed keeps its file
        upload_discard(job.token)
    return job


def _progress(job_id: int, percent: int, note: str) -> None:
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(progress=percent, note=note)


def summary(result: ImportResult, sheet: str = "") -> dict:
    """What the job pages show of a result, as JSON: counts, the first errors
    (sheet/row/column/reason), and the rows of a one-sheet upload."""
    rows = result.rows.get(sheet, []) if sheet else []
    return {
        "ok": result.ok,
        "applied": result.applied,
        "refused": result.refused,
        "committee_created": result.committee_created,
        "year": result.year,
        "sheets": [asdict(counts) for counts in result.sheets],
        "errors": [{**asdict(error), "text": str(error)} for error in result.errors[:LISTED]],
        "error_count": len(result.errors),
        "rows": [
            {"number": row.number, "values": row.values, "action": row.action, "action_label": row.action_label}
            for row in rows[:LISTED]
        ],
        "row_count": len(rows),
    }


def import_fail(*, job_id: int, error: str) -> None:
    """A job that broke (not a refused workbook: that is a result): nothing was
    written (the engine writes in one transaction); the file is let go."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, error=error, note="", finished_at=timezone.now())
    upload_discard(job.token)


def import_requeue(*, job_id: int) -> bool:
    """Back to the queue, to be claimed once more: after a database blip, or
    when its message comes again because its worker died mid-run (acks_late)."""
    return bool(
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(status=ImportJob.Status.QUEUED, progress=0)
    )


def stale_imports(*, minutes: int = STALE_MINUTES) -> tuple[list[int], list[int]]:
    """Jobs still queued after ``minutes`` (their process stopped, or the broker
    lost the message), and jobs running past the time limit (their worker died)."""
    now = timezone.now()
    queued = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=now - datetime.timedelta(minutes=minutes))
    lost = ImportJob.objects.filter(
        Q(started_at__lt=now - datetime.timedelta(seconds=TIME_LIMIT)) | Q(started_at__isnull=True),
        status=ImportJob.Status.RUNNING,
    )
    return list(queued.values_list("pk", flat=True)), list(lost.values_list("pk", flat=True))
