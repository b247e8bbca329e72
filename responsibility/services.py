"""Writes of the responsibility app: the letter workflow, signing roles, monthly tick-offs.

Every letter action is one service that checks who may act (the predicates
of ``portal.rules``), checks the lifecycle table next to the model
(``ResponsibilityLetter.allows``), changes the letter and appends a LetterEvent
in the same transaction. Pages, the admin and the ledger import all come
through here. A refusal raises :class:`LetterRefused` with a Chinese message
before anything is written; ``field`` names the form field the message belongs
to (password / signature) or, for a ledger row, the sheet column.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import io
from dataclasses import dataclass

import rules
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from portal import rules as portal_rules
from portal.access import Actor
from portal.chains import chain_append
from portal.models import Branch, Person
from portal.rules import allowed
from portal.seal.issuing import issue_pdf, issued_supersede
from portal.services import record_trash

from . import notifications
from .letter_pdf import letter_document_title, render_letter_pdf
from .models import (
    LETTER_DOCUMENT_KIND,
    LETTER_EVENTS_CHAIN,
    TRANSITIONS,
    Action,
    Assignment,
    LetterDocument,
    LetterEvent,
    LetterSignature,
    MonthlyTask,
    ResponsibilityLetter,
    body_hash,
    document_state,
)

Status = ResponsibilityLetter.Status

SIGNATURE_MAX_BYTES = 300 * 1024
SIGNATURE_MAX_SIDE = 2000
SIGNATURE_MIN_INK_PIXELS = 30

__all__ = ["body_hash"]  # re-exported: the demo and older callers hash through the services


class Refused(Exception):
    """A business rule said no; ``message`` is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class LetterRefused(Refused):
    pass


def _actor_name(actor: Actor) -> str:
    if actor.person:
        return actor.person.name
    return actor.user.get_username() if actor.user is not None else _("系统")


def _event(letter: ResponsibilityLetter, kind: str, actor: Actor | None, *, ip: str | None = None, detail: str = "") -> LetterEvent:
    """Write one event and link it into the letter's audit chain (same transaction)."""
    event = LetterEvent.objects.create(
        letter=letter,
        kind=kind,
        actor=actor.user if actor else None,
        actor_name=_actor_name(actor) if actor else "",
        at=timezone.now(),
        ip=ip or None,
        detail=detail[:400],
    )
    return chain_append(chain_key=LETTER_EVENTS_CHAIN, link=event)


def _require_office(actor: Actor) -> None:
    if not rules.test_rule("letters.manage", actor):
        raise LetterRefused(_("只有党委办公室可以进行此操作。"))


def _locked(letter: ResponsibilityLetter) -> ResponsibilityLetter:
    """Re-read the letter under a row lock so two clicks cannot both pass the checks."""
    found = ResponsibilityLetter.objects.select_for_update().filter(pk=letter.pk).first()
    if found is None:
        raise LetterRefused(_("该责任书已移入回收站。"))
    return found


def _transition(letter: ResponsibilityLetter, action: str) -> str:
    """The state ``action`` leads to, or LetterRefused with the table's reason.

    The sealed PDFs issued for the state the letter leaves stop being current
    in the register (undone with the rest if the action is refused later on).
    """
    if not letter.allows(action):
        raise LetterRefused(letter.refusal(action))
    issued_supersede(
        kind=LETTER_DOCUMENT_KIND, object_id=letter.pk, reason=_("责任书已变更：%(action)s") % {"action": Action(action).label}
    )
    return TRANSITIONS[action].target


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


# -- drafting ------------------------------------------------------------------------

DEFAULT_DUTIES = (
    "（一）认真学习贯彻习近平新时代中国特色社会主义思想，把意识形态工作纳入支部重要议事日程，每半年至少专题研究一次；\n"
    "（二）落实“三会一课”、主题党日等制度，组织党员开展理论学习，用好“学习强国”学习平台；\n"
    "（三）每季度开展一次党员干部思想动态分析，及时掌握和引导党员职工思想动态，按时报送分析材料；\n"
    "（四）加强对本支部微信群、QQ群等网络阵地和宣传栏的管理，坚决抵制错误思潮和负面言论；\n"
    "（五）落实谈心谈话制度，对苗头性、倾向性问题早发现、早报告、早处置；\n"
    "（六）按时完成党建任务月销单中的意识形态工作任务，接受党委督导检查。"
)


def letter_template(*, committee, branch: Branch, year: int, duties: str) -> tuple[str, str]:
    """The title and body of a new letter for one branch and year."""
    title = _("%(year)s年度意识形态工作责任书（%(branch)s）") % {"year": year, "branch": branch.name}
    duties = duties.strip() or DEFAULT_DUTIES
    body = _(
        "为全面落实意识形态工作责任制，牢牢掌握意识形态工作领导权，根据中央和上级党组织关于意识形态工作的部署要求，"
        "%(committee)s与%(branch)s签订%(year)s年度意识形态工作责任书。\n"
        "一、责任主体\n"
        "%(branch)s对本支部意识形态工作负主体责任，支部书记是第一责任人，支部委员按照“一岗双责”要求抓好分管范围内的意识形态工作。\n"
        "二、工作职责\n"
        "%(duties)s\n"
        "三、考核与追责\n"
        "%(committee)s将意识形态工作纳入党建工作责任制考核，定期督导检查；对落实不力、造成不良影响的，按照有关规定追究责任。\n"
        "四、其他\n"
        "本责任书一式两份，%(committee)s和%(branch)s各执一份，自签订之日起生效，有效期至%(year)s年12月31日。"
    ) % {"committee": committee.name, "branch": branch.name, "year": year, "duties": duties}
    return title, body


def _live_exists_message(branch: Branch, year: int) -> str:
    return _("%(branch)s %(year)s年度已有有效的责任书；如需更正，请撤销后生成新版本。") % {"branch": branch.name, "year": year}


def _live_letter_exists(committee, branch: Branch, year: int) -> bool:
    return (
        ResponsibilityLetter.objects.filter(committee=committee, branch=branch, year=year)
        .exclude(status=Status.REVOKED)
        .exists()
    )


def _insert(letter: ResponsibilityLetter) -> ResponsibilityLetter:
    """Save a new letter; the database's one-live-letter rule turns a race into a refusal."""
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        raise LetterRefused(_live_exists_message(letter.branch, letter.year)) from None
    return letter


@transaction.atomic
def letter_create(
    *, actor: Actor, branch: Branch, year: int, duties: str = "", title: str = "", body: str = "", note: str = ""
) -> ResponsibilityLetter:
    """A draft for one branch and year, from the template unless ``title``/``body`` are given."""
    _require_office(actor)
    if branch.committee_id != actor.committee.pk:
        raise LetterRefused(_("支部不属于本党委。"))
    if _live_letter_exists(actor.committee, branch, year):
        raise LetterRefused(_live_exists_message(branch, year))
    default_title, default_body = letter_template(committee=actor.committee, branch=branch, year=year, duties=duties)
    last = ResponsibilityLetter.objects.filter(committee=actor.committee, branch=branch, year=year).aggregate(v=Max("version"))["v"]
    letter = _insert(
        ResponsibilityLetter(
            committee=actor.committee,
            created_by=actor.user,
            branch=branch,
            year=year,
            version=(last or 0) + 1,
            title=title.strip() or default_title,
            body=body.strip() or default_body,
        )
    )
    _event(letter, LetterEvent.Kind.CREATED, actor, detail=note)
    return letter


@transaction.atomic
def letter_update(*, actor: Actor, letter: ResponsibilityLetter, title: str, body: str, note: str = "") -> ResponsibilityLetter:
    _require_office(actor)
    letter = _locked(letter)
    _transition(letter, Action.EDIT)
    if not body.strip() or not title.strip():
        raise LetterRefused(_("标题和正文不能为空。"))
    letter.title = title.strip()
    letter.body = body.strip()
    letter.save(update_fields=["title", "body", "updated_at"])
    _event(letter, LetterEvent.Kind.UPDATED, actor, detail=note)
    return letter


@transaction.atomic
def letter_revert(*, actor: Actor, letter: ResponsibilityLetter, history_id: int) -> ResponsibilityLetter:
    """Restore a draft's title and body from its history: an edit like any other."""
    old = letter.history.filter(history_id=history_id).first()
    if old is None:
        raise LetterRefused(_("找不到该历史版本。"))
    when = timezone.localtime(old.history_date).strftime("%Y-%m-%d %H:%M")
    return letter_update(actor=actor, letter=letter, title=old.title, body=old.body, note=_("恢复为 %(date)s 的版本") % {"date": when})


@transaction.atomic
def letter_trash(*, actor: Actor, letter: ResponsibilityLetter) -> None:
    """Only a draft goes to the trash; an issued letter is corrected by revoking it."""
    _require_office(actor)
    letter = _locked(letter)
    _transition(letter, Action.DELETE)
    record_trash(actor=actor, record=letter)


@transaction.atomic
def letter_issue(*, actor: Actor, letter: ResponsibilityLetter, ip: str | None = None) -> ResponsibilityLetter:
    _require_office(actor)
    letter = _locked(letter)
    letter.status = _transition(letter, Action.ISSUE)
    letter.body_sha256 = body_hash(letter.body)
    letter.issued_at = timezone.now()
    letter.save(update_fields=["body_sha256", "status", "issued_at", "updated_at"])
    _event(letter, LetterEvent.Kind.ISSUED, actor, ip=ip, detail=f"SHA-256 {letter.body_sha256}")
    notifications.letter_notify(letter=letter, kind=LetterEvent.Kind.ISSUED, actor=actor)
    return letter
# -- signing -------------------------------------------------------------------------


def decode_signature(data_url: str) -> bytes:
    """The PNG bytes of a canvas data URL, or LetterRefused(field="signature")."""
    prefix = "data:image/png;base64,"
    empty = LetterRefused(_("请先在签名框内手写签名。"), field="signature")
    if not data_url or not data_url.startswith(prefix):
        raise empty
    encoded = data_url[len(prefix) :]
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise LetterRefused(_("签名图像过大。"), field="signature")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise LetterRefused(_("签名图像无效。"), field="signature") from None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.verify()
        with Image.open(io.BytesIO(raw)) as img:
            if img.format != "PNG" or max(img.size) > SIGNATURE_MAX_SIDE or min(img.size) < 20:
                raise LetterRefused(_("签名图像无效。"), field="signature")
            rgba = img.convert("RGBA")
    except LetterRefused:
        raise
    except Exception:
        raise LetterRefused(_("签名图像无效。"), field="signature") from None
    # A blank canvas is a valid PNG too: count the pixels that carry ink.
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    background.alpha_composite(rgba)
    histogram = background.convert("L").histogram()
    if sum(histogram[:200]) < SIGNATURE_MIN_INK_PIXELS:
        raise empty
    return raw


def _check_signing(actor: Actor, letter: ResponsibilityLetter, *, password: str, seen_hash: str) -> None:
    if (seen_hash or "").strip().lower() != letter.body_sha256:
        raise LetterRefused(_("您看到的正文版本与当前下发的版本不一致，请刷新页面重新阅读后再签字。"))
    if not password or not actor.user.check_password(password):
        raise LetterRefused(_("密码不正确。"), field="password")


def _signature(letter, role, actor: Actor, image: bytes, ip, user_agent) -> LetterSignature:
    return LetterSignature.objects.create(
        letter=letter,
        role=role,
        signer=actor.user,
        signer_name=_actor_name(actor),
        signed_at=timezone.now(),
        ip=ip or None,
        user_agent=(user_agent or "")[:400],
        image=image,
        body_sha256=letter.body_sha256,
    )


def _sign_as(
    actor: Actor, letter: ResponsibilityLetter, role: str, *, action: str, event_kind: str, signing: dict
) -> tuple[LetterSignature, bool]:
    """Shared steps of signing and countersigning, after the signer was checked."""
    existing = letter.signatures.filter(role=role).first()
    if existing is not None:
        return existing, False
    next_status = _transition(letter, action)
    _check_signing(actor, letter, password=signing["password"], seen_hash=signing["seen_hash"])
    image = decode_signature(signing["signature_data_url"])
    signature = _signature(letter, role, actor, image, signing["ip"], signing["user_agent"])
    letter.status = next_status
    letter.save(update_fields=["status", "updated_at"])
    _event(letter, event_kind, actor, ip=signing["ip"], detail=f"SHA-256 {letter.body_sha256}")
    notifications.letter_notify(letter=letter, kind=event_kind, actor=actor)
    return signature, True


BOTH_SIDES = _l("同一人不能同时代表支部和党委签署同一份责任书。")


@transaction.atomic
def letter_sign(
    *,
    actor: Actor,
    letter: ResponsibilityLetter,
    password: str,
    signature_data_url: str,
    seen_hash: str,
    ip: str | None = None,
    user_agent: str = "",
) -> tuple[LetterSignature, bool]:
    """The year's 支部书记 of the branch signs. Returns (signature, created); signing twice returns the first."""
    letter = _locked(letter)
    if not rules.test_rule("letters.signer", actor, letter):
        raise LetterRefused(
            _("只有%(year)s年度责任分工中%(branch)s的支部书记可以签署此责任书。") % {"year": letter.year, "branch": letter.branch.name}
        )
    if portal_rules.signed_for_committee(actor, letter):
        raise LetterRefused(str(BOTH_SIDES))
    return _sign_as(
        actor,
        letter,
        LetterSignature.Role.BRANCH,
        action=Action.SIGN,
        event_kind=LetterEvent.Kind.SIGNED,
        signing={"password": password, "signature_data_url": signature_data_url, "seen_hash": seen_hash, "ip": ip, "user_agent": user_agent},
    )


@transaction.atomic
def letter_countersign(
    *,
    actor: Actor,
    letter: ResponsibilityLetter,
    password: str,
    signature_data_url: str,
    seen_hash: str,
    ip: str | None = None,
    user_agent: str = "",
) -> tuple[LetterSignature, bool]:
    """The year's 第一责任人 countersigns after the branch; the letter is then complete."""
    letter = _locked(letter)
    if not rules.test_rule("letters.countersigner", actor, letter):
        raise LetterRefused(_("只有%(year)s年度责任分工中的第一责任人（党委书记）可以会签责任书。") % {"year": letter.year})
    if portal_rules.signed_for_branch(actor, letter):
        raise LetterRefused(str(BOTH_SIDES))
    return _sign_as(
        actor,
        letter,
        LetterSignature.Role.COMMITTEE,
        action=Action.COUNTERSIGN,
        event_kind=LetterEvent.Kind.COUNTERSIGNED,
        signing={"password": password, "signature_data_url": signature_data_url, "seen_hash": seen_hash, "ip": ip, "user_agent": user_agent},
    )


# -- correcting and paper letters ---------------------------------------------------------


@transaction.atomic
def letter_revoke(*, actor: Actor, letter: ResponsibilityLetter, reason: str, ip: str | None = None) -> ResponsibilityLetter:
    _require_office(actor)
    letter = _locked(letter)
    next_status = _transition(letter, Action.REVOKE)
    reason = (reason or "").strip()
    if not reason:
        raise LetterRefused(_("请填写撤销原因。"), field="reason")
    letter.status = next_status
    letter.revoked_at = timezone.now()
    letter.revoke_reason = reason
    letter.save(update_fields=["status", "revoked_at", "revoke_reason", "updated_at"])
    _event(letter, LetterEvent.Kind.REVOKED, actor, ip=ip, detail=reason)
    notifications.letter_notify(letter=letter, kind=LetterEvent.Kind.REVOKED, actor=actor)
    return letter


@transaction.atomic
def letter_new_version(*, actor: Actor, letter: ResponsibilityLetter) -> ResponsibilityLetter:
    """A new draft replacing a revoked letter; the old one stays on record."""
    _require_office(actor)
    letter = _locked(letter)
    _transition(letter, Action.NEW_VERSION)
    if letter.has_successor:
        raise LetterRefused(_("此责任书已有新版本。"))
    if _live_letter_exists(letter.committee, letter.branch, letter.year):
        raise LetterRefused(_live_exists_message(letter.branch, letter.year))
    new = _insert(
        ResponsibilityLetter(
            committee=letter.committee,
            created_by=actor.user,
            branch=letter.branch,
            year=letter.year,
            version=letter.version + 1,
            title=letter.title,
            body=letter.body,
            replaces=letter,
        )
    )
    _event(new, LetterEvent.Kind.CREATED, actor, detail=_("替代第%(v)s版") % {"v": letter.version})
    return new


@transaction.atomic
def letter_record_offline(
    *,
    actor: Actor,
    letter: ResponsibilityLetter,
    signed_on: datetime.date | None,
    signer: str,
    scan=None,
    ip: str | None = None,
    note: str = "",
) -> ResponsibilityLetter:
    """A letter signed on paper: the body is frozen as at issue, the signing facts and any scan kept.

    The page asks for a scan; a ledger row has none.
    """
    _require_office(actor)
    letter = _locked(letter)
    next_status = _transition(letter, Action.OFFLINE)
    signer = (signer or "").strip()
    if signed_on is None or not signer:
        raise LetterRefused(_("请填写签订日期和支部签字人。"))
    if letter.status == Status.DRAFT:
        letter.body_sha256 = body_hash(letter.body)
        letter.issued_at = timezone.now()
    letter.status = next_status
    letter.offline = True
    letter.offline_signed_on = signed_on
    letter.offline_signer = signer[:50]
    if scan:
        letter.offline_scan = scan
    letter.save()
    _event(letter, LetterEvent.Kind.OFFLINE, actor, ip=ip, detail=_joined(f"{letter.offline_signer} {signed_on:%Y-%m-%d}", note))
    return letter


# -- the ledger's 责任书 rows --------------------------------------------------------------
# A row goes through the same services a person uses. A letter that was issued,
# signed online or signed on paper is never changed or reverted by a workbook:
# a row that disagrees with it is an import error.

LETTER_SIGNED, LETTER_AWAITING = "已签订", "待签订"
IMPORT_NOTE = "台账导入"
# A paper letter recorded from a workbook: its text is the paper original.
OFFLINE_BODY = "本责任书为线下签订的纸质文本，由台账导入登记；以纸质原件或扫描件为准。"


@dataclass(frozen=True)
class LetterRow:
    """One cleaned row of the 责任书 sheet (年度, 支部, 标题, 签订日期, 支部签字人, 状态)."""

    year: int
    branch: Branch
    title: str
    signed_on: datetime.date | None = None
    signer: str = ""
    status: str = ""  # 已签订 / 待签订; empty means 已签订 when 签订日期 is given

    @property
    def wanted_status(self) -> str:
        return self.status or (LETTER_SIGNED if self.signed_on else LETTER_AWAITING)

    def cells(self) -> tuple:
        return (self.title.strip(), self.signed_on, self.signer.strip(), self.wanted_status)


@dataclass(frozen=True)
class LetterRowPlan:
    action: str  # "unchanged", "create", "update" (a draft edited or signed on paper) or "refuse"
    reason: str = ""  # why, in Chinese, when refused
    column: str = ""  # the sheet column the reason is about


ROW_COLUMNS = ("标题", "签订日期", "支部签字人", "状态")


def letter_row_cells(letter: ResponsibilityLetter) -> tuple:
    """The letter as the 责任书 sheet shows it: (标题, 签订日期, 支部签字人, 状态).

    An online-signed letter shows its last signature's date and its branch
    signer; pass letters with ``prefetch_related("signatures")`` to read many.
    """
    complete = letter.status == Status.COMPLETE
    status = LETTER_SIGNED if complete else LETTER_AWAITING
    if letter.offline or not complete:
        return (letter.title, letter.offline_signed_on, letter.offline_signer, status)
    signatures = {s.role: s for s in letter.signatures.all()}
    branch = signatures.get(LetterSignature.Role.BRANCH)
    last = signatures.get(LetterSignature.Role.COMMITTEE) or branch
    return (letter.title, timezone.localdate(last.signed_at) if last else None, branch.signer_name if branch else "", status)


def letter_row_plan(*, letter: ResponsibilityLetter | None, row: LetterRow) -> LetterRowPlan:
    """What importing ``row`` would do to ``letter`` (the live letter of the row's branch and year, or None).

    Pure: reads the letter (and its signatures) and writes nothing.
    """
    wanted = row.cells()
    status = row.wanted_status
    if status not in (LETTER_SIGNED, LETTER_AWAITING):
        return LetterRowPlan("refuse", _("状态应为“%(signed)s”或“%(awaiting)s”") % {"signed": LETTER_SIGNED, "awaiting": LETTER_AWAITING}, "状态")
    if letter is not None:
        current = letter_row_cells(letter)
        if current == wanted:
            return LetterRowPlan("unchanged")
        if letter.status != Status.DRAFT:
            return _frozen_row_refusal(letter, current, wanted)
    if status == LETTER_AWAITING and (row.signed_on or row.signer.strip()):
        return LetterRowPlan("refuse", _("待签订的责任书不能填写签订日期或支部签字人"), "状态")
    if status == LETTER_SIGNED and row.signed_on is None:
        return LetterRowPlan("refuse", _("已签订的责任书须填写签订日期"), "签订日期")
    if status == LETTER_SIGNED and not row.signer.strip():
        return LetterRowPlan("refuse", _("已签订的责任书须填写支部签字人"), "支部签字人")
    if not row.title.strip():
        return LetterRowPlan("refuse", _("标题不能为空"), "标题")
    return LetterRowPlan("create" if letter is None else "update")


def _frozen_row_refusal(letter: ResponsibilityLetter, current: tuple, wanted: tuple) -> LetterRowPlan:
    column = next(name for name, old, new in zip(ROW_COLUMNS, current, wanted) if old != new)
    if letter.offline:
        reason = _("该责任书已线下签订，台账不能修改或撤回；如需更正，请在责任书页面撤销后生成新版本")
    else:
        reason = _("该责任书已在系统中下发或在线签署，不能用台账修改，请在责任书页面处理")
    return LetterRowPlan("refuse", reason, column)


@transaction.atomic
def letter_row_apply(*, actor: Actor, letter: ResponsibilityLetter | None, row: LetterRow) -> ResponsibilityLetter | None:
    """Import one row through the letter services; LetterRefused (``field`` = column) when the plan refuses."""
    plan = letter_row_plan(letter=letter, row=row)
    if plan.action == "refuse":
        raise LetterRefused(plan.reason, field=plan.column)
    if plan.action == "unchanged":
        return letter
    signed = row.wanted_status == LETTER_SIGNED
    title = row.title.strip()
    if letter is None:
        body = OFFLINE_BODY if signed else ""
        letter = letter_create(actor=actor, branch=row.branch, year=row.year, title=title, body=body, note=IMPORT_NOTE)
    elif title != letter.title:
        letter = letter_update(actor=actor, letter=letter, title=title, body=letter.body, note=IMPORT_NOTE)
    if signed:
        letter = letter_record_offline(actor=actor, letter=letter, signed_on=row.signed_on, signer=row.signer, note=IMPORT_NOTE)
    return letter


# -- reading trail ---------------------------------------------------------------------


@transaction.atomic
def letter_viewed(*, actor: Actor, letter: ResponsibilityLetter, ip: str | None = None) -> bool:
    """Record the first view per user; later views add nothing."""
    if LetterEvent.objects.filter(letter=letter, kind=LetterEvent.Kind.VIEWED, actor=actor.user).exists():
        return False
    _event(letter, LetterEvent.Kind.VIEWED, actor, ip=ip)
    return True


@transaction.atomic
def letter_downloaded(*, actor: Actor, letter: ResponsibilityLetter, ip: str | None = None, document: LetterDocument | None = None) -> None:
    detail = _("校验码 %(code)s") % {"code": document.issued.display_code} if document is not None else ""
    _event(letter, LetterEvent.Kind.DOWNLOADED, actor, ip=ip, detail=detail)


# -- the sealed PDF: one per state of the letter -------------------------------------------


def letter_document(*, actor: Actor, letter: ResponsibilityLetter) -> LetterDocument:
    """The sealed PDF of the letter as it stands: the stored one, else rendered,
    sealed and registered now (portal.seal.issuing.issue_pdf) and stored.

    Raises SealUnavailable (portal.seal.keys) with a Chinese reason when a file
    must be issued and the seal cannot be used.
    """
    found = LetterDocument.objects.filter(letter=letter, state=document_state(letter)).select_related("issued").first()
    return found or _letter_document_issue(actor=actor, letter=letter)


@transaction.atomic
def _letter_document_issue(*, actor: Actor, letter: ResponsibilityLetter) -> LetterDocument:
    # Two first downloads at once: the second waits for the letter's row lock,
    # then finds the file the first one stored (one file, one register entry).
    letter = _locked(letter)
    state = document_state(letter)
    found = LetterDocument.objects.filter(letter=letter, state=state).select_related("issued").first()
    if found is not None:
        return found
    issued, sealed = issue_pdf(
        kind=LETTER_DOCUMENT_KIND,
        obj=letter,
        version=f"{letter.version}/{state}",
        description=f"{letter_document_title(letter)} · {letter.get_status_display()}",
        render=lambda stamp: render_letter_pdf(letter, stamp)[2],
        issued_to=letter.branch.name,
        issued_by=_actor_name(actor),
    )
    document = LetterDocument(letter=letter, state=state, issued=issued)
    document.file.save(f"{issued.code}.pdf", ContentFile(sealed), save=False)
    document.save()
    return document


# -- who signs: the year's 责任分工 ---------------------------------------------------------

APPOINT_SELF = _l(
    "不能任命自己为责任书签字人（第一责任人或支部书记）：这一条责任分工须由党委办公室其他同志录入或修改。"
)


def assignment_refusal(*, actor: Actor, assignment: Assignment) -> str | None:
    """Why the actor may not write this 责任分工 row as it stands, or None.

    For every path that writes one: the page, the admin, history and trash
    restores, and the ledger's 责任分工 sheet (one call per planned row).
    """
    if not rules.test_rule("letters.appoint", actor, assignment):
        return str(APPOINT_SELF)
    return None


@transaction.atomic
def assignment_save(*, actor: Actor, form) -> Assignment:
    """Save a 责任分工 form; a row that names a letter signer is logged as an appointment."""
    assignment = form.save(commit=False)
    refusal = assignment_refusal(actor=actor, assignment=assignment)
    if refusal:
        raise Refused(refusal)
    if assignment._state.adding:
        assignment.committee = actor.committee
        assignment.created_by = actor.user
    assignment._history_user = actor.user
    if assignment.kind in (Assignment.Kind.FIRST, Assignment.Kind.BRANCH):
        assignment._change_reason = _("任命责任书签字人：%(year)s年度%(kind)s %(person)s%(branch)s") % {
            "year": assignment.year,
            "kind": assignment.get_kind_display(),
            "person": assignment.person.name,
            "branch": f"（{assignment.branch.name}）" if assignment.branch_id else "",
        }
    assignment.save()
    return assignment


def assignment_default_branch(person: Person) -> Branch | None:
    """The branch a 支部书记 row names when a source gives none (the ledger sheet has no 支部 column):
    the branch whose secretary the person is, else the person's own branch."""
    return Branch.objects.filter(committee_id=person.committee_id, secretary=person).first() or person.branch


# -- monthly tasks -------------------------------------------------------------------------


@transaction.atomic
def task_tick_off(*, actor: Actor, task: MonthlyTask, today: datetime.date | None = None) -> bool:
    """销号: record the date and who. Returns False when it was already ticked off."""
    task = MonthlyTask.objects.select_for_update().get(pk=task.pk)
    if not allowed(actor, "responsibility.tick_off", task):
        raise Refused(_("只有党委办公室或责任支部的支部书记可以销号。"))
    if task.done_on:
        return False
    task.done_on = today or timezone.localdate()
    try:
        task.clean()  # not before the task's month (a task of a month to come)
    except ValidationError as exc:
        raise Refused("；".join(exc.messages)) from None
    task.done_by = actor.user
    task.save(update_fields=["done_on", "done_by", "updated_at"])
    return True
