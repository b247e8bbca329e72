"""Issuing a file: register it, print its verification code and QR code, seal it.

The code is printed inside the PDF, and the PDF's hash is only known once it
is sealed, so ``issue_pdf`` does it in this order, in one transaction:

1. allocate the register row and its random code;
2. ``render(stamp)``: the caller renders its HTML with the stamp (code, URL,
   QR code as inline SVG — ``{% include "portal/seal_stamp.html" %}``) and
   returns the PDF bytes;
3. seal the PDF; store its SHA-256 and the time; link the row into the
   register's audit chain.

If anything fails nothing is registered. Apps say what their registered files
are through a describer (``register_describer``), so the verify page can name
the document and say whether it is still current.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any, Callable

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..chains import chain_append, model_content
from ..models import Committee, IssuedDocument
from .signing import seal_pdf

logger = logging.getLogger(__name__)

REGISTER_CHAIN = "portal.issued_documents"
# Crockford's base32: no I, L, O, U, so a code read aloud or typed is not confused.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits
TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """A typed or scanned code in its stored form, or None when it cannot be one."""
    code = "".join(ch for ch in str(text).upper() if ch not in " -_\t").translate(TYPO)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def verify_url(code: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify_code", args=[code])


def qr_svg(text: str) -> SafeString:
    """An inline SVG QR code (no fixed size: the stamp's CSS sizes it)."""
    svg = segno.make(text, error="m").svg_inline(scale=1, border=0, omitsize=True, dark="#000")
    return mark_safe(svg)  # segno writes only path data, never the text itself


@dataclass(frozen=True)
class Stamp:
    """What a document prints so that it can be checked: the code, the URL and the QR code."""

    code: str
    url: str
    qr_svg: SafeString

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


def stamp_for(document: IssuedDocument) -> Stamp:
    url = verify_url(document.code)
    return Stamp(code=document.code, url=url, qr_svg=qr_svg(url))


# -- describers ------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentDescription:
    title: str  # e.g. "第一党支部2020年度意识形态工作责任书（第2版）"
    current: bool = True
    status: str = ""  # why it is no longer current, or a note ("已完成签署")
    details: tuple[str, ...] = field(default_factory=tuple)  # e.g. who signed when
    url: str = ""  # the document's page (access is checked there)


Describer = Callable[[IssuedDocument], "DocumentDescription | None"]
DESCRIBERS: dict[str, Describer] = {}


def register_describer(kind: str, describer: Describer) -> None:
    """``describer(issued)`` says what the registered file is, or None when its record is gone."""
    DESCRIBERS[kind] = describer


def describe(document: IssuedDocument) -> DocumentDescription:
    describer = DESCRIBERS.get(document.kind)
    if describer is None:
        described = DocumentDescription(title=document.description)
    else:
        try:
            described = describer(document) or DocumentDescription(
                title=document.description, current=False, status=_("对应的记录已不存在。")
            )
        except Exception:
            # A genuine file must still be answered (never a 500): say what the
            # register knows, and that its current state is unknown.
            logger.exception("describer for %s failed on issued document %s", document.kind, document.pk)
            described = DocumentDescription(
                title=document.description, current=False, status=_("暂时无法查到该文件对应记录的当前状态。")
            )
    if document.superseded_at is not None and described.current:
        status = _("已于 %(when)s 失效：%(reason)s") % {
            "when": timezone.localtime(document.superseded_at).strftime("%Y-%m-%d %H:%M"),
            "reason": document.superseded_reason or _("已被新文件取代"),
        }
        described = DocumentDescription(
            title=described.title, current=False, status=status, details=described.details, url=described.url
        )
    return described


# -- issuing ---------------------------------------------------------------------


def _allocate(**fields) -> IssuedDocument:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return IssuedDocument.objects.create(code=new_code(), **fields)
        except IntegrityError:  # the code was taken (1 in 2^60 per pair)
            continue
    raise RuntimeError("could not allocate a verification code")


def issuer_name(user: Any) -> str:
    """How the register names the person a file was issued by or to."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


@transaction.atomic
def issue_pdf(
    *,
    kind: str,
    obj: Model | None = None,
    object_id: Any = None,
    version: str = "",
    description: str,
    render: Callable[[Stamp], bytes],
    committee: Committee | None = None,
    issued_to: str = "",
    issued_by: str = "",
) -> tuple[IssuedDocument, bytes]:
    """Register, render (with the stamp), seal and record one PDF; the row and the sealed bytes.

    ``kind`` names the describer (e.g. "responsibility.letter"); ``obj`` (or
    ``object_id``) and ``version`` say which document and which state of it.
    """
    from .keys import current_seal

    if object_id is None:
        object_id = obj.pk if obj is not None else ""
    if committee is None and obj is not None:
        committee = getattr(obj, "committee", None)
    document = _allocate(
        kind=kind,
        object_id=str(object_id)[:64],
        version=str(version)[:50],
        committee=committee,
        description=description[:300],
        issued_to=issued_to[:200],
        issued_by=issued_by[:150],
    )
    pdf = render(stamp_for(document))
    seal, certificate = current_seal(actor=issued_by)
    sealed = seal_pdf(pdf, reason=_("签发：%(what)s") % {"what": description}, seal=seal, location=seal.organisation)
    document.sha256 = hashlib.sha256(sealed).hexdigest()
    document.certificate = certificate
    document.issued_at = timezone.now()
    document.save(update_fields=["sha256", "certificate", "issued_at"])
    chain_append(chain_key=REGISTER_CHAIN, link=document)
    return document, sealed


@transaction.atomic
def issued_supersede(*, kind: str, object_id: Any, reason: str, keep: IssuedDocument | None = None) -> int:
    """Mark every live file issued for this document as no longer current (e.g. a newer build); the count."""
    live = IssuedDocument.objects.filter(kind=kind, object_id=str(object_id), superseded_at__isnull=True)
    if keep is not None:
        live = live.exclude(pk=keep.pk)
    return live.update(superseded_at=timezone.now(), superseded_reason=reason[:300])


def register_content(document: IssuedDocument) -> dict:
    """What the register's chain protects: everything fixed at issue (not the later superseded mark)."""
    return model_content(
        document,
        ["code", "kind", "object_id", "version", "committee", "description", "issued_to", "issued_by",
         "certificate", "sha256", "issued_at"],
    )
