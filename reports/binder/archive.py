"""Write the evidence binder of a committee and year as one zip.

``目录.pdf`` (the index: items, points and scores, the records behind each
and the path of every attachment inside the zip; sealed and registered like
every PDF the portal issues), a folder per item with the attachment files,
the annual report PDF (the latest good build, else built now) and the ledger
workbook of the year. Files are streamed into the zip, never read whole into
memory; the planned size is checked against ``PORTAL_BINDER_MAX_BYTES``
before anything is written.
"""

from __future__ import annotations

import logging
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import IssuedDocument

from .. import renderers, selectors, services
from ..models import ReportBuild
from .index import INDEX_NAME, issue_index
from .plan import PlannedFile, PlannedItem, plan_binder, planned_size, safe_file_name

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is being done)
CHUNK = 1024 * 1024


class BinderRefused(Exception):
    """The binder cannot be made; the message says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class BinderResult:
    items: int
    records: int
    files: int
    size: int  # bytes of the files put in the zip (before the zip's own overhead)
    document: IssuedDocument  # the index's entry in the register of issued files
    steps: int  # what progress counted: the report, each item, the ledger, the index


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise BinderRefused(_("佐证材料包约 %(size)s，超过上限 %(limit)s，未生成。请精简附件或请管理员调整上限。")
                            % {"size": filesizeformat(size), "limit": filesizeformat(limit)})


def report_build(committee, year: int, user=None) -> ReportBuild:
    """The year's latest good report build, or a new one built now (we are in a job or a command)."""
    report = services.report_for_year(committee=committee, year=year, user=user)
    good = selectors.last_good_build(report)
    if good is not None:
        return good
    build = services.build_create(report=report, user=user)
    try:
        done = services.build_run(build_id=build.pk)
    except Exception as exc:
        services.build_fail(build_id=build.pk, error=services.error_text(exc))
        raise BinderRefused(_("年度报告生成失败：%(error)s") % {"error": services.error_text(exc)}) from exc
    if done is None:
        raise BinderRefused(ReportBuild.objects.get(pk=build.pk).error or _("年度报告生成失败。"))
    return done


def _entry(path: str, moment=None) -> zipfile.ZipInfo:
    """A zip entry dated (local time) when its file was made: the upload, else now."""
    return zipfile.ZipInfo(path, date_time=timezone.localtime(moment or timezone.now()).timetuple()[:6])


def _copy(zf: zipfile.ZipFile, source, entry: zipfile.ZipInfo) -> None:
    # Attachments and the report are PDFs, images and Office files, compressed already.
    with zf.open(entry, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, CHUNK)


def _copy_attachment(zf: zipfile.ZipFile, planned: PlannedFile) -> None:
    if planned.written:
        return
    try:
        with planned.attachment.file.open("rb") as source:
            _copy(zf, source, _entry(planned.path, planned.attachment.created_at))
    except FileNotFoundError:
        logger.error("binder: attachment %s has no file in storage", planned.attachment.pk)
        return
    planned.written = True


def build_binder(committee, year: int, out_file, progress: Progress | None = None, *, user=None,
                 limit: int | None = None) -> BinderResult:
    """Write the binder to ``out_file`` (a path or a binary file); BinderRefused when it cannot be made."""
    limit = settings.PORTAL_BINDER_MAX_BYTES if limit is None else limit
    planned = plan_binder(committee, year)
    steps = len(planned) + 3  # the report, each item, the ledger, the index
    step = progress or (lambda done, total, note: None)
    size = planned_size(planned)
    check_size(size, limit)  # before the report is built for nothing
    step(0, steps, _("正在准备年度报告"))
    build = report_build(committee, year, user)
    ledger = renderers.render_ledger(committee, year)
    size += build.pdf_file.size + len(ledger)
    check_size(size, limit)
    report_name = safe_file_name(f"{year}年{build.report.title or _('年度报告')}.pdf")
    ledger_name = safe_file_name(renderers.ledger_filename(committee, year))
    with zipfile.ZipFile(out_file, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        with build.pdf_file.open("rb") as source:
            _copy(zf, source, _entry(report_name, build.finished_at))
        for done, item in enumerate(planned, start=1):
            zf.writestr(_entry(item.folder + "/"), b"")  # every item has its folder, empty or not
            step(done, steps, _("正在收入第 %(n)s/%(total)s 项：%(title)s")
                 % {"n": done, "total": len(planned), "title": item.item.title[:40]})
            for planned_file in item.files:
                _copy_attachment(zf, planned_file)
        step(len(planned) + 1, steps, _("正在写入台账工作簿"))
        zf.writestr(_entry(ledger_name), ledger)
        step(len(planned) + 2, steps, _("正在生成目录"))
        files = {"report": report_name, "report_build": build, "ledger": ledger_name}
        document, pdf = issue_index(committee, year, planned, files, user=user)
        zf.writestr(_entry(INDEX_NAME), pdf, zipfile.ZIP_DEFLATED)
    step(steps, steps, _("已完成"))
    return summary(planned, document, size + len(pdf), steps)


def summary(planned: list[PlannedItem], document: IssuedDocument, size: int, steps: int) -> BinderResult:
    return BinderResult(
        items=len(planned),
        records=sum(len(item.records) for item in planned),
        files=sum(1 for item in planned for f in item.files if f.written),
        size=size,
        document=document,
        steps=steps,
    )
