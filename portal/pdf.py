"""HTML → PDF with WeasyPrint, fetching only the portal's own files.

WeasyPrint would otherwise follow any URL in the HTML (including ``file://``
and outside hosts); the fetcher below serves static files through Django's
finders and media files from MEDIA_ROOT, allows ``data:`` URIs, and refuses
everything else, so a PDF build never touches the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://portal.internal/"


class PortalURLFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
            raise ValueError(f"blocked outside resource: {url}")
        path = unquote(parts.path)
        file_path = self._resolve(path)
        if file_path is None:
            raise ValueError(f"no such portal resource: {path}")
        mime_type = mimetypes.guess_type(str(file_path))[0] or "application/octet-stream"
        return URLFetcherResponse(url, file_path.read_bytes(), {"Content-Type": mime_type})

    @staticmethod
    def _resolve(path: str) -> Path | None:
        static_prefix = settings.STATIC_URL
        media_prefix = settings.MEDIA_URL
        if path.startswith(static_prefix):
            found = finders.find(path[len(static_prefix) :])
            return Path(found) if found else None
        if path.startswith(media_prefix):
            root = Path(settings.MEDIA_ROOT).resolve()
            candidate = (root / path[len(media_prefix) :]).resolve()
            if root in candidate.parents and candidate.is_file():
                return candidate
        return None


def render_pdf(html: str) -> bytes:
    """Render portal HTML (links like ``/static/...``) to PDF bytes."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).write_pdf()
