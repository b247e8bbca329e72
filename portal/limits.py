"""Refuse an oversized request body before anything reads it.

Django bounds non-file form data (DATA_UPLOAD_MAX_MEMORY_SIZE, answered with
400), but streams uploaded files to disk whatever their size; the forms then
check each file. This middleware answers a body above the limit with a clear
413 page at once, so nothing is read or written for it. (The reverse proxy
should carry the same limit, e.g. nginx ``client_max_body_size``.)
"""

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.PORTAL_MAX_REQUEST_BYTES
        if length > limit:
            context = {"size": filesizeformat(length), "limit": filesizeformat(limit)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
