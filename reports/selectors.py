"""Reads of the reports app: the report of a year, its builds, who may see what."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.rules import allowed, require
from portal.seal.issuing import DocumentDescription, issuer_name

from . import frozen, page_cache
from .compiler import STAFF_FIELDS, compile_report
from .models import AnnualReport, ReportBuild, ReportFreeze


def report_of_year(committee, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(committee=committee, year=year).first()


def reports_of(committee) -> list[AnnualReport]:
    return list(AnnualReport.objects.filter(committee=committee).order_by("-year"))


def staff_text(report: AnnualReport | None) -> dict:
    if report is None:
        return {}
    return {**{f: getattr(report, f) for f in STAFF_FIELDS}, "title": report.title, "status": report.status,
            "issued_on": report.issued_on}


def standing_freeze(report: AnnualReport | None) -> ReportFreeze | None:
    """The content a final report was frozen with, while it stands (None for a draft)."""
    if report is None or report.pk is None:
        return None
    return report.freezes.filter(reopened_at__isnull=True).first()


def report_context(committee, year: int, report: AnnualReport | None = None) -> dict:
    """The report as it reads: a final report's frozen content, else compiled from the records."""
    freeze = standing_freeze(report)
    if freeze is not None:
        return frozen.frozen_context(freeze)
    return compile_report(committee, year, staff_text(report))


def report_page(committee, year: int, report: AnnualReport | None, request=None) -> dict:
    """What the report page shows: the report as it reads and, for a final report, when it
    was frozen and how many records behind it changed since. Cached under the data it
    was compiled from (reports.page_cache), so a repeated view costs a few queries.
    ``key`` is that key, under which the page's rendered body is kept too."""
    key = page_cache.page_key(committee, year, report, request)
    return {**page_cache.cached(key, lambda: compile_page(committee, year, report)), "key": key}


def compile_page(committee, year: int, report: AnnualReport | None) -> dict:
    freeze = standing_freeze(report)
    page = {"freeze": None, "changes": None, "altered": False}
    if freeze is not None:
        page["freeze"] = {"pk": freeze.pk, "frozen_at": freeze.frozen_at}
        try:
            return {**page, "context": frozen.frozen_context(freeze), "changes": frozen.changes_since(freeze)}
        except frozen.FrozenContentAltered:
            page["altered"] = True  # shown as such; builds refuse it (reports.services.build_run)
    return {**page, "context": compile_report(committee, year, staff_text(report))}


def freezes_of(report: AnnualReport | None) -> list[ReportFreeze]:
    """Every time the report was made final and reopened, newest first."""
    if report is None or report.pk is None:
        return []
    return list(report.freezes.select_related("frozen_by", "reopened_by").defer("content", "evidence", "snapshot"))


def may_build(actor: Actor) -> bool:
    return allowed(actor, "reports.build")


def may_download(actor: Actor) -> bool:
    """Reads the builds (status, files): also a superior committee viewing this one, read-only."""
    return allowed(actor, "reports.download")


def check_view(actor: Actor, report: AnnualReport | None) -> None:
    """Office and leaders see every report; a branch secretary sees a report once
    it is final (published), never drafts; other members see none."""
    require(actor, "reports.view", report, _("您没有权限查看该年度报告。"))


def latest_build(report: AnnualReport | None) -> ReportBuild | None:
    if report is None:
        return None
    return report.builds.order_by("-requested_at", "-id").first()


def last_good_build(report: AnnualReport | None) -> ReportBuild | None:
    """The newest finished build with a PDF: stays downloadable while a new one
    builds or after one fails."""
    if report is None:
        return None
    return (
        report.builds.filter(status=ReportBuild.Status.DONE).exclude(pdf_file="").order_by("-finished_at", "-id").first()
    )


def build_for_download(actor: Actor, pk: int) -> ReportBuild | None:
    return (
        ReportBuild.objects.select_related("report")
        .filter(pk=pk, report__committee=actor.committee, report__deleted_at__isnull=True)
        .first()
    )


def build_status(report: AnnualReport | None, year: int) -> dict:
    """The small JSON the report page polls."""
    build = latest_build(report)
    good = last_good_build(report)
    payload = {
        "year": year,
        "build_id": None,
        "status": None,
        "status_label": _("尚未生成"),
        "progress": 0,
        "error": "",
        "note": "",
        "pdf_url": reverse("reports:download", args=[good.pk, "pdf"]) if good else None,
        "html_url": reverse("reports:download", args=[good.pk, "html"]) if good and good.html_file else None,
        "docx_url": reverse("reports:download", args=[good.pk, "docx"]) if good and good.docx_file else None,
        "ledger_url": reverse("reports:download", args=[good.pk, "xlsx"]) if good and good.ledger_file else None,
        "good_finished_at": good.finished_at.isoformat() if good and good.finished_at else None,
        "good_build_id": good.pk if good else None,
    }
    if build is not None:
        payload.update(
            build_id=build.pk,
            status=build.status,
            status_label=str(build.get_status_display()),
            progress=build.progress,
            error=build.error if build.status == ReportBuild.Status.FAILED else "",
            note=build.error if build.status == ReportBuild.Status.QUEUED else "",
        )
    return payload


# -- the register of issued files: what a report PDF is ----------------------------


def build_description(build: ReportBuild) -> str:
    state = _("定稿") if build.report_status == AnnualReport.Status.FINAL else _("草稿")
    return _("%(committee)s%(year)s年度意识形态工作责任制落实情况报告（第%(n)s次生成，%(state)s）") % {
        "committee": build.report.committee.name, "year": build.report.year, "n": build.number, "state": state,
    }


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def describe_build(document) -> DocumentDescription | None:
    """What a registered report PDF is (the verify page): which report, which build, draft or
    final, and whether it is still current: not when a later build replaced it or the final
    report it printed was reopened."""
    build = (ReportBuild.objects.select_related("report__committee", "freeze", "requested_by")
             .filter(pk=int(document.object_id)).first() if document.object_id.isdigit() else None)
    if build is None:
        return None
    report, freeze = build.report, build.freeze
    details = [_("生成时间：%(when)s") % {"when": _when(build.finished_at or document.issued_at)}]
    if build.requested_by_id:
        details.append(_("申请人：%(name)s") % {"name": issuer_name(build.requested_by)})
    if freeze is not None:
        details.append(_("定稿时间：%(when)s") % {"when": _when(freeze.frozen_at)})
    later = (report.builds.filter(status=ReportBuild.Status.DONE, issued__isnull=False, number__gt=build.number or 0)
             .order_by("number").first())
    status = ""
    if later is not None:
        status = _("已被第%(n)s次生成的报告（%(when)s）取代。") % {"n": later.number, "when": _when(later.finished_at)}
    elif freeze is not None and freeze.reopened_at is not None:
        status = _("该报告已于 %(when)s 撤销定稿（原因：%(reason)s）。") % {
            "when": _when(freeze.reopened_at), "reason": freeze.reopen_reason}
    elif report.deleted_at is not None:
        status = _("该年度报告已删除。")
    return DocumentDescription(title=build_description(build), current=not status, status=status,
                               details=tuple(details), url=reverse("reports:detail", args=[report.year]))
