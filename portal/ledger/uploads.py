"""Uploaded workbooks kept between the preview and the confirmation.

The file is stored under ``MEDIA_ROOT/ledger-tmp/`` under a random token; the
token, the file's SHA-256 and the user's id live in that user's session, so
only the uploader can confirm, and a file that changed since its preview is
refused. Files older than a day are removed whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "ledger_uploads"
MAX_AGE = 24 * 3600


def _directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / "ledger-tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE
    for old in directory.glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:  # removed by a concurrent request
            pass


def upload_store(request, upload) -> str:
    """Keep the upload; returns its token."""
    directory = _directory()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256()
    with open(directory / f"{token}.xlsx", "xb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    # Forget previews whose files were swept or confirmed elsewhere.
    uploads = {t: e for t, e in request.session.get(SESSION_KEY, {}).items() if (directory / f"{t}.xlsx").exists()}
    uploads[token] = {"sha256": digest.hexdigest(), "user": request.user.pk, "name": os.path.basename(upload.name)}
    request.session[SESSION_KEY] = uploads
    return token


def upload_open(request, token: str):
    """The stored file for this user's token, unchanged since the preview; else None."""
    entry = request.session.get(SESSION_KEY, {}).get(token or "")
    if not entry or entry["user"] != request.user.pk:
        return None
    path = _directory() / f"{token}.xlsx"
    try:
        handle = open(path, "rb")
    except OSError:
        return None
    if hashlib.file_digest(handle, "sha256").hexdigest() != entry["sha256"]:
        handle.close()
        return None
    handle.seek(0)
    return handle


def upload_name(request, token: str) -> str:
    return request.session.get(SESSION_KEY, {}).get(token, {}).get("name", "")


def upload_discard(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    try:
        (_directory() / f"{token}.xlsx").unlink()
    except OSError:
        pass
