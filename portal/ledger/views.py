"""Ledger pages: import (office only: upload → preview → confirm, each step a
background job whose page shows its progress), export (office and leaders)
and the empty template workbook.

``job_of`` and ``job_status`` also serve the one-sheet uploads (学习强国)."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.models import ImportJob
from portal.rules import allowed, require
from portal.years import parse_year, remember_year, selected_year, year_choices

from . import files, services
from .exporter import CONTENT_TYPE, ledger_export, ledger_filename, ledger_template
from .forms import LedgerUploadForm
from .sheets import ledger_sheets


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _bounds() -> dict:
    return {
        "max_upload": filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES),
        "max_uncompressed": filesizeformat(files.MAX_UNCOMPRESSED),
        "max_rows": files.MAX_ROWS,
        "sheets": ledger_sheets(),
    }


# -- import jobs (shared with the one-sheet uploads) ---------------------------------------


def job_of(request, pk, *, sheet: str = "") -> ImportJob:
    """The import job if the user started it, in their committee; 404 otherwise."""
    try:
        return ImportJob.objects.get(pk=int(pk), sheet=sheet, committee=request.actor.committee, started_by=request.user)
    except (ValueError, TypeError, ImportJob.DoesNotExist):
        raise Http404 from None


def job_status(job: ImportJob, page_url: str) -> JsonResponse:
    """The job's state in the shape static/js/jobs.js polls (portal.jobs); once
    done, its page is opened again to show the result."""
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "note": job.note,
            "error": job.error,
            "next_url": page_url if job.status == ImportJob.Status.DONE else None,
        }
    )


def confirm_job(request, preview: ImportJob, page: str, confirm=services.import_confirm):
    """POST of a preview's 确认导入 (``confirm`` queues the write): the write
    job's page, or the preview's page with the reason."""
    try:
        job = confirm(actor=request.actor, preview=preview)
    except services.Refused as exc:
        messages.error(request, exc.message)
        return redirect(page, preview.pk)
    return redirect(page, job.pk)


# -- the ledger import ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    actor = request.actor
    require(actor, "ledger.import")
    posted = request.method == "POST"
    form = LedgerUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        job = services.import_start(actor=actor, upload=form.cleaned_data["file"])
        return redirect("ledger:import_job", job.pk)
    return render(request, "ledger/import.html", {"form": form, **_bounds()})


@login_required
@require_GET
def import_job(request, pk):
    """A preview or a write: its progress while it runs, then its result; after
    a write, the portal shows the year that was imported."""
    require(request.actor, "ledger.import")
    job = job_of(request, pk)
    result = job.result
    if job.status == ImportJob.Status.DONE and result.get("applied") and result.get("year"):
        remember_year(request, result["year"])
    context = {"job": job, "result": result, "form": LedgerUploadForm(), **_bounds()}
    return render(request, "ledger/import_job.html", context)


@login_required
@require_GET
def import_job_status(request, pk):
    require(request.actor, "ledger.import")
    job = job_of(request, pk)
    return job_status(job, page_url=reverse("ledger:import_job", args=[job.pk]))


@login_required
@require_POST
def import_confirm(request, pk):
    require(request.actor, "ledger.import")
    return confirm_job(request, job_of(request, pk), "ledger:import_job")


@login_required
@require_GET
def export_page(request):
    actor = request.actor
    require(actor, "ledger.export")
    year = selected_year(request)
    return render(request, "ledger/export.html", {"year": year, "years": year_choices(year), "sheets": ledger_sheets()})


@login_required
@require_GET
def export_download(request):
    actor = request.actor
    require(actor, "ledger.export")
    year = parse_year(request.GET.get("year"))
    data = ledger_export(committee=actor.committee, year=year, include_summaries=allowed(actor, "ledger.export_summaries"))
    return _xlsx(data, ledger_filename(actor.committee, year))


@login_required
@require_GET
def template_download(request):
    require(request.actor, "ledger.import")
    return _xlsx(ledger_template(), ledger_filename(request.actor.committee, None))
