"""The responsibility letter (意识形态工作责任书) and its signing trail.

A letter's body is frozen when it is issued; its SHA-256 is recorded then and
shown again at every signature, so a signature always names the exact text
that was signed. Signatures and events are append-only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Record


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

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def is_signed_by_branch(self) -> bool:
        return self.status in (self.Status.SIGNED, self.Status.COMPLETE)

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


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


class LetterEvent(models.Model):
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
