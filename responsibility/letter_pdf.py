"""The letter as a PDF: gather a plain context, render it with WeasyPrint, and
say what a registered letter PDF is.

Every letter PDF the portal hands out is sealed and registered by
``services.letter_document`` (once per state of the letter); this module only
renders the bytes, with the stamp (verification code and QR code) the
register gives, and describes a registered file for the verify pages. The
last page prints the audit trail and the body hash, so that the text of a
paper copy can still be checked on the letter verification page.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from portal.models import IssuedDocument
from portal.pdf import render_pdf
from portal.seal.issuing import DocumentDescription, Stamp

from .models import ALTERED_STATE, LetterDocument, LetterSignature, ResponsibilityLetter, document_state

Status = ResponsibilityLetter.Status


def png_data_url(image) -> str:
    # PostgreSQL returns a memoryview for BinaryField, SQLite bytes.
    return "data:image/png;base64," + base64.b64encode(bytes(image)).decode("ascii")


def letter_context(letter: ResponsibilityLetter) -> dict:
    signatures = {s.role: s for s in letter.signatures.all()}
    return {
        "letter": letter,
        "paragraphs": [line for line in letter.body.splitlines() if line.strip()],
        "branch_signature": signatures.get(LetterSignature.Role.BRANCH),
        "committee_signature": signatures.get(LetterSignature.Role.COMMITTEE),
        "events": list(letter.events.all()),
        "generated_at": timezone.now(),
    }


def letter_pdf_filename(letter: ResponsibilityLetter) -> str:
    return f"{letter.title}-第{letter.version}版.pdf"


def render_letter_pdf(letter: ResponsibilityLetter, stamp: Stamp | None = None) -> tuple[str, str, bytes]:
    """(filename, content type, bytes), rendered in Chinese and Beijing time whatever the request."""
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        html = render_to_string("responsibility/letter_pdf.html", {**letter_context(letter), "stamp": stamp})
        content = render_pdf(html)
    return letter_pdf_filename(letter), "application/pdf", content


# -- what a registered letter PDF is (the verify pages) ------------------------------------

STATE_NOTES = {
    Status.ISSUED: _l("已下发，待支部书记签字"),
    Status.SIGNED: _l("支部书记已签字，待党委书记会签"),
    Status.COMPLETE: _l("双方已签订"),
}


def letter_document_title(letter: ResponsibilityLetter) -> str:
    return _("%(branch)s%(year)s年度意识形态工作责任书（第%(version)s版）") % {
        "branch": letter.branch.name,
        "year": letter.year,
        "version": letter.version,
    }


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _details(stored: LetterDocument, issued: IssuedDocument) -> tuple[str, ...]:
    letter = stored.letter
    status = stored.state.split("-", 1)[0]
    lines = [_("文件所示状态：%(status)s") % {"status": Status(status).label}]
    for signature in letter.signatures.filter(signed_at__lte=issued.issued_at).order_by("signed_at"):
        lines.append(
            _("%(role)s：%(name)s，%(when)s")
            % {"role": signature.get_role_display(), "name": signature.signer_name, "when": _when(signature.signed_at)}
        )
    if letter.offline and status == Status.COMPLETE:
        lines.append(
            _("线下签订：%(name)s，%(day)s") % {"name": letter.offline_signer, "day": f"{letter.offline_signed_on:%Y-%m-%d}"}
        )
    if letter.body_sha256:
        lines.append(_("正文哈希（SHA-256）：%(hash)s") % {"hash": letter.body_sha256})
    return tuple(lines)


def _currency(stored: LetterDocument) -> tuple[bool, str]:
    """(is the file the letter as it stands, and in force; why not, or a note)."""
    letter = stored.letter
    if letter.body_intact is False:
        return False, _("该责任书存储的正文与下发时的哈希不一致（正文在下发后被改动），请联系党委办公室核查。")
    if ALTERED_STATE in stored.state.split("-"):
        return False, _("本文件生成时责任书正文与哈希不一致，不能作为有效文本。")
    if letter.status == Status.REVOKED:
        return False, _("责任书已于 %(when)s 撤销：%(reason)s") % {"when": _when(letter.revoked_at), "reason": letter.revoke_reason}
    if stored.state != document_state(letter):
        return False, _("责任书此后已变更（现为“%(status)s”），本文件不是它的最新状态。") % {"status": letter.get_status_display()}
    if letter.status == Status.DRAFT:
        return False, _("草稿，未下发，不具效力。")
    return True, str(STATE_NOTES.get(letter.status, ""))


def describe_letter_document(issued: IssuedDocument) -> DocumentDescription | None:
    """What a registered letter PDF is, and whether it is still the letter in force (portal.seal describer)."""
    stored = LetterDocument.objects.filter(issued=issued).select_related("letter__branch").first()
    if stored is None or stored.letter.deleted_at is not None:
        return None
    current, status = _currency(stored)
    return DocumentDescription(
        title=letter_document_title(stored.letter),
        current=current,
        status=status,
        details=_details(stored, issued),
        url=reverse("responsibility:letter_detail", args=[stored.letter_id]),
    )
