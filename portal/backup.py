"""One-file backups: the database as a portable JSON dump plus uploaded files.

The archive is a zip holding ``manifest.json`` (format, time, applied
migrations, rows per model), ``data.json`` (``dumpdata`` with natural foreign
keys, so content types and permissions need not share ids across databases)
and ``media/...``, and ``seal/seal.pem`` (the installation's generated seal,
so files sealed before a restore still verify and new ones carry the same
seal; portal.seal.keys). Primary keys are kept, so links between records, history
rows and file paths survive. A restore goes into an empty, migrated database
only: merging into live data could silently collide with existing rows.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .seal import keys as seal_keys

FORMAT = "portal-backup/1"

# Rebuilt by ``migrate`` (content types, permissions) or worthless in another
# database (sessions, login-failure counters).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    """A one-line reason why the backup or restore was refused."""


def backed_up_models() -> list:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in excluded_apps
        and m._meta.label_lower not in excluded_models
        and m._meta.managed
        and not m._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    # _base_manager sees trashed records too (Record's default manager hides them).
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def backup_create(*, out: Path) -> dict:
    """Write the archive to ``out``; return its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.json"
        # One snapshot for every table, so rows, links and counts agree while
        # the portal keeps running (PostgreSQL's default would give each query
        # its own snapshot).
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                # Trashed records too: Record's default manager hides them.
                use_base_manager=True,
                format="json",
                indent=None,
                output=str(data),
                verbosity=0,
            )
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "migrations": applied_migrations(),
                "counts": row_counts(),
            }
        seal_members = seal_keys.backup_members()
        partial = out.with_name(out.name + ".partial")
        try:
            _write_archive(partial, manifest, data, media_root, seal_members)
        except OSError as exc:
            raise BackupError(f"cannot write {out}: {exc.strerror or exc}") from None
        # The archive holds every record and password hash: owner-only.
        os.chmod(partial, 0o600)
        partial.replace(out)
    return manifest


def _write_archive(target: Path, manifest: dict, data: Path, media_root: Path, extra: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.write(data, "data.json")
        for name, content in extra.items():
            archive.writestr(name, content)
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.write(path, "media/" + path.relative_to(media_root).as_posix())


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("not a portal backup: manifest.json missing or unreadable") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


def check_database_ready(manifest: dict) -> None:
    not_empty = {label: n for label, n in row_counts().items() if n}
    if not_empty:
        first = ", ".join(f"{label}={n}" for label, n in sorted(not_empty.items())[:3])
        raise BackupError(
            f"the database is not empty ({first}...); restore only into a new, migrated, empty database"
        )
    applied = {tuple(m) for m in applied_migrations()}
    missing = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in applied]
    if missing:
        raise BackupError(f"run 'manage.py migrate' first; migrations not applied: {', '.join(missing[:3])}")


def _safe_media_members(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    members = []
    for info in archive.infolist():
        if not info.filename.startswith("media/") or info.is_dir():
            continue
        relative = PurePosixPath(info.filename[len("media/") :])
        if relative.is_absolute() or ".." in relative.parts:
            raise BackupError(f"unsafe path in archive: {info.filename}")
        members.append((info, relative))
    return members


def backup_restore(*, source: Path) -> dict:
    """Load an archive into the empty database and MEDIA_ROOT; return its manifest."""
    if not source.is_file():
        raise BackupError(f"no such file: {source}")
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise BackupError(f"not a zip archive: {source}") from None
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = read_manifest(archive)
        check_database_ready(manifest)
        media = _safe_media_members(archive)
        seal_members = {n: archive.read(n) for n in archive.namelist() if n.startswith("seal/")}
        try:
            seal_keys.restore_check(seal_members)
        except ValueError as exc:
            raise BackupError(f"seal: {exc}") from None
        data = Path(tmp) / "data.json"
        with archive.open("data.json") as src, open(data, "wb") as dst:
            shutil.copyfileobj(src, dst)
        # loaddata resets the PostgreSQL sequences; a count mismatch undoes it all.
        with transaction.atomic():
            try:
                call_command("loaddata", str(data), verbosity=0)
            except (DeserializationError, DatabaseError) as exc:
                raise BackupError(f"could not load data.json: {str(exc).splitlines()[0][:300]}") from None
            counts = row_counts()
            wrong = {k: (v, counts.get(k, 0)) for k, v in manifest["counts"].items() if counts.get(k, 0) != v}
            if wrong:
                raise BackupError(f"row counts differ after restore (expected, got): {wrong}")
        seal_keys.restore_members(seal_members)
        media_root = Path(settings.MEDIA_ROOT)
        for info, relative in media:
            target = media_root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    return manifest
