"""Building the binder in the background (portal.jobs), its state in a BinderBuild row.

``binder_request`` joins the build of the committee and year that is queued
or running, else queues a new one; the task (``reports.tasks.build_binder``,
taking the committee id, the year and the requesting user's id) claims the
queued row with one conditional UPDATE, so a message delivered twice builds
once. A failed build keeps no file and leaves the last good binder in place;
a good one replaces the previous good file (binders are large).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile
from functools import partial

from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import jobs
from portal.models import Committee

from ..models import BinderBuild
from .archive import BinderRefused, BinderResult, build_binder

logger = logging.getLogger(__name__)

TASK = "reports.tasks.build_binder"
# Copying a few GB of attachments and building the report on two shared cores.
SOFT_TIME_LIMIT = 30 * 60
TIME_LIMIT = 35 * 60
STALE_RUNNING = datetime.timedelta(seconds=TIME_LIMIT + 60)
STALE_QUEUED = datetime.timedelta(minutes=10)
QUEUE_DOWN_NOTE = "后台任务服务暂时无法连接，已排队，服务恢复后将自动开始。"
CHUNK = 1024 * 1024


def _active(committee_id: int, year: int):
    now = timezone.now()
    return BinderBuild.objects.filter(committee_id=committee_id, year=year).filter(
        Q(status=BinderBuild.Status.QUEUED) | Q(status=BinderBuild.Status.RUNNING, started_at__gte=now - STALE_RUNNING)
    )


@transaction.atomic
def binder_request(*, committee: Committee, year: int, user) -> tuple[BinderBuild, bool]:
    """Ask for a binder; (build, created). A queued or running build is joined."""
    Committee.objects.select_for_update().filter(pk=committee.pk).first()  # serialise concurrent clicks
    active = _active(committee.pk, year).order_by("-requested_at", "-id").first()
    if active is not None:
        return active, False
    build = BinderBuild.objects.create(committee=committee, year=year, requested_by=user)
    transaction.on_commit(partial(binder_enqueue, build_id=build.pk))
    return build, True


def binder_enqueue(*, build_id: int) -> bool:
    """Hand the build to the job runner; when Redis is down it stays queued with a note
    and the sweep (``requeue_stale_binders``) hands it over later."""
    build = BinderBuild.objects.filter(pk=build_id, status=BinderBuild.Status.QUEUED).first()
    if build is None:
        return True
    if jobs.dispatch(TASK, build.committee_id, build.year, build.requested_by_id or 0):
        BinderBuild.objects.filter(pk=build_id, note=QUEUE_DOWN_NOTE).update(note="")
        return True
    BinderBuild.objects.filter(pk=build_id, status=BinderBuild.Status.QUEUED).update(note=QUEUE_DOWN_NOTE)
    return False


def binder_claim(*, committee_id: int, year: int) -> int | None:
    """Move the queued build of the committee and year (or one whose worker died) to
    running; its id, or None when there is none (a duplicate message)."""
    now = timezone.now()
    candidate = BinderBuild.objects.filter(committee_id=committee_id, year=year).filter(
        Q(status=BinderBuild.Status.QUEUED) | Q(status=BinderBuild.Status.RUNNING, started_at__lt=now - STALE_RUNNING)
    ).order_by("requested_at", "id").values_list("pk", flat=True).first()
    if candidate is None:
        return None
    claimed = BinderBuild.objects.filter(pk=candidate).filter(
        Q(status=BinderBuild.Status.QUEUED) | Q(status=BinderBuild.Status.RUNNING, started_at__lt=now - STALE_RUNNING)
    ).update(status=BinderBuild.Status.RUNNING, started_at=now, progress=1, note="", error="",
             attempts=F("attempts") + 1)
    return candidate if claimed else None


def _progress(build_id: int, done: int, total: int, note: str) -> None:
    note = _("%(note)s（已完成 %(done)s/%(total)s 步）") % {"note": note, "done": done, "total": total}
    BinderBuild.objects.filter(pk=build_id, status=BinderBuild.Status.RUNNING).update(
        items_done=done, items_total=total, progress=max(1, min(99, done * 100 // max(total, 1))), note=note[:100]
    )


def binder_run(*, committee_id: int, year: int) -> BinderBuild | None:
    """Build the claimed binder into a temporary file, then into storage (the task calls this)."""
    build_id = binder_claim(committee_id=committee_id, year=year)
    if build_id is None:
        return None
    build = BinderBuild.objects.select_related("committee", "requested_by").get(pk=build_id)
    with tempfile.TemporaryFile(suffix=".zip") as out:
        try:
            result = build_binder(build.committee, year, out, user=build.requested_by,
                                  progress=partial(_progress, build_id))
        except BinderRefused as exc:
            binder_fail(build_id=build_id, error=exc.message)
            return None
        out.seek(0)
        return binder_store(build=build, out=out, result=result)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def binder_store(*, build: BinderBuild, out, result: BinderResult) -> BinderBuild:
    """Keep the zip as the new good binder; the previous good one's file is deleted."""
    build.sha256 = _sha256(out)
    build.file.save(f"{build.committee.slug}-{build.year}-binder-{build.pk}.zip", File(out), save=False)
    build.size = build.file.size
    build.issued = result.document
    build.status, build.progress, build.note, build.error = BinderBuild.Status.DONE, 100, "", ""
    build.items_done = build.items_total = result.steps
    build.finished_at = timezone.now()
    build.save()
    older = BinderBuild.objects.filter(committee_id=build.committee_id, year=build.year,
                                       status=BinderBuild.Status.DONE).exclude(pk=build.pk).exclude(file="")
    for old in older:
        old.file.delete(save=False)
        BinderBuild.objects.filter(pk=old.pk).update(file="")
    logger.info("binder %s of %s %s: %s bytes", build.pk, build.committee.slug, build.year, build.size)
    return build


def binder_fail(*, build_id: int, error: str) -> None:
    BinderBuild.objects.filter(pk=build_id).exclude(status=BinderBuild.Status.DONE).update(
        status=BinderBuild.Status.FAILED, error=error[:2000], note="", finished_at=timezone.now()
    )


def binder_requeue(*, committee_id: int, year: int) -> None:
    """A redelivered message (its worker died): the running build goes back to the queue."""
    BinderBuild.objects.filter(committee_id=committee_id, year=year, status=BinderBuild.Status.RUNNING).update(
        status=BinderBuild.Status.QUEUED, progress=0
    )


def running_build_id(*, committee_id: int, year: int) -> int | None:
    return BinderBuild.objects.filter(committee_id=committee_id, year=year,
                                      status=BinderBuild.Status.RUNNING).values_list("pk", flat=True).first()


def stale_binders() -> list[int]:
    """Builds still queued long after they were asked for (the broker was down, a message lost)."""
    cutoff = timezone.now() - STALE_QUEUED
    return list(BinderBuild.objects.filter(status=BinderBuild.Status.QUEUED, requested_at__lt=cutoff)
                .values_list("pk", flat=True))


def error_text(exc: BaseException) -> str:
    return _("生成失败：{kind}: {message}").format(kind=type(exc).__name__, message=str(exc)[:500])
