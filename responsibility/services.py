"""Writes of the responsibility app: the letter workflow, monthly tick-offs, reminders.

Every letter action is one service that changes the letter and appends a
LetterEvent in the same transaction. A refusal raises :class:`LetterRefused`
with a Chinese message before anything is written; ``field`` names the form
field the message belongs to (password / signature) when there is one.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import io

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.models import Branch, Person
from portal.rules import allowed

from .models import LetterEvent, LetterSignature, MonthlyTask, ReminderLog, ResponsibilityLetter, TrendAnalysis

Status = ResponsibilityLetter.Status

SIGNATURE_MAX_BYTES = 300 * 1024
SIGNATURE_MAX_SIDE = 2000
SIGNATURE_MIN_INK_PIXELS = 30


class Refused(Exception):
    """A business rule said no; ``message`` is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class LetterRefused(Refused):
    pass


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _actor_name(actor: Actor) -> str:
    return actor.person.name if actor.person else actor.user.get_username()


def _event(letter: ResponsibilityLetter, kind: str, actor: Actor | None, *, ip: str | None = None, detail: str = "") -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter,
        kind=kind,
        actor=actor.user if actor else None,
        actor_name=_actor_name(actor) if actor else "",
        at=timezone.now(),
        ip=ip or None,
        detail=detail[:400],
    )


def _require_office(actor: Actor) -> None:
    if not actor.is_office:
        raise LetterRefused(_("只有党委办公室可以进行此操作。"))


def _locked(letter: ResponsibilityLetter) -> ResponsibilityLetter:
    """Re-read the letter under a row lock so two clicks cannot both pass the checks."""
    return ResponsibilityLetter.objects.select_for_update().get(pk=letter.pk)


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


def _live_letter_exists(committee, branch: Branch, year: int) -> bool:
    return (
        ResponsibilityLetter.objects.filter(committee=committee, branch=branch, year=year)
        .exclude(status=Status.REVOKED)
        .exists()
    )


@transaction.atomic
def letter_create(*, actor: Actor, branch: Branch, year: int, duties: str = "") -> ResponsibilityLetter:
    _require_office(actor)
    if branch.committee_id != actor.committee.pk:
        raise LetterRefused(_("支部不属于本党委。"))
    if _live_letter_exists(actor.committee, branch, year):
        raise LetterRefused(_("%(branch)s %(year)s年度已有有效的责任书；如需更正，请撤销后生成新版本。") % {"branch": branch.name, "year": year})
    title, body = letter_template(committee=actor.committee, branch=branch, year=year, duties=duties)
    letter = ResponsibilityLetter.objects.create(
        committee=actor.committee, created_by=actor.user, branch=branch, year=year, title=title, body=body
    )
    _event(letter, LetterEvent.Kind.CREATED, actor)
    return letter


@transaction.atomic
def letter_update(*, actor: Actor, letter: ResponsibilityLetter, title: str, body: str) -> ResponsibilityLetter:
    _require_office(actor)
    letter = _locked(letter)
    if letter.status != Status.DRAFT:
        raise LetterRefused(_("责任书已下发，正文不能再修改；如需更正，请撤销后生成新版本。"))
    if not body.strip() or not title.strip():
        raise LetterRefused(_("标题和正文不能为空。"))
    letter.title = title.strip()
    letter.body = body.strip()
    letter.save(update_fields=["title", "body", "updated_at"])
    _event(letter, LetterEvent.Kind.UPDATED, actor)
    return letter


@transaction.atomic
def letter_issue(*, actor: Actor, letter: ResponsibilityLetter, ip: str | None = None) -> ResponsibilityLetter:
    _require_office(actor)
    letter = _locked(letter)
    if letter.status != Status.DRAFT:
        raise LetterRefused(_("只有草稿可以下发。"))
    letter.body_sha256 = body_hash(letter.body)
    letter.status = Status.ISSUED
    letter.issued_at = timezone.now()
    letter.save(update_fields=["body_sha256", "status", "issued_at", "updated_at"])
    _event(letter, LetterEvent.Kind.ISSUED, actor, ip=ip, detail=f"SHA-256 {letter.body_sha256}")
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
    if body_hash(letter.body) != letter.body_sha256:
        raise LetterRefused(_("责任书正文与下发时的哈希不一致，已拒绝签字，请联系党委办公室。"))
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
    actor: Actor,
    letter: ResponsibilityLetter,
    role: str,
    *,
    state: tuple[str, str, str],
    refused: str,
    signing: dict,
) -> tuple[LetterSignature, bool]:
    """Shared steps of signing and countersigning; ``state`` is (required, next status, event kind)."""
    existing = letter.signatures.filter(role=role).first()
    if existing is not None:
        return existing, False
    required, next_status, event_kind = state
    if letter.status != required:
        raise LetterRefused(refused % {"status": letter.get_status_display()})
    _check_signing(actor, letter, password=signing["password"], seen_hash=signing["seen_hash"])
    image = decode_signature(signing["signature_data_url"])
    signature = _signature(letter, role, actor, image, signing["ip"], signing["user_agent"])
    letter.status = next_status
    letter.save(update_fields=["status", "updated_at"])
    _event(letter, event_kind, actor, ip=signing["ip"], detail=f"SHA-256 {letter.body_sha256}")
    return signature, True


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
    """The branch secretary signs. Returns (signature, created); signing twice returns the first."""
    letter = _locked(letter)
    if not (actor.is_branch_secretary and actor.branch and actor.branch.pk == letter.branch_id):
        raise LetterRefused(_("只有%(branch)s的支部书记可以签署此责任书。") % {"branch": letter.branch.name})
    return _sign_as(
        actor,
        letter,
        LetterSignature.Role.BRANCH,
        state=(Status.ISSUED, Status.SIGNED, LetterEvent.Kind.SIGNED),
        refused=_("此责任书当前状态为“%(status)s”，不能签字。"),
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
    """The committee secretary countersigns after the branch; the letter is then complete."""
    letter = _locked(letter)
    if not actor.is_committee_secretary:
        raise LetterRefused(_("只有党委书记可以会签责任书。"))
    return _sign_as(
        actor,
        letter,
        LetterSignature.Role.COMMITTEE,
        state=(Status.SIGNED, Status.COMPLETE, LetterEvent.Kind.COUNTERSIGNED),
        refused=_("支部书记签字后才能会签；此责任书当前状态为“%(status)s”。"),
        signing={"password": password, "signature_data_url": signature_data_url, "seen_hash": seen_hash, "ip": ip, "user_agent": user_agent},
    )


# -- correcting and paper letters ---------------------------------------------------------


@transaction.atomic
def letter_revoke(*, actor: Actor, letter: ResponsibilityLetter, reason: str, ip: str | None = None) -> ResponsibilityLetter:
    _require_office(actor)
    letter = _locked(letter)
    if letter.status in (Status.DRAFT, Status.REVOKED):
        raise LetterRefused(_("只有已下发或已签订的责任书可以撤销（草稿可直接删除）。"))
    reason = (reason or "").strip()
    if not reason:
        raise LetterRefused(_("请填写撤销原因。"), field="reason")
    letter.status = Status.REVOKED
    letter.revoked_at = timezone.now()
    letter.revoke_reason = reason
    letter.save(update_fields=["status", "revoked_at", "revoke_reason", "updated_at"])
    _event(letter, LetterEvent.Kind.REVOKED, actor, ip=ip, detail=reason)
    return letter


@transaction.atomic
def letter_new_version(*, actor: Actor, letter: ResponsibilityLetter) -> ResponsibilityLetter:
    """A new draft replacing a revoked letter; the old one stays on record."""
    _require_office(actor)
    letter = _locked(letter)
    if letter.status != Status.REVOKED:
        raise LetterRefused(_("只有已撤销的责任书可以生成新版本。"))
    if ResponsibilityLetter.objects.filter(replaces=letter).exists():
        raise LetterRefused(_("此责任书已有新版本。"))
    if _live_letter_exists(letter.committee, letter.branch, letter.year):
        raise LetterRefused(_("该支部本年度已有有效的责任书。"))
    new = ResponsibilityLetter.objects.create(
        committee=letter.committee,
        created_by=actor.user,
        branch=letter.branch,
        year=letter.year,
        version=letter.version + 1,
        title=letter.title,
        body=letter.body,
        replaces=letter,
    )
    _event(new, LetterEvent.Kind.CREATED, actor, detail=_("替代第%(v)s版") % {"v": letter.version})
    return new


@transaction.atomic
def letter_record_offline(
    *, actor: Actor, letter: ResponsibilityLetter, signed_on: datetime.date, signer: str, scan, ip: str | None = None
) -> ResponsibilityLetter:
    """A letter signed on paper: the body is frozen as at issue and the scan kept."""
    _require_office(actor)
    letter = _locked(letter)
    if letter.status not in (Status.DRAFT, Status.ISSUED):
        raise LetterRefused(_("只有草稿或待签的责任书可以登记线下签订。"))
    if not scan or not (signer or "").strip() or signed_on is None:
        raise LetterRefused(_("请填写签订日期、签字人并上传扫描件。"))
    if letter.status == Status.DRAFT:
        letter.body_sha256 = body_hash(letter.body)
        letter.issued_at = timezone.now()
    letter.status = Status.COMPLETE
    letter.offline = True
    letter.offline_signed_on = signed_on
    letter.offline_signer = signer.strip()
    letter.offline_scan = scan
    letter.save()
    _event(letter, LetterEvent.Kind.OFFLINE, actor, ip=ip, detail=f"{signer.strip()} {signed_on:%Y-%m-%d}")
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
def letter_downloaded(*, actor: Actor, letter: ResponsibilityLetter, ip: str | None = None) -> None:
    _event(letter, LetterEvent.Kind.DOWNLOADED, actor, ip=ip)


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
    task.done_by = actor.user
    task.save(update_fields=["done_on", "done_by", "updated_at"])
    return True


# -- reminders ---------------------------------------------------------------------------


def _recipient(person: Person) -> str:
    return person.email or (person.user.email if person.user_id else "")


def _ended_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """Quarters of the last twelve months whose deadline has passed."""
    quarters = []
    for year in (today.year - 1, today.year):
        for quarter in range(1, 5):
            end = TrendAnalysis.quarter_end(year, quarter)
            if end < today and (today - end).days <= 366:
                quarters.append((year, quarter))
    return quarters


def _reminder_lines(branch: Branch, today: datetime.date) -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    letters = ResponsibilityLetter.objects.filter(branch=branch, status=Status.ISSUED).order_by("year")
    if letters:
        lines[ReminderLog.Kind.LETTER] = [_("《%(title)s》待您签字") % {"title": letter.title} for letter in letters]
    done = set(TrendAnalysis.objects.filter(branch=branch).values_list("year", "quarter"))
    missing = [q for q in _ended_quarters(today) if q not in done]
    if missing:
        lines[ReminderLog.Kind.ANALYSIS] = [
            _("%(year)s年第%(quarter)s季度思想动态分析尚未报送") % {"year": y, "quarter": q} for y, q in missing
        ]
    return lines


def reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail each branch secretary what waits for them; at most once per person, day and kind."""
    today = today or timezone.localdate()
    sent = 0
    branches = Branch.objects.filter(secretary__isnull=False).select_related("secretary__user", "committee")
    for branch in branches:
        person = branch.secretary
        address = _recipient(person)
        if not address:
            continue
        for kind, lines in _reminder_lines(branch, today).items():
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(person=person, day=today, kind=kind, email=address)
                    send_mail(
                        subject=_("【%(committee)s】意识形态工作提醒") % {"committee": branch.committee.short_name},
                        message=_("%(name)s同志：\n") % {"name": person.name} + "\n".join(lines),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=[address],
                    )
            except IntegrityError:  # already reminded today (a second run or a retry)
                continue
            sent += 1
    return sent
