"""The installation's seal and the register of every file the portal issued."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .chain import ChainLink


class SealCertificate(models.Model):
    """A certificate this installation has sealed with. Replaced ones stay, so
    files sealed with them still verify. The private key is never stored here."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("自动生成（自签名）")
        PKCS12 = "pkcs12", _("机构证书（PKCS#12）")

    fingerprint = models.CharField(_("SHA-256 指纹"), max_length=64, unique=True)
    subject = models.CharField(_("证书主体"), max_length=300)
    certificate_pem = models.TextField(_("证书（PEM）"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    not_before = models.DateTimeField(_("有效期起"))
    not_after = models.DateTimeField(_("有效期止"))
    activated_at = models.DateTimeField(_("启用时间"), default=timezone.now)
    replaced_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("电子签章证书")
        verbose_name_plural = _("电子签章证书")
        ordering = ["-activated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.fingerprint[:16]})"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class SealEvent(ChainLink):
    """One entry of the seal's history (an audit chain of its own)."""

    class Kind(models.TextChoices):
        ACTIVATED = "activated", _("启用")
        REPLACED = "replaced", _("被替换")

    certificate = models.ForeignKey(
        SealCertificate, on_delete=models.PROTECT, related_name="events", verbose_name=_("证书")
    )
    kind = models.CharField(_("事件"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("电子签章记录")
        verbose_name_plural = _("电子签章记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certificate.fingerprint[:16]}"


class IssuedDocument(ChainLink):
    """A file the portal issued: what it is, for whom, and the SHA-256 of the
    exact sealed bytes. The row (and its code) exists before the file does,
    because the file prints the code; ``sha256`` is set once it is sealed."""

    code = models.CharField(_("校验码"), max_length=12, unique=True)
    kind = models.CharField(_("文件类型"), max_length=50)
    object_id = models.CharField(_("对象编号"), max_length=64)
    version = models.CharField(_("版本"), max_length=50, blank=True)
    committee = models.ForeignKey(
        "portal.Committee", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("党委")
    )
    description = models.CharField(_("说明"), max_length=300)
    issued_to = models.CharField(_("签发对象"), max_length=200, blank=True)
    issued_by = models.CharField(_("签发操作人"), max_length=150, blank=True)
    certificate = models.ForeignKey(
        SealCertificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("签章证书")
    )
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True, db_index=True)
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    superseded_reason = models.CharField(_("失效原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("签发文件")
        verbose_name_plural = _("签发文件")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id"], name="issued_doc_ref")]

    def __str__(self) -> str:
        return f"{self.description} [{self.display_code}]"

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
