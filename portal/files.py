"""Uploaded files are private: they are sent only after the same scope check
as the record they belong to (never from a public media URL)."""

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import FileResponse, Http404

from .access import get_readable, record_model_or_404
from .models import Attachment


@login_required
def file_download(request, label: str, pk: int, field: str):
    model = record_model_or_404(label)
    if model is Attachment:
        raise Http404  # read through its record's scope only (portal.attachments.views)
    try:
        file_field = model._meta.get_field(field)
    except Exception:
        raise Http404 from None
    if not isinstance(file_field, models.FileField):
        raise Http404
    obj = get_readable(request.actor, model.objects.all(), pk)
    stored = getattr(obj, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])
