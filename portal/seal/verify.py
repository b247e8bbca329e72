"""Verifying a file: accepted only when all three hold.

1. Its one signature was made by this installation's seal (the current
   certificate or an earlier one) and is cryptographically intact.
2. The signature covers the whole file: nothing was appended (no incremental
   update) or changed after sealing.
3. Its SHA-256 is one the portal registered when it issued the file.

A hash or code printed in a file proves nothing (anyone can print it), so the
text of a PDF is never read. The cost is bounded whatever the upload: its
size first, then pyHanko reads the structure in a child process with a time
and memory limit (portal.seal.sandbox); pages are never rendered and the
declared page count is bounded too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..chains import chain_check
from ..models import IssuedDocument
from . import inspect as checks
from .issuing import DocumentDescription, describe
from .keys import EVENT_CHAIN, certificate_der, installation_certificates
from .sandbox import run_bounded


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str = ""  # one Chinese line when refused
    sha256: str = ""
    document: IssuedDocument | None = None
    description: DocumentDescription | None = None

    @property
    def current(self) -> bool:
        return bool(self.description and self.description.current)

    def line(self) -> str:
        """One line for the command line and the page."""
        if not self.accepted:
            return self.reason
        issued = timezone.localtime(self.document.issued_at).strftime("%Y-%m-%d %H:%M")
        state = _("当前有效") if self.current else (self.description.status or _("已失效"))
        return _("真实有效：%(title)s（%(issued)s 由本平台签发，校验码 %(code)s）；%(state)s") % {
            "title": self.description.title,
            "issued": issued,
            "code": self.document.display_code,
            "state": state.rstrip("。"),
        }


def _refused(reason: str, sha256: str = "") -> Verdict:
    return Verdict(accepted=False, reason=reason, sha256=sha256)


def _reason(inspection: checks.Inspection) -> str:
    problem = inspection.problem
    if problem == checks.UNREADABLE:
        return _("无法读取该 PDF 的结构：文件已损坏或不是完整的 PDF。")
    if problem == checks.TOO_MANY_PAGES:
        return _("页数过多（%(n)s 页，上限 %(max)s 页），不是本平台签发的文件。") % {
            "n": inspection.pages,
            "max": settings.VERIFY_MAX_PAGES,
        }
    if problem == checks.NO_SIGNATURE:
        return _("文件没有电子签章，不是本平台签发的原件（文件中出现的哈希值或校验码不能证明它的真伪）。")
    if problem == checks.SEVERAL_SIGNATURES:
        return _("文件含有不止一个签名：盖章后又被签名或改动过，不是本平台签发的原件。")
    if problem == checks.BAD_SIGNATURE:
        return _("文件的电子签章已损坏，无法校验。")
    if problem == checks.NOT_OURS:
        return _("文件的电子签章不是本平台的证书所盖（签名证书：%(subject)s，指纹 %(fp)s）。") % {
            "subject": inspection.signer_subject or "?",
            "fp": inspection.signer_fingerprint[:16],
        }
    if problem == checks.ALTERED:
        return _("电子签章校验失败：文件内容在盖章后被改动或已损坏。")
    if problem == checks.APPENDED:
        return _("文件在盖章后被追加修改（PDF 增量更新），不是本平台签发的原件。")
    if problem == checks.CERTIFICATE_INVALID:
        return _("签章证书在签章时间不可用（不在有效期内或用途不符）。")
    return _("无法校验该文件。")


def _inspect(data: bytes, trusted: tuple[bytes, ...]) -> checks.Inspection | str:
    outcome = run_bounded(
        checks.inspect_pdf,
        data,
        trusted,
        settings.VERIFY_MAX_PAGES,
        timeout=settings.VERIFY_TIMEOUT_SECONDS,
        memory_bytes=settings.VERIFY_MEMORY_BYTES,
    )
    if outcome.error == "timeout":
        return _("校验超时（超过 %(s)s 秒）：文件结构过于复杂，不是本平台签发的文件。") % {"s": settings.VERIFY_TIMEOUT_SECONDS}
    if outcome.error == "memory":
        return _("文件结构异常：读取它需要的内存超过上限，不是本平台签发的文件。")
    if outcome.error:
        return _("文件结构异常，无法校验。")
    return outcome.value


def verify_pdf_bytes(data: bytes) -> Verdict:
    """The verdict on one uploaded or given file."""
    limit = settings.VERIFY_MAX_BYTES
    if len(data) > limit:
        return _refused(_("文件太大（%(size)s，上限 %(limit)s），不是本平台签发的文件。") % {
            "size": filesizeformat(len(data)),
            "limit": filesizeformat(limit),
        })
    if b"%PDF-" not in data[:1024]:
        return _refused(_("这不是 PDF 文件。"))
    sha256 = hashlib.sha256(data).hexdigest()
    seal_history = chain_check(EVENT_CHAIN)
    if not seal_history.intact:
        # The certificates are trusted because their history is; fail closed.
        return _refused(_("电子签章记录被改动，暂停验证，请管理员核查：%(problem)s") % {"problem": seal_history.message}, sha256)
    certificates = installation_certificates()
    if not certificates:
        return _refused(_("本平台还没有签发过盖章文件，无法校验。"), sha256)
    trusted = tuple(certificate_der(row.certificate_pem) for row in certificates)
    inspection = _inspect(data, trusted)
    if isinstance(inspection, str):
        return _refused(inspection, sha256)
    if inspection.problem:
        return _refused(_reason(inspection), sha256)
    document = (
        IssuedDocument.objects.filter(sha256=sha256, issued_at__isnull=False).select_related("certificate").first()
    )
    if document is None:
        return _refused(_("电子签章有效，但本平台没有签发过这个文件的记录（文件与签发时不同）。"), sha256)
    if document.certificate is None or document.certificate.fingerprint != inspection.signer_fingerprint:
        return _refused(_("文件的电子签章与签发记录中的证书不符。"), sha256)
    return Verdict(accepted=True, sha256=sha256, document=document, description=describe(document))


def document_for_code(code: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(code=code, issued_at__isnull=False).first()
