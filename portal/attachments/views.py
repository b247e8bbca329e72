"""The attachment pages: upload, download, remove (after a confirm page), and
the "附件（佐证材料）" section of every record page (:func:`section_context`,
rendered by ``{% attachment_section obj %}`` from ``portal.templatetags.attachments``).

Every page first reads the record through its type's own scope (404 outside
it), then asks the rules: reading (``portal.attachments.read``) and adding or
removing (``portal.attachments.change``, which is changing the record).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ..access import record_model_or_404
from ..models import Attachment, Record
from ..registry import RecordType
from ..rules import allowed
from . import selectors, services
from .forms import AttachmentForm
from .uploads import CHUNK


def record_url(record_type: RecordType, record: Record) -> str:
    """Where the record is shown: its own ``get_absolute_url``, else its type's detail page."""
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    try:
        return record_type.url("detail", record.pk)
    except NoReverseMatch:
        return reverse("dashboard")


def section_context(request: HttpRequest, record: Record) -> dict:
    """What the attachment section of a record page shows to this user."""
    actor = request.actor
    may_read = allowed(actor, "portal.attachments.read", record)
    may_change = allowed(actor, "portal.attachments.change", record)
    return {
        "record": record,
        "may_read": may_read,
        "may_change": may_change,
        "frozen": bool(getattr(record, "is_frozen", False)),
        "attachments": selectors.attachments_of([record])[record] if may_read else [],
        "form": AttachmentForm() if may_change else None,
        "add_url": reverse("attachment_add", args=[record._meta.label_lower, record.pk]),
    }


def _record(request: HttpRequest, label: str, pk: int) -> tuple[RecordType, Record]:
    record_type = selectors.record_type_or_404(record_model_or_404(label))
    return record_type, record_type.get_object(request.actor, pk)


@login_required
def attachment_add(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    actor = request.actor
    record_type, record = _record(request, label, pk)
    refusal = services.change_refusal(actor, record)
    if refusal:
        raise PermissionDenied(refusal)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                added = services.attachments_add(
                    actor=actor, record=record, uploads=form.cleaned_data["files"], note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("files", message)
            else:
                messages.success(request, _("已上传 %(count)s 个附件。") % {"count": len(added)})
                return redirect(record_url(record_type, record) + "#attachments")
    else:
        form = AttachmentForm()
    context = {
        "record_type": record_type,
        "record": record,
        "record_url": record_url(record_type, record),
        "form": form,
        "present": len(selectors.attachments_of([record])[record]),
        "limit": settings.PORTAL_ATTACHMENTS_PER_RECORD,
    }
    return render(request, "portal/attachments/add.html", context)


def _intact(attachment: Attachment, handle) -> bool:
    """The stored bytes still hash to what was recorded at upload."""
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest() == attachment.sha256


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, record = selectors.readable_attachment(request.actor, pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    if not _intact(attachment, handle):
        handle.close()
        context = {"attachment": attachment, "record": record}
        return render(request, "portal/attachments/tampered.html", context, status=409)
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.mime_type
    )


@login_required
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    attachment, record = selectors.readable_attachment(actor, pk)
    if attachment.is_deleted or record.is_deleted:
        raise Http404  # the office may read it there, but it is already out of the record
    refusal = services.change_refusal(actor, record)
    if refusal:
        raise PermissionDenied(refusal)
    record_type = selectors.record_type_or_404(type(record))
    if request.method == "POST":
        services.attachment_remove(actor=actor, attachment=attachment)
        messages.success(
            request, _("已删除附件“%(name)s”，可由党委办公室在回收站恢复。") % {"name": attachment.original_name}
        )
        return redirect(record_url(record_type, record) + "#attachments")
    context = {"attachment": attachment, "record": record, "record_url": record_url(record_type, record)}
    return render(request, "portal/attachments/confirm_remove.html", context)
