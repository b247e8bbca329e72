"""The installation's seal: generated once, kept outside the database, replaced with its history."""

import multiprocessing
import os
import stat

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core import management
from django.core.management import call_command
from django.db import connection, connections

from portal.models import SealCertificate, SealEvent
from portal.seal import keys
from portal.seal.keys import SealUnavailable, current_seal, seal_replace
from portal.seal.verify import verify_pdf_bytes
from tests import factories as f
from tests.conftest import service_required

from .helpers import issue_memo, pkcs12_file


def organisation_of(seal) -> str:
    return seal.certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value


@pytest.mark.django_db
def test_first_use_generates_a_self_signed_seal_naming_the_organisation(settings):
    settings.SEAL_ORGANISATION = "甲局党委"
    seal, row = current_seal()

    assert organisation_of(seal) == "甲局党委"
    assert seal.certificate.issuer == seal.certificate.subject  # self-signed
    path = settings.SEAL_DIR / "seal.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(settings.SEAL_DIR).st_mode) == 0o700
    assert row.fingerprint == seal.fingerprint and row.source == SealCertificate.Source.GENERATED
    assert [e.kind for e in SealEvent.objects.all()] == [SealEvent.Kind.ACTIVATED]
    # The database holds the public certificate only.
    assert "PRIVATE KEY" not in row.certificate_pem
    assert b"PRIVATE KEY" in path.read_bytes()


@pytest.mark.django_db
def test_the_default_organisation_is_the_first_committee(settings):
    settings.SEAL_ORGANISATION = ""
    f.CommitteeFactory(slug="first", name="水文局党委")
    f.CommitteeFactory(slug="second", name="别的党委")
    seal, _row = current_seal()
    assert organisation_of(seal) == "水文局党委"


@pytest.mark.django_db
def test_later_uses_reuse_the_seal():
    first, _ = current_seal()
    again, _ = current_seal()
    assert again.fingerprint == first.fingerprint
    assert SealCertificate.objects.count() == 1 and SealEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_machine_without_the_key_does_not_make_a_second_seal(settings, tmp_path):
    current_seal()
    settings.SEAL_DIR = tmp_path / "another-machine"
    with pytest.raises(SealUnavailable, match="本机没有当前电子签章"):
        current_seal()
    assert SealCertificate.objects.count() == 1
    assert not (settings.SEAL_DIR / "seal.pem").exists()


@pytest.mark.django_db
def test_a_damaged_seal_file_is_a_clear_refusal(settings):
    current_seal()
    (settings.SEAL_DIR / "seal.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nbroken\n")
    with pytest.raises(SealUnavailable, match="已损坏"):
        current_seal()


@pytest.mark.django_db
def test_organisation_pkcs12_from_the_environment_seals_and_verifies(settings, tmp_path, memos):
    fingerprint = pkcs12_file(tmp_path / "org.p12", organisation="某机构")
    settings.SEAL_PKCS12_FILE = str(tmp_path / "org.p12")
    settings.SEAL_PKCS12_PASSPHRASE = "secret"

    seal, row = current_seal()
    assert seal.fingerprint == fingerprint and row.source == SealCertificate.Source.PKCS12
    assert not (settings.SEAL_DIR / "seal.pem").exists()  # nothing generated
    _doc, sealed = issue_memo("1")
    assert verify_pdf_bytes(sealed).accepted
    with pytest.raises(SealUnavailable, match="PORTAL_SEAL_PKCS12"):
        seal_replace(reason="不允许")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["elliptic", "with_ca"])
def test_other_organisation_certificates_work_too(settings, tmp_path, memos, kind):
    """An elliptic-curve key; a certificate issued by the organisation's own CA (trusted as itself, not the CA)."""
    fingerprint = pkcs12_file(tmp_path / "org.p12", **{kind: True})
    settings.SEAL_PKCS12_FILE = str(tmp_path / "org.p12")
    settings.SEAL_PKCS12_PASSPHRASE = "secret"
    _doc, sealed = issue_memo("1")
    assert verify_pdf_bytes(sealed).accepted
    assert SealCertificate.objects.get().fingerprint == fingerprint


@pytest.mark.django_db
def test_a_wrong_pkcs12_passphrase_is_a_clear_refusal(settings, tmp_path):
    pkcs12_file(tmp_path / "org.p12")
    settings.SEAL_PKCS12_FILE = str(tmp_path / "org.p12")
    settings.SEAL_PKCS12_PASSPHRASE = "wrong"
    with pytest.raises(SealUnavailable, match="口令"):
        current_seal()
    settings.SEAL_PKCS12_FILE = str(tmp_path / "missing.p12")
    with pytest.raises(SealUnavailable, match="无法读取"):
        current_seal()


@pytest.mark.django_db
def test_switching_to_an_organisation_certificate_replaces_the_generated_seal(settings, tmp_path, memos):
    old_doc, old_file = issue_memo("1")
    generated = SealCertificate.objects.get()
    pkcs12_file(tmp_path / "org.p12")
    settings.SEAL_PKCS12_FILE = str(tmp_path / "org.p12")
    settings.SEAL_PKCS12_PASSPHRASE = "secret"

    _new_doc, new_file = issue_memo("2")

    generated.refresh_from_db()
    assert generated.replaced_at is not None
    kinds = list(SealEvent.objects.order_by("chain_seq").values_list("kind", "certificate__source"))
    assert kinds == [("activated", "generated"), ("replaced", "generated"), ("activated", "pkcs12")]
    # Files sealed before the change still verify; so do new ones.
    assert verify_pdf_bytes(old_file).accepted and verify_pdf_bytes(new_file).accepted


@pytest.mark.django_db
def test_replacing_the_seal_keeps_old_files_verifiable(memos):
    _doc, old_file = issue_memo("1")
    old, _ = current_seal()

    new, row = seal_replace(actor="管理员", reason="密钥到期")

    assert new.fingerprint != old.fingerprint
    assert SealCertificate.objects.get(fingerprint=old.fingerprint).replaced_at is not None
    event = SealEvent.objects.filter(certificate=row).get()
    assert event.actor == "管理员" and "密钥到期" in event.note
    _doc, new_file = issue_memo("2")
    assert verify_pdf_bytes(old_file).accepted and verify_pdf_bytes(new_file).accepted
    assert keys.seal_from_pem((keys.seal_file()).read_bytes()).fingerprint == new.fingerprint


@pytest.mark.django_db
def test_a_certificate_edited_in_the_database_is_no_longer_trusted(memos):
    _doc, sealed = issue_memo("1")
    forger = keys.generate_seal("伪造单位")
    SealCertificate.objects.update(certificate_pem=forger.certificate_pem, fingerprint=forger.fingerprint)
    verdict = verify_pdf_bytes(sealed)
    assert not verdict.accepted and "电子签章记录被改动" in verdict.reason


@pytest.mark.django_db
def test_a_certificate_slipped_into_the_database_is_not_trusted(memos):
    """A forger's certificate added as a row (even with an event) does not vouch for the forger's files."""
    from portal.seal.signing import seal_pdf

    from .helpers import plain_pdf

    issue_memo("1")
    forger = keys.generate_seal("伪造单位")
    forged = seal_pdf(plain_pdf("伪造"), reason="签发", seal=forger)
    row = SealCertificate.objects.create(
        fingerprint=forger.fingerprint, subject=forger.subject, certificate_pem=forger.certificate_pem,
        source="generated", not_before=forger.certificate.not_valid_before_utc, not_after=forger.certificate.not_valid_after_utc,
    )
    assert "不是本平台的证书所盖" in verify_pdf_bytes(forged).reason
    SealEvent.objects.create(certificate=row, kind=SealEvent.Kind.ACTIVATED)
    assert "电子签章记录被改动" in verify_pdf_bytes(forged).reason


@pytest.mark.django_db
def test_the_seal_directory_must_not_be_served(settings):
    from portal.seal.checks import seal_dir_not_served

    assert seal_dir_not_served(None) == []
    settings.SEAL_DIR = settings.MEDIA_ROOT / "seal"
    assert [e.id for e in seal_dir_not_served(None)] == ["portal.E010"]


# -- two processes at once -----------------------------------------------------------

_inherited = []  # the parent's connections, kept referenced so a child never closes them


def _generate_in_child(barrier, seal_dir, results):
    from django.conf import settings

    for conn in connections.all(initialized_only=True):
        _inherited.append(conn.connection)
        conn.connection = None
    settings.SEAL_DIR = seal_dir
    barrier.wait(10)
    try:
        seal, _row = current_seal()
        results.put(("ok", seal.fingerprint))
    except SealUnavailable as exc:
        results.put(("refused", str(exc)))
    except Exception as exc:  # reported to the test
        results.put(("error", repr(exc)))
    for conn in connections.all(initialized_only=True):
        conn.close()


def _race(seal_dirs):
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(len(seal_dirs)), ctx.Queue()
    children = [ctx.Process(target=_generate_in_child, args=(barrier, d, results)) for d in seal_dirs]
    for child in children:
        child.start()
    outcomes = sorted(results.get(timeout=60) for _child in children)
    for child in children:
        child.join(10)
    return outcomes


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        service_required("PostgreSQL")


def test_two_processes_generating_at_once_make_one_seal(postgres, settings):
    outcomes = _race([settings.SEAL_DIR, settings.SEAL_DIR])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert outcomes[0][1] == outcomes[1][1]
    assert SealCertificate.objects.count() == 1 and SealEvent.objects.count() == 1
    assert keys.seal_from_pem(keys.seal_file().read_bytes()).fingerprint == outcomes[0][1]


def test_two_machines_generating_at_once_make_one_seal(postgres, tmp_path):
    outcomes = _race([tmp_path / "machine-a", tmp_path / "machine-b"])
    assert [o[0] for o in outcomes] == ["ok", "refused"], outcomes
    assert "本机没有当前电子签章" in outcomes[1][1]
    assert SealCertificate.objects.count() == 1


@pytest.mark.django_db
def test_export_seal_certificate_writes_the_public_certificate(tmp_path, memos):
    out = tmp_path / "out" / "seal.pem"
    call_command("export_seal_certificate", out=str(out))
    seal, _ = current_seal()
    exported = x509.load_pem_x509_certificates(out.read_bytes())
    assert [c.fingerprint(c.signature_hash_algorithm).hex() for c in exported] == [
        seal.certificate.fingerprint(seal.certificate.signature_hash_algorithm).hex()
    ]
    assert b"PRIVATE" not in out.read_bytes()

    seal_replace(reason="更换")
    call_command("export_seal_certificate", out=str(out), include_all=True)
    assert len(x509.load_pem_x509_certificates(out.read_bytes())) == 2


@pytest.mark.django_db
def test_export_seal_certificate_reports_an_unwritable_target(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(management.CommandError, match="无法写入"):
        call_command("export_seal_certificate", out=str(tmp_path / "file" / "seal.pem"))


@pytest.mark.django_db
def test_replace_seal_command(memos):
    first, _ = current_seal()
    call_command("replace_seal", reason="测试更换")
    assert SealCertificate.objects.filter(replaced_at__isnull=True).get().fingerprint != first.fingerprint
