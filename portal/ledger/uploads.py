"""Uploaded workbooks kept for the import jobs that read them.

The file is stored under ``MEDIA_ROOT/ledger-tmp/`` under a random token; the
job row (portal.models.ImportJob) keeps the token, the file's SHA-256 and who
uploaded it, so only the uploader's jobs open it, and a file that changed
since its preview is refused. The job that no longer needs the file removes
it; files older than a day are removed whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 3600


def _directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / "ledger-tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(token: str) -> Path:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        raise ValueError("bad upload token")
    return _directory() / f"{token}.xlsx"


def _sweep(directory: Path) -> None:
    cutoff = time.time() - MAX_AGE
    for old in directory.glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:  # removed by a concurrent request
            pass


def upload_store(upload) -> tuple[str, str]:
    """Keep the upload; returns its token and SHA-256."""
    directory = _directory()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256()
    with open(directory / f"{token}.xlsx", "xb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    return token, digest.hexdigest()


def upload_open(token: str, sha256: str):
    """The stored file, unchanged since it was stored; else None."""
    try:
        handle = open(_path(token), "rb")
    except (OSError, ValueError):
        return None
    if hashlib.file_digest(handle, "sha256").hexdigest() != sha256:
        handle.close()
        return None
    handle.seek(0)
    return handle


def upload_discard(token: str) -> None:
    try:
        _path(token).unlink()
    except (OSError, ValueError):
        pass
