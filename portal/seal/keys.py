"""The installation's seal: one signing key and its certificate.

Either the organisation's own PKCS#12 file (``PORTAL_SEAL_PKCS12`` and
``PORTAL_SEAL_PKCS12_PASSPHRASE``), or a key generated on first use: a
self-signed certificate naming the organisation, key and certificate in one
PEM file ``SEAL_DIR/seal.pem`` (directory 0700, file 0600, never under a
served path; see portal.seal.checks). The private key never enters the
database; every certificate ever used does (``SealCertificate``), with the
history in ``SealEvent`` (an audit chain), so files sealed by a replaced
certificate still verify.

Generating takes a file lock (processes of one machine) and, on PostgreSQL,
an advisory lock (machines sharing the database), and happens only while the
database knows no current seal: a second machine without the key file is
told so instead of quietly making a seal of its own.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..chains import chain_append, model_content
from ..models import Committee, SealCertificate, SealEvent

SEAL_FILE = "seal.pem"
LOCK_FILE = ".lock"
DEFAULT_ORGANISATION = "意识形态工作责任制管理平台"
VALID_YEARS = 20
ADVISORY_LOCK_ID = 0x5EA1  # pg_advisory_xact_lock key for seal changes
EVENT_CHAIN = "portal.seal_events"


class SealUnavailable(Exception):
    """The seal cannot be used; the message says why, in one Chinese line."""


@dataclass(frozen=True)
class Seal:
    private_key: object  # a cryptography private key
    certificate: x509.Certificate
    extra_certificates: tuple[x509.Certificate, ...] = ()  # the issuer chain of a PKCS#12 seal
    source: str = SealCertificate.Source.GENERATED

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def organisation(self) -> str:
        for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
            found = self.certificate.subject.get_attributes_for_oid(oid)
            if found:
                return str(found[0].value)
        return self.subject

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()[:300]

    def asn1_certificate(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)

    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        der = self.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)

    def asn1_extra_certificates(self) -> list[asn1_x509.Certificate]:
        return [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in self.extra_certificates
        ]


def certificate_der(pem: str) -> bytes:
    return x509.load_pem_x509_certificate(pem.encode("ascii")).public_bytes(serialization.Encoding.DER)


def fingerprint_of_pem(pem: str) -> str:
    return hashlib.sha256(certificate_der(pem)).hexdigest()


# -- where the key lives ---------------------------------------------------------


def seal_dir() -> Path:
    return Path(settings.SEAL_DIR)


def seal_file() -> Path:
    return seal_dir() / SEAL_FILE


def _ensure_dir() -> Path:
    directory = seal_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    return directory


@contextlib.contextmanager
def _file_lock():
    path = _ensure_dir() / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _database_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])


def write_seal_file(pem: bytes) -> None:
    """Replace the seal file atomically with owner-only permissions."""
    directory = _ensure_dir()
    partial = directory / (SEAL_FILE + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, directory / SEAL_FILE)


def seal_to_pem(seal: Seal) -> bytes:
    key = seal.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key + seal.certificate.public_bytes(serialization.Encoding.PEM)


def seal_from_pem(pem: bytes) -> Seal:
    """The seal in a seal file; ValueError when the key and certificate do not belong together."""
    key = serialization.load_pem_private_key(pem, password=None)
    cert = x509.load_pem_x509_certificate(pem)
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != cert.public_key().public_bytes(
        serialization.Encoding.DER, public
    ):
        raise ValueError("the seal file's key does not match its certificate")
    return Seal(private_key=key, certificate=cert)


# -- loading ---------------------------------------------------------------------

_cache: dict[tuple, Seal] = {}


def _cached(path: Path, loader) -> Seal:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if key not in _cache:
        _cache.clear()
        _cache[key] = loader(path.read_bytes())
    return _cache[key]


def _load_pkcs12() -> Seal | None:
    path = settings.SEAL_PKCS12_FILE
    if not path:
        return None

    def load(data: bytes) -> Seal:
        passphrase = settings.SEAL_PKCS12_PASSPHRASE.encode() if settings.SEAL_PKCS12_PASSPHRASE else None
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except ValueError:
            raise SealUnavailable(
                _("无法读取机构电子签章证书 %(path)s：文件已损坏或口令（PORTAL_SEAL_PKCS12_PASSPHRASE）不对。") % {"path": path}
            ) from None
        if key is None or cert is None:
            raise SealUnavailable(_("机构电子签章证书 %(path)s 中没有私钥或证书。") % {"path": path})
        return Seal(private_key=key, certificate=cert, extra_certificates=tuple(extra), source=SealCertificate.Source.PKCS12)

    try:
        return _cached(Path(path), load)
    except OSError as exc:
        raise SealUnavailable(
            _("无法读取机构电子签章证书 %(path)s：%(error)s") % {"path": path, "error": exc.strerror or exc}
        ) from None


def _load_file() -> Seal | None:
    path = seal_file()
    if not path.exists():
        return None
    try:
        return _cached(path, seal_from_pem)
    except ValueError:
        # Caught between two writes is impossible (one atomic file); a damaged file is not.
        raise SealUnavailable(_("电子签章文件 %(path)s 已损坏：私钥与证书不匹配或无法读取。") % {"path": path}) from None


def load_local_seal() -> Seal | None:
    """The seal this machine can sign with, without generating one."""
    return _load_pkcs12() or _load_file()


# -- generating and recording --------------------------------------------------------


def organisation_name() -> str:
    if settings.SEAL_ORGANISATION:
        return settings.SEAL_ORGANISATION
    first = Committee.objects.order_by("id").values_list("name", flat=True).first()
    return first or DEFAULT_ORGANISATION


def self_signed(
    name: x509.Name, *, days: int, extensions: list[tuple[x509.ExtensionType, bool]], key=None
) -> Seal:
    """A self-signed certificate carrying these (extension, critical) pairs, for a new RSA-2048 key by default."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return Seal(private_key=key, certificate=builder.sign(key, hashes.SHA256()))


def generate_seal(organisation: str) -> Seal:
    """A new seal: a self-signed certificate naming the organisation.

    The certificate is its own CA (path length 0): readers such as Acrobat
    and poppler accept a trusted self-signed certificate as an anchor only
    when it says so.
    """
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, (organisation + "电子签章")[:64]),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return self_signed(
        name,
        days=365 * VALID_YEARS,
        extensions=[(x509.BasicConstraints(ca=True, path_length=0), True), (usage, True)],
    )


def _event(certificate: SealCertificate, kind: str, *, actor: str, note: str) -> SealEvent:
    event = SealEvent.objects.create(certificate=certificate, kind=kind, actor=actor[:150], note=note[:300])
    chain_append(chain_key=EVENT_CHAIN, link=event)
    return event


def _record_current(seal: Seal, *, actor: str, note: str) -> SealCertificate:
    """Make the database say this seal is the current one (idempotent)."""
    now = timezone.now()
    fingerprint = seal.fingerprint
    for old in SealCertificate.objects.filter(replaced_at__isnull=True).exclude(fingerprint=fingerprint):
        old.replaced_at = now
        old.save(update_fields=["replaced_at"])
        _event(old, SealEvent.Kind.REPLACED, actor=actor, note=_("由指纹 %(fp)s 的证书取代") % {"fp": fingerprint[:16]})
    row = SealCertificate.objects.filter(fingerprint=fingerprint).first()
    if row is None:
        row = SealCertificate.objects.create(
            fingerprint=fingerprint,
            subject=seal.subject,
            certificate_pem=seal.certificate_pem,
            source=seal.source,
            not_before=seal.certificate.not_valid_before_utc,
            not_after=seal.certificate.not_valid_after_utc,
            activated_at=now,
        )
        _event(row, SealEvent.Kind.ACTIVATED, actor=actor, note=note)
    elif row.replaced_at is not None:
        row.replaced_at = None
        row.save(update_fields=["replaced_at"])
        _event(row, SealEvent.Kind.ACTIVATED, actor=actor, note=_("重新启用"))
    return row


def _recorded_current(seal: Seal) -> SealCertificate | None:
    return SealCertificate.objects.filter(fingerprint=seal.fingerprint, replaced_at__isnull=True).first()


def current_seal(*, actor: str = "") -> tuple[Seal, SealCertificate]:
    """The seal to sign with and its database row, generating it on first use."""
    seal = load_local_seal()
    if seal is not None:
        row = _recorded_current(seal)
        if row is not None:
            return seal, row
    try:
        return _current_seal_locked(actor)
    except IntegrityError:
        # SQLite only: another process recorded the same seal meanwhile.
        seal = load_local_seal()
        row = _recorded_current(seal) if seal is not None else None
        if row is None:
            raise
        return seal, row


def _current_seal_locked(actor: str) -> tuple[Seal, SealCertificate]:
    with _file_lock(), transaction.atomic():
        _database_lock()
        seal = load_local_seal()
        if seal is not None:
            note = _("机构提供的 PKCS#12 证书") if seal.source == SealCertificate.Source.PKCS12 else _("本机已有的签章文件")
        else:
            other = SealCertificate.objects.filter(replaced_at__isnull=True).first()
            if other is not None:
                raise SealUnavailable(
                    _(
                        "本机没有当前电子签章（指纹 %(fp)s）的私钥：请把 %(dir)s 从已在使用的服务器复制过来"
                        "（或从备份恢复），或用 PORTAL_SEAL_PKCS12 配置机构证书。"
                    )
                    % {"fp": other.fingerprint[:16], "dir": seal_dir()}
                )
            seal = generate_seal(organisation_name())
            write_seal_file(seal_to_pem(seal))
            note = _("首次使用时生成的自签名证书")
        return seal, _record_current(seal, actor=actor, note=note)


def seal_replace(*, actor: str = "", reason: str = "") -> tuple[Seal, SealCertificate]:
    """Generate a new self-signed seal; the old certificate stays trusted for old files."""
    if settings.SEAL_PKCS12_FILE:
        raise SealUnavailable(_("电子签章由 PORTAL_SEAL_PKCS12 指定的机构证书提供：请更换该文件，而不是生成新的签章。"))
    with _file_lock(), transaction.atomic():
        _database_lock()
        seal = generate_seal(organisation_name())
        write_seal_file(seal_to_pem(seal))
        note = _("更换签章：%(reason)s") % {"reason": reason} if reason else _("更换签章")
        return seal, _record_current(seal, actor=actor, note=note)


def installation_certificates() -> list[SealCertificate]:
    """Every certificate this installation sealed with, current first.

    Only rows the seal's history vouches for (an activation event, whose
    chained content holds the fingerprint and the PEM's hash) and whose PEM
    hashes to their own fingerprint.
    """
    activated = SealEvent.objects.filter(kind=SealEvent.Kind.ACTIVATED).values("certificate_id")
    rows = sorted(
        SealCertificate.objects.filter(pk__in=activated),
        key=lambda r: (r.replaced_at is not None, -r.activated_at.timestamp()),
    )
    trusted = []
    for row in rows:
        try:
            if fingerprint_of_pem(row.certificate_pem) == row.fingerprint:
                trusted.append(row)
        except ValueError:
            continue
    return trusted


def seal_event_content(event: SealEvent) -> dict:
    content = model_content(event, ["kind", "at", "actor", "note"])
    certificate = SealCertificate.objects.get(pk=event.certificate_id)
    content["fingerprint"] = certificate.fingerprint
    content["certificate_sha256"] = hashlib.sha256(certificate.certificate_pem.encode()).hexdigest()
    return content


# -- backup and restore --------------------------------------------------------------


def backup_members() -> dict[str, bytes]:
    """Archive members that keep the generated seal (a PKCS#12 seal stays the organisation's)."""
    path = seal_file()
    return {"seal/" + SEAL_FILE: path.read_bytes()} if path.exists() else {}


def restore_check(members: dict[str, bytes]) -> str:
    """Refuse (ValueError) to overwrite a different seal on this machine; '' or the archive seal's fingerprint."""
    pem = members.get("seal/" + SEAL_FILE)
    if pem is None:
        return ""
    try:
        incoming = seal_from_pem(pem)
    except ValueError:
        raise ValueError("the archive's seal file is damaged") from None
    path = seal_file()
    if path.exists():
        try:
            here = seal_from_pem(path.read_bytes()).fingerprint
        except ValueError:
            here = "damaged"
        if here != incoming.fingerprint:
            raise ValueError(
                f"{path} holds another seal (fingerprint {here[:16]}); move it away first, "
                f"the backup's seal is {incoming.fingerprint[:16]}"
            )
    return incoming.fingerprint


def restore_members(members: dict[str, bytes]) -> None:
    pem = members.get("seal/" + SEAL_FILE)
    if pem is not None:
        write_seal_file(pem)
