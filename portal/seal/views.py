"""The verify pages (any logged-in user) and the seal's history (the office).

The per-code page needs a login like every page of the portal: what it shows
(which branch, who signed when) is internal, the portal is intranet-only, and
anyone outside it can still check a PDF offline against the exported
certificate. A scanned QR code leads through the login page to it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..chains import chain_check
from ..rules import require
from ..models import IssuedDocument, SealCertificate, SealEvent
from .forms import VerifyCodeForm, VerifyUploadForm
from .issuing import REGISTER_CHAIN, describe, normalise_code
from .keys import EVENT_CHAIN, installation_certificates
from .verify import document_for_code, verify_pdf_bytes

RECENT_ISSUED = 50


def _verdict(form: VerifyUploadForm):
    return verify_pdf_bytes(form.cleaned_data["pdf"].read())


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    request.actor.committee  # noqa: B018 - users without a committee get the usual page
    code_form = VerifyCodeForm(request.GET if "code" in request.GET else None)
    if code_form.is_bound and code_form.is_valid():
        code = normalise_code(code_form.cleaned_data["code"])
        if code is not None:
            return redirect("verify_code", code=code)
        code_form.add_error("code", _("校验码应为 12 位字母和数字。"))
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verdict = _verdict(form) if request.method == "POST" and form.is_valid() else None
    context = {"form": form, "code_form": code_form, "verdict": verdict, "has_certificates": _has_certificates()}
    return render(request, "portal/verify.html", context)


@login_required
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    request.actor.committee  # noqa: B018
    canonical = normalise_code(code)
    if canonical is not None and canonical != code:
        return redirect("verify_code", code=canonical)
    document = document_for_code(canonical) if canonical else None
    if document is None:
        return render(request, "portal/verify_code.html", {"code": code, "document": None}, status=404)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verdict, mismatch = None, False
    if request.method == "POST" and form.is_valid():
        verdict = _verdict(form)
        mismatch = verdict.accepted and verdict.document.pk != document.pk
    context = {
        "code": canonical,
        "document": document,
        "description": describe(document),
        "form": form,
        "verdict": verdict,
        "mismatch": mismatch,
    }
    return render(request, "portal/verify_code.html", context)


def _has_certificates() -> bool:
    return SealCertificate.objects.exists()


@login_required
@require_GET
def seal_certificate(request: HttpRequest) -> HttpResponse:
    """Every certificate this installation sealed with (public), to trust in a PDF reader."""
    request.actor.committee  # noqa: B018
    rows = installation_certificates()
    if not rows:
        return render(request, "404.html", status=404)
    response = HttpResponse("".join(row.certificate_pem for row in rows), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="portal-seal-certificates.pem"'
    return response


@login_required
@require_GET
def seal_history(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "portal.seal_history")
    issued = IssuedDocument.objects.filter(committee=actor.committee, issued_at__isnull=False)
    context = {
        "certificates": SealCertificate.objects.all(),
        "events": SealEvent.objects.select_related("certificate"),
        "chains": [chain_check(EVENT_CHAIN), chain_check(REGISTER_CHAIN)],
        "issued": issued.order_by("-issued_at")[:RECENT_ISSUED],
        "issued_count": issued.count(),
    }
    return render(request, "portal/seal_history.html", context)
