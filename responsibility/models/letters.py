"""The responsibility letter (意识形态工作责任书), its lifecycle and its signing trail.

A letter's body is frozen when it is issued; its SHA-256 is recorded then and
shown again at every signature, so a signature always names the exact text
that was signed. Signatures and events are append-only.

Every change of a letter's state is one row of :data:`TRANSITIONS`; the
services in ``responsibility.services`` apply it and write the event, and the
pages, the admin and the ledger import go through those services.

Who signs a letter comes from the year's 责任分工 (:class:`Assignment`), not
from today's flags on Person or Branch: see ``AssignmentQuerySet.signing``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.chains import model_content
from portal.models import ChainLink, Record

from .records import Assignment

# The audit chain of letter events: one chain per letter (portal.chains).
LETTER_EVENTS_CHAIN = "responsibility.letter_events"
# The register kind of a letter's sealed PDF (portal.seal.issuing).
LETTER_DOCUMENT_KIND = "responsibility.letter"


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ResponsibilityLetter(Record):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ISSUED = "issued", _("已下发待签")
        SIGNED = "signed", _("支部已签待会签")
        COMPLETE = "complete", _("已签订")
        REVOKED = "revoked", _("已撤销")

    branch = models.ForeignKey("portal.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("支部"))
    year = models.PositiveIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    body_sha256 = models.CharField(_("正文哈希"), max_length=64, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    revoke_reason = models.TextField(_("撤销原因"), blank=True, editable=False)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("替代版本")
    )
    # Letters signed on paper are recorded with a scan instead of online signatures.
    offline = models.BooleanField(_("线下签订"), default=False, editable=False)
    offline_signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    offline_signer = models.CharField(_("支部签字人"), max_length=50, blank=True)
    offline_scan = models.FileField(_("扫描件"), upload_to="letters/scans/%Y/", blank=True)

    class Meta:
        verbose_name = _("意识形态工作责任书")
        verbose_name_plural = _("意识形态工作责任书")
        constraints = [
            # One live letter per branch and year: a correction revokes the old one first.
            models.UniqueConstraint(
                fields=["committee", "branch", "year"],
                condition=Q(deleted_at__isnull=True) & ~Q(status="revoked"),
                name="uniq_live_letter",
                violation_error_message=_("该支部本年度已有有效的责任书；如需更正，请撤销后生成新版本。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    # -- lifecycle (the table below) ----------------------------------------------------

    def allows(self, action: str) -> bool:
        """May ``action`` (an :class:`Action`) be applied to the letter as it stands?"""
        transition = TRANSITIONS[action]
        return self.status in transition.sources and not (transition.needs_intact_body and self.body_intact is False)

    def refusal(self, action: str) -> str:
        """Why ``action`` is not allowed now, in Chinese."""
        transition = TRANSITIONS[action]
        if self.status in transition.sources:
            return str(BODY_CHANGED)
        return str(transition.refusal) % {"status": self.get_status_display()}

    @property
    def is_frozen(self) -> bool:
        """Issued, signed or revoked: the text and the signing facts never change again."""
        return not self.allows(Action.EDIT)

    def restore_refusal(self, actor) -> str | None:
        """History and trash never bring back an earlier state of an issued letter."""
        if self.is_frozen:
            return str(_("责任书已下发或已签署，不能恢复历史版本；如需更正，请撤销后生成新版本。"))
        return None

    @property
    def is_signed_by_branch(self) -> bool:
        return self.status in (self.Status.SIGNED, self.Status.COMPLETE)

    # -- integrity --------------------------------------------------------------------

    @property
    def body_intact(self) -> bool | None:
        """Does the stored body still hash to the hash frozen at issue? None for a draft.

        Computed on every read, so a body changed behind the portal's back (a
        direct database edit) shows as changed wherever the letter appears.
        """
        if self.status == self.Status.DRAFT:
            return None
        return bool(self.body_sha256) and body_hash(self.body) == self.body_sha256

    # -- signers ----------------------------------------------------------------------

    @cached_property
    def branch_signer_ids(self) -> frozenset[int]:
        """Persons who sign for the branch: the year's 支部书记 of this branch in 责任分工."""
        return self._signers(Assignment.Kind.BRANCH, branch_id=self.branch_id)

    @cached_property
    def committee_signer_ids(self) -> frozenset[int]:
        """Persons who countersign for the committee: the year's 第一责任人 in 责任分工."""
        return self._signers(Assignment.Kind.FIRST)

    def _signers(self, kind: str, **filters) -> frozenset[int]:
        rows = Assignment.objects.signing().filter(committee_id=self.committee_id, year=self.year, kind=kind, **filters)
        return frozenset(rows.values_list("person_id", flat=True))

    def signer_user_id(self, role: str) -> int | None:
        """The user who signed in ``role`` (a LetterSignature.Role), if anyone has."""
        return next((s.signer_id for s in self.signatures.all() if s.role == role), None)

    @property
    def has_successor(self) -> bool:
        return ResponsibilityLetter.all_objects.filter(replaces=self).exists()


class LetterSignature(models.Model):
    class Role(models.TextChoices):
        BRANCH = "branch", _("支部书记签字")
        COMMITTEE = "committee", _("党委书记会签")

    letter = models.ForeignKey(ResponsibilityLetter, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(_("签字角色"), max_length=10, choices=Role.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签字人"))
    signer_name = models.CharField(_("签字人姓名"), max_length=50)
    signed_at = models.DateTimeField(_("签字时间"))
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=400, blank=True)
    image = models.BinaryField(_("签名图像 (PNG)"))
    body_sha256 = models.CharField(_("签字时正文哈希"), max_length=64)

    class Meta:
        verbose_name = _("签字")
        verbose_name_plural = _("签字")
        constraints = [models.UniqueConstraint(fields=["letter", "role"], name="uniq_letter_signature_role")]

    @property
    def body_matches(self) -> bool:
        """Is the letter's stored body still the text whose hash this signature recorded?"""
        return self.body_sha256 == body_hash(self.letter.body)


class LetterEvent(ChainLink):
    """One step of a letter's trail, linked into the letter's audit chain
    (``letter_event_content``) in the transaction that writes it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        UPDATED = "updated", _("修改草稿")
        ISSUED = "issued", _("下发")
        VIEWED = "viewed", _("查阅")
        SIGNED = "signed", _("支部签字")
        COUNTERSIGNED = "countersigned", _("党委会签")
        REVOKED = "revoked", _("撤销")
        DOWNLOADED = "downloaded", _("下载")
        OFFLINE = "offline", _("线下签订登记")

    letter = models.ForeignKey(ResponsibilityLetter, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50, blank=True)
    at = models.DateTimeField(_("时间"))
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("责任书事件")
        verbose_name_plural = _("责任书事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.actor_name}"


# The actor's name, not the user id: the chain says who acted as the page showed it.
LETTER_EVENT_CHAIN_FIELDS = ("letter", "kind", "actor_name", "at", "ip", "detail")


def letter_event_content(event) -> dict:
    """What the letter's audit chain protects of one event (also used by the
    migration that linked the events written before the chain, on its historical model)."""
    return model_content(event, LETTER_EVENT_CHAIN_FIELDS)


def letter_event_name(event) -> str:
    """How a chain message names one event."""
    when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M") if event.at else "?"
    return f"{event.get_kind_display()} · {event.actor_name or '—'} · {when} (#{event.pk})"


class LetterDocument(models.Model):
    """The sealed PDF of one state of a letter: rendered, sealed and registered
    once (``services.letter_document``), then served as stored, so every
    download of that state is the same file and verifies.

    ``state`` is ``document_state(letter)`` at issue: the status, plus the
    text's hash for a draft (each edit is a new draft) and a mark when the
    stored body no longer matches its hash.
    """

    letter = models.ForeignKey(ResponsibilityLetter, on_delete=models.PROTECT, related_name="documents")
    state = models.CharField(_("状态"), max_length=50)
    issued = models.OneToOneField(
        "portal.IssuedDocument", on_delete=models.PROTECT, related_name="+", verbose_name=_("签发登记")
    )
    file = models.FileField(_("盖章 PDF"), upload_to="letters/sealed/%Y/")
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("责任书盖章文件")
        verbose_name_plural = _("责任书盖章文件")
        constraints = [models.UniqueConstraint(fields=["letter", "state"], name="uniq_letter_document_state")]

    def __str__(self) -> str:
        return f"{self.letter} [{self.state}]"


ALTERED_STATE = "altered"


def document_state(letter: ResponsibilityLetter) -> str:
    """Which stored PDF shows the letter as it stands (see LetterDocument)."""
    parts = [letter.status]
    if letter.status == ResponsibilityLetter.Status.DRAFT:
        parts.append(body_hash(letter.title + "\n" + letter.body)[:16])
    if letter.body_intact is False:
        parts.append(ALTERED_STATE)
    return "-".join(parts)


# -- the lifecycle: one table ---------------------------------------------------------------


class Action(models.TextChoices):
    EDIT = "edit", _("修改草稿")
    DELETE = "delete", _("删除草稿")
    ISSUE = "issue", _("下发")
    SIGN = "sign", _("支部签字")
    COUNTERSIGN = "countersign", _("党委会签")
    OFFLINE = "offline", _("登记线下签订")
    REVOKE = "revoke", _("撤销")
    NEW_VERSION = "new_version", _("生成新版本")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]  # the states the action may start from
    target: str  # the state it leaves the letter in (new_version: the new letter starts as a draft)
    refusal: str  # shown when the letter is in any other state; may name %(status)s
    needs_intact_body: bool = False  # refused when the stored body no longer matches its hash


_S = ResponsibilityLetter.Status
BODY_CHANGED = _("责任书正文与下发时的哈希不一致，已拒绝此操作，请联系党委办公室（可撤销后生成新版本）。")

TRANSITIONS: dict[str, Transition] = {
    Action.EDIT: Transition(
        frozenset({_S.DRAFT}), _S.DRAFT, _("责任书已下发或已签署，不能修改或删除；如需更正，请撤销后生成新版本。")
    ),
    Action.DELETE: Transition(
        frozenset({_S.DRAFT}), _S.DRAFT, _("责任书已下发或已签署，不能修改或删除；如需更正，请撤销后生成新版本。")
    ),
    Action.ISSUE: Transition(frozenset({_S.DRAFT}), _S.ISSUED, _("只有草稿可以下发。")),
    Action.SIGN: Transition(
        frozenset({_S.ISSUED}), _S.SIGNED, _("此责任书当前状态为“%(status)s”，不能签字。"), needs_intact_body=True
    ),
    Action.COUNTERSIGN: Transition(
        frozenset({_S.SIGNED}),
        _S.COMPLETE,
        _("支部书记签字后才能会签；此责任书当前状态为“%(status)s”。"),
        needs_intact_body=True,
    ),
    Action.OFFLINE: Transition(
        frozenset({_S.DRAFT, _S.ISSUED}),
        _S.COMPLETE,
        _("只有草稿或待签的责任书可以登记线下签订；此责任书当前状态为“%(status)s”。"),
        needs_intact_body=True,
    ),
    Action.REVOKE: Transition(
        frozenset({_S.ISSUED, _S.SIGNED, _S.COMPLETE}),
        _S.REVOKED,
        _("只有已下发或已签订的责任书可以撤销（草稿可直接删除）。"),
    ),
    Action.NEW_VERSION: Transition(frozenset({_S.REVOKED}), _S.DRAFT, _("只有已撤销的责任书可以生成新版本。")),
}
