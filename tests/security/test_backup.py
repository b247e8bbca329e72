"""backup → empty database → restore gives back every row, file, letter hash and figure."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from portal.backup import row_counts

pytestmark = pytest.mark.django_db(transaction=True)


def report_figures(committee_slug: str, year: int) -> dict:
    """The 2020 report figures (value and sentence), from the reports compiler."""
    from portal.models import Committee
    from reports.compiler import compile_report

    committee = Committee.objects.get(slug=committee_slug)
    return {k: (f["value"], f["sentence"]) for k, f in compile_report(committee, year)["figures"].items()}


def letter_hashes() -> dict:
    from responsibility.models import ResponsibilityLetter

    return dict(ResponsibilityLetter.all_objects.values_list("pk", "body_sha256"))


def test_backup_and_restore_round_trip(tmp_path, settings):
    from portal import services
    from portal.access import actor_for
    from portal.models import Branch, Person
    from responsibility.models import ResponsibilityLetter, WorkDocument

    call_command("seed_demo")
    office = Person.objects.get(committee__slug="demo", user__username="office").user
    committee = Person.objects.get(user=office).committee
    doc = WorkDocument(committee=committee, date="2020-03-01", kind="plan", title="备份测试方案")
    doc.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    if not ResponsibilityLetter.all_objects.exclude(body_sha256="").exists():  # until the demo issues letters
        ResponsibilityLetter.objects.create(
            committee=committee, branch=Branch.objects.filter(committee=committee).first(), year=2020,
            title="责任书", body="正文", body_sha256="ab" * 32, status="issued",
        )
    services.record_trash(actor=actor_for(office), record=Person.objects.get(name="曹雪"))

    counts, hashes, figures = row_counts(), letter_hashes(), report_figures("demo", 2020)
    assert counts["portal.person"] and counts["responsibility.workdocument"] and counts["portal.historicalperson"]
    assert any(hashes.values()), "the demo has issued letters"
    archive = tmp_path / "backup.zip"
    call_command("backup", out=str(archive))

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    assert sum(row_counts().values()) == 0
    call_command("restore", str(archive))

    assert row_counts() == counts
    assert letter_hashes() == hashes
    assert report_figures("demo", 2020) == figures
    restored = WorkDocument.objects.get(pk=doc.pk)
    assert restored.file.read() == b"%PDF-1.4 plan"
    assert Person.all_objects.get(name="曹雪").deleted_at is not None  # the trash is kept too
    # The demo users log in with their password after a restore.
    from django.test import Client

    assert Client().post("/login/", {"username": "office", "password": "demo1234"}).status_code == 302


def test_restore_refuses_a_non_empty_database(tmp_path, world):
    archive = tmp_path / "b.zip"
    call_command("backup", out=str(archive))
    before = row_counts()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert row_counts() == before


def test_restore_refuses_what_is_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a zip"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.zip"))


def test_backup_to_an_unwritable_place_is_a_one_line_error(tmp_path, db):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="cannot write"):
        call_command("backup", out=str(blocker / "sub" / "b.zip"))


def test_restore_of_a_damaged_dump_changes_nothing(tmp_path, db):
    import json
    import zipfile

    from django.db.migrations.recorder import MigrationRecorder
    from django.db import connection

    archive = tmp_path / "damaged.zip"
    migrations = sorted([a, n] for a, n in MigrationRecorder(connection).applied_migrations())
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("manifest.json", json.dumps({"format": "portal-backup/1", "migrations": migrations, "counts": {}}))
        z.writestr("data.json", '[{"model": "portal.committee", "pk": 1, "fields": {"slug": "x"')
    with pytest.raises(CommandError, match="could not load data.json"):
        call_command("restore", str(archive))
    assert sum(row_counts().values()) == 0


def test_attachments_survive_backup_and_restore(tmp_path, settings, world, client_for):
    """The rows (trashed ones and history too) and the files: downloads give the
    same bytes, checked against the SHA-256 recorded at upload."""
    import hashlib

    from django.urls import reverse

    from portal.access import actor_for
    from portal.attachments.services import attachment_remove
    from portal.models import Attachment
    from tests import factories as f

    meeting = f.CommitteeMeetingFactory(committee=world.committee)
    kept = f.attach(meeting, world.office, "签到表.pdf")
    removed = f.attach(meeting, world.office, "会场照片.png")
    attachment_remove(actor=actor_for(world.office), attachment=removed)

    def facts():
        return {
            a.pk: (a.original_name, a.file.name, a.sha256, a.content_type.natural_key(), a.object_id, a.is_deleted)
            for a in Attachment.all_objects.select_related("content_type")
        }

    before, history = facts(), Attachment.history.count()
    archive = tmp_path / "backup.zip"
    call_command("backup", out=str(archive))
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive))

    assert facts() == before and Attachment.history.count() == history == 3
    for attachment in Attachment.all_objects.all():
        assert hashlib.sha256(attachment.file.read()).hexdigest() == attachment.sha256
        assert str(settings.MEDIA_ROOT) in attachment.file.path
    from django.contrib.auth import get_user_model

    office = client_for(get_user_model().objects.get(username="office"))
    response = office.get(reverse("attachment_download", args=[kept.pk]))
    assert b"".join(response.streaming_content) == "%PDF-1.4 evidence 签到表.pdf".encode()
    response = office.post(reverse("trash_restore", args=["portal.attachment", removed.pk]))
    assert Attachment.objects.filter(object_id=meeting.pk).count() == 2
