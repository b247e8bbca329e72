"""Reads of the reports app: the report of a year, its builds, who may see what."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.rules import allowed, require

from .compiler import STAFF_FIELDS, compile_report
from .models import AnnualReport, ReportBuild


def report_of_year(committee, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(committee=committee, year=year).first()


def reports_of(committee) -> list[AnnualReport]:
    return list(AnnualReport.objects.filter(committee=committee).order_by("-year"))


def staff_text(report: AnnualReport | None) -> dict:
    if report is None:
        return {}
    return {**{f: getattr(report, f) for f in STAFF_FIELDS}, "title": report.title, "status": report.status,
            "issued_on": report.issued_on}


def report_context(committee, year: int, report: AnnualReport | None = None) -> dict:
    return compile_report(committee, year, staff_text(report))


def may_build(actor: Actor) -> bool:
    return allowed(actor, "reports.build")


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
