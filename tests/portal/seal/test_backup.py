"""Backup and restore keep the seal: files sealed before a restore still verify after it."""

import os
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command

from portal.backup import row_counts
from portal.models import SealCertificate, SealEvent
from portal.seal.keys import current_seal, seal_file
from portal.seal.verify import verify_pdf_bytes

from .helpers import issue_memo

pytestmark = pytest.mark.django_db(transaction=True)


def test_files_sealed_before_a_restore_verify_after_it(tmp_path, settings, memos):
    document, sealed = issue_memo("1")
    fingerprint = current_seal()[0].fingerprint
    archive = tmp_path / "backup.zip"
    call_command("backup", out=str(archive))
    with zipfile.ZipFile(archive) as zf:
        assert "seal/seal.pem" in zf.namelist()

    # A new machine: empty database, no seal directory.
    call_command("flush", interactive=False, verbosity=0)
    settings.SEAL_DIR = tmp_path / "new-machine-seal"
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert sum(row_counts().values()) == 0
    call_command("restore", str(archive))

    assert stat.S_IMODE(os.stat(seal_file()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(settings.SEAL_DIR).st_mode) == 0o700
    verdict = verify_pdf_bytes(sealed)
    assert verdict.accepted and verdict.document.pk == document.pk
    # New files carry the same seal; the history did not start again.
    _doc, later = issue_memo("2")
    assert verify_pdf_bytes(later).accepted
    assert current_seal()[0].fingerprint == fingerprint
    assert SealCertificate.objects.count() == 1 and SealEvent.objects.count() == 1
    call_command("audit_chain")


def test_restore_refuses_to_overwrite_another_seal(tmp_path, settings, memos):
    issue_memo("1")
    archive = tmp_path / "backup.zip"
    call_command("backup", out=str(archive))
    call_command("flush", interactive=False, verbosity=0)
    settings.SEAL_DIR = tmp_path / "other"
    current_seal()  # this machine made a seal of its own meanwhile
    other = seal_file().read_bytes()
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="holds another seal"):
        call_command("restore", str(archive))
    assert seal_file().read_bytes() == other
    assert sum(row_counts().values()) == 0
