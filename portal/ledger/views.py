"""Ledger pages: import (office only: upload → preview → confirm), export
(office and leaders) and the empty template workbook."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.rules import allowed, require
from portal.years import parse_year, selected_year, year_choices

from . import files
from .exporter import CONTENT_TYPE, ledger_export, ledger_filename, ledger_template
from .forms import LedgerUploadForm
from .importer import ledger_import
from .sheets import ledger_sheets
from .uploads import upload_discard, upload_name, upload_open, upload_store

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


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    actor = request.actor
    require(actor, "ledger.import")
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, **_bounds()}
    if request.method == "POST" and form.is_valid():
        token = upload_store(request, form.cleaned_data["file"])
        handle = upload_open(request, token)
        with handle:
            result = ledger_import(committee_slug=actor.committee.slug, file=handle, dry_run=True, actor_user=request.user)
        if not result.ok:
            upload_discard(request, token)
            token = ""
        context.update(result=result, token=token, filename=form.cleaned_data["file"].name)
    return render(request, "ledger/import.html", context)


@login_required
@require_POST
def import_confirm(request):
    actor = request.actor
    require(actor, "ledger.import")
    token = request.POST.get("token", "")
    handle = upload_open(request, token)
    if handle is None:
        messages.error(request, _("上传的文件已失效或已被改动，请重新上传。"))
        return redirect("ledger:import")
    with handle:
        result = ledger_import(committee_slug=actor.committee.slug, file=handle, dry_run=False, actor_user=request.user)
    if not result.applied:
        filename = upload_name(request, token)
        upload_discard(request, token)
        context = {"form": LedgerUploadForm(), "result": result, "token": "", "filename": filename, **_bounds()}
        return render(request, "ledger/import.html", context)
    upload_discard(request, token)
    return render(request, "ledger/imported.html", {"result": result})


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
