"""Writes of the reports app: the staff text of a report and its builds.

A build's state lives in its ReportBuild row (queued → running → done/failed,
progress, error, files), so a retry, a redelivered message or a second click
is always safe: a second request joins the build that is queued or running,
and the task claims a build with one conditional UPDATE.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import jobs
from portal.chains import chain_append, model_content
from portal.seal.issuing import issue_pdf, issuer_name

from . import frozen, renderers
from .compiler import compile_report, default_intro, default_title
from .models import AnnualReport, ReportBuild, ReportFreeze
from .selectors import build_description, report_context, staff_text, standing_freeze

logger = logging.getLogger(__name__)

# WeasyPrint needs ~3 s for the demo year and ~20-40 s at ten times its volume
# on two shared cores (docs/performance.md); the limits leave room above that.
SOFT_TIME_LIMIT = getattr(settings, "REPORT_BUILD_SOFT_TIME_LIMIT", 300)
TIME_LIMIT = getattr(settings, "REPORT_BUILD_TIME_LIMIT", 360)
# A build "running" for longer than the hard limit lost its worker.
STALE_RUNNING = datetime.timedelta(seconds=TIME_LIMIT + 60)
BUILD_TASK = "reports.tasks.build_report"
QUEUE_DOWN_NOTE = "后台任务服务暂时无法连接，生成请求已排队，服务恢复后将自动开始。"
FREEZE_CHAIN = "reports.report_freezes"
BUILD_CHAIN = "reports.report_builds"
BUILD_KIND = "reports.build"  # the register's name for a report PDF (its describer: reports.selectors)
REASON_MAX = 500


class ReportStateError(Exception):
    """The report's state does not allow this (the message says why, in Chinese)."""


@transaction.atomic
def report_for_year(*, committee, year: int, user=None) -> AnnualReport:
    """The committee's report of the year, created with the default title and opening."""
    report = AnnualReport.objects.select_for_update().filter(committee=committee, year=year).first()
    if report is None:
        report = AnnualReport.objects.create(
            committee=committee,
            year=year,
            title=default_title(committee),
            intro=default_intro(committee, year),
            created_by=user,
        )
    return report


@transaction.atomic
def report_update(*, report: AnnualReport, data: dict, user=None) -> AnnualReport:
    """Save the office's text of a draft; a final report's text is frozen with it."""
    if report.pk is not None and AnnualReport.objects.filter(pk=report.pk, status=AnnualReport.Status.FINAL).exists():
        raise ReportStateError(_("该年度报告已定稿，不能修改；如需修改，请先撤销定稿（须说明原因）。"))
    for field, value in data.items():
        setattr(report, field, value)
    report.save()
    return report


def freeze_content(freeze: ReportFreeze) -> dict:
    """What the freezes' audit chain protects: everything written when the report was made final."""
    content = model_content(freeze, ["report", "content_sha256", "frozen_at"])
    content["content"] = frozen.digest(freeze.content)
    content["evidence"] = frozen.digest(freeze.evidence)
    content["snapshot"] = frozen.digest(freeze.snapshot)
    return content


@transaction.atomic
def report_finalise(*, report: AnnualReport, user=None) -> ReportFreeze:
    """Make the report final (定稿): compile it once more and freeze what it says, the
    records behind each figure and a stamp of every record it was compiled from."""
    report = AnnualReport.objects.select_for_update().select_related("committee").get(pk=report.pk)
    if standing_freeze(report) is not None:
        raise ReportStateError(_("该年度报告已经定稿。"))
    report.status = AnnualReport.Status.FINAL
    committee, year = report.committee, report.year
    context = compile_report(committee, year, staff_text(report))
    content = frozen.encode(context)
    evidence = frozen.evidence_of(frozen.figure_keys(context), committee, year)
    freeze = ReportFreeze.objects.create(
        report=report,
        content=content,
        content_sha256=frozen.digest(content),
        evidence=evidence,
        snapshot=frozen.tracked_records(committee, year, evidence),
        frozen_by=user if getattr(user, "is_authenticated", False) else None,
    )
    chain_append(chain_key=FREEZE_CHAIN, link=freeze)
    report._change_reason = _("定稿")
    report._history_user = freeze.frozen_by
    report.save()
    logger.info("report %s (%s %s) made final by %s", report.pk, committee.slug, year, user)
    return freeze


@transaction.atomic
def report_reopen(*, report: AnnualReport, user, reason: str) -> AnnualReport:
    """Reopen a final report (撤销定稿), only with a reason: it is kept with the freeze, in the
    report's history and in the log. From now on the report follows the records again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReportStateError(_("撤销定稿须说明原因。"))
    if len(reason) > REASON_MAX:
        raise ReportStateError(_("原因不能超过 %(n)s 个字。") % {"n": REASON_MAX})
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    freeze = standing_freeze(report)
    if freeze is None and not report.is_final:
        raise ReportStateError(_("该年度报告尚未定稿。"))
    if freeze is not None:
        freeze.reopened_at = timezone.now()
        freeze.reopened_by = user
        freeze.reopen_reason = reason
        freeze.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    report.status = AnnualReport.Status.DRAFT
    # simple-history keeps at most 100 characters of a reason; the freeze keeps all of it.
    report._change_reason = (_("撤销定稿：%(reason)s") % {"reason": reason})[:100]
    report._history_user = user
    report.save()
    logger.warning("report %s (%s) reopened by %s: %s", report.pk, report.year, user, reason)
    return report


# -- builds ------------------------------------------------------------------------


@transaction.atomic
def build_request(*, report: AnnualReport, user) -> tuple[ReportBuild, bool]:
    """Ask for a build; returns (build, created). A queued or running build is
    joined; one that never reached the job runner (Redis was down) is handed
    over again, so a second click retries at once."""
    AnnualReport.objects.select_for_update().filter(pk=report.pk).first()  # serialise concurrent clicks
    now = timezone.now()
    active = report.builds.filter(
        Q(status=ReportBuild.Status.QUEUED) | Q(status=ReportBuild.Status.RUNNING, started_at__gte=now - STALE_RUNNING)
    ).order_by("-requested_at", "-id").first()
    if active is not None:
        if active.status == ReportBuild.Status.QUEUED and active.enqueued_at is None:
            transaction.on_commit(partial(build_enqueue, build_id=active.pk))
        return active, False
    build = ReportBuild.objects.create(report=report, requested_by=user)
    transaction.on_commit(partial(build_enqueue, build_id=build.pk))
    return build, True


def build_enqueue(*, build_id: int) -> bool:
    """Hand the build to the job runner (portal.jobs). When Redis is down the
    request still answers: the build stays queued with a note, and the
    periodic sweep (requeue_stale_builds) hands it over again later."""
    ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.QUEUED).update(enqueued_at=timezone.now())
    if jobs.dispatch(BUILD_TASK, build_id):
        return True
    ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.QUEUED).update(
        enqueued_at=None, error=QUEUE_DOWN_NOTE
    )
    return False


def _progress(build_id: int, percent: int) -> None:
    ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.RUNNING).update(progress=percent)


def build_claim(*, build_id: int) -> bool:
    """Move a queued (or abandoned running) build to running; False when another
    worker has it or it is finished, so a duplicate message does nothing."""
    now = timezone.now()
    return bool(
        ReportBuild.objects.filter(pk=build_id)
        .filter(Q(status=ReportBuild.Status.QUEUED) | Q(status=ReportBuild.Status.RUNNING, started_at__lt=now - STALE_RUNNING))
        .update(status=ReportBuild.Status.RUNNING, started_at=now, progress=5, error="", attempts=F("attempts") + 1)
    )


def build_run(*, build_id: int) -> ReportBuild | None:
    """Compile, render and store one build (called by the task, in a worker or a job thread)."""
    if not build_claim(build_id=build_id):
        return None
    started = time.monotonic()
    build = ReportBuild.objects.select_related("report__committee").get(pk=build_id)
    report = build.report
    # A final report renders what it said when it was made final (its freeze).
    build.freeze = standing_freeze(report)
    build.report_status = report.status
    try:
        context = report_context(report.committee, report.year, report)
    except frozen.FrozenContentAltered:
        build_fail(build_id=build_id, error=_("定稿内容校验失败：数据库中的定稿内容在定稿后被改动，不能据此生成报告，请管理员核查。"))
        return None
    _progress(build_id, 30)
    _name, _type, html = renderers.render_html(context)
    _progress(build_id, 50)
    docx = renderers.render_docx_bytes(html.decode("utf-8"))
    ledger = renderers.render_ledger(report.committee, report.year)
    _progress(build_id, 70)
    return build_store(build=build, context=context, html=html, docx=docx, ledger=ledger, started=started)


@transaction.atomic
def build_store(
    *, build: ReportBuild, context: dict, html: bytes, started: float, docx: bytes = b"", ledger: bytes = b""
) -> ReportBuild:
    """Issue the PDF (registered, stamped with its verification code and QR code, sealed),
    store it with the HTML, the Word file and the ledger workbook, and link the
    finished build into its report's audit chain."""
    report = build.report

    def render(stamp) -> bytes:
        return renderers.render_pdf_bytes(renderers.render_html_document(context, stamp=stamp))

    document, pdf = issue_pdf(
        kind=BUILD_KIND,
        obj=build,
        version=f"{build.number}-{build.report_status}",
        description=build_description(build),
        render=render,
        committee=report.committee,
        issued_by=issuer_name(build.requested_by) or _("系统（命令行）"),
    )
    stem = f"{report.committee.slug}-{report.year}-report-{build.pk}"
    build.html_file.save(f"{stem}.html", ContentFile(html), save=False)
    build.pdf_file.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    if docx:
        build.docx_file.save(f"{stem}.docx", ContentFile(docx), save=False)
    if ledger:
        build.ledger_file.save(f"{stem}-ledger.xlsx", ContentFile(ledger), save=False)
    build.html_sha256 = hashlib.sha256(html).hexdigest()
    build.pdf_sha256 = document.sha256
    build.issued = document
    build.status = ReportBuild.Status.DONE
    build.progress = 100
    build.finished_at = timezone.now()
    build.duration_ms = int((time.monotonic() - started) * 1000)
    build.error = ""
    build.save()
    chain_append(chain_key=BUILD_CHAIN, link=build)
    return build


def build_link_content(build: ReportBuild) -> dict:
    """What the builds' audit chain protects: what was built, from what, and the files."""
    return model_content(build, ["report", "number", "report_status", "freeze", "issued", "finished_at",
                                 "html_file", "html_sha256", "pdf_file", "pdf_sha256"])


@transaction.atomic
def build_create(*, report: AnnualReport, user=None) -> ReportBuild:
    """A new build of its own, for a caller that runs it at once (``build_report``)."""
    AnnualReport.objects.select_for_update().filter(pk=report.pk).first()
    return ReportBuild.objects.create(report=report, requested_by=user)


def build_release(*, build_id: int) -> None:
    """Put a build back in the queue before a retry (a transient error)."""
    ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.RUNNING).update(
        status=ReportBuild.Status.QUEUED, progress=0
    )


def build_reclaim_redelivered(*, build_id: int) -> bool:
    """Hand back a build whose worker died mid-run (added by the security helper).

    Celery redelivers a build message only after the worker running it was
    lost (acks_late + reject_on_worker_lost) or after the broker's visibility
    timeout (an hour, far above TIME_LIMIT). Either way nobody is still building
    it, so the "running" row goes back to "queued" and this delivery claims it
    at once instead of waiting for requeue_stale_builds.
    """
    return bool(
        ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.RUNNING).update(
            status=ReportBuild.Status.QUEUED, progress=0
        )
    )


def build_fail(*, build_id: int, error: str) -> None:
    ReportBuild.objects.filter(pk=build_id).exclude(status=ReportBuild.Status.DONE).update(
        status=ReportBuild.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def stale_builds(*, minutes: int) -> list[int]:
    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=minutes)
    queued = ReportBuild.objects.filter(status=ReportBuild.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True, requested_at__lt=now - datetime.timedelta(seconds=30)) | Q(enqueued_at__lt=cutoff)
    )
    running = ReportBuild.objects.filter(status=ReportBuild.Status.RUNNING, started_at__lt=now - STALE_RUNNING)
    return list(queued.values_list("pk", flat=True)) + list(running.values_list("pk", flat=True))


def error_text(exc: BaseException) -> str:
    return _("生成失败：{kind}: {message}").format(kind=type(exc).__name__, message=str(exc)[:500])
