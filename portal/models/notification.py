"""A notification: one thing one person has to know or do, shown in the portal and e-mailed."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Email(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        NO_ADDRESS = "no_address", _("无电子邮箱")

    committee = models.ForeignKey("portal.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("党委"))
    recipient = models.ForeignKey("portal.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("接收人"))
    kind = models.CharField(_("类型"), max_length=40)
    message = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # What makes two notifications the same (a letter's event, a day's reminder):
    # a retry or a second run finds the key taken and adds nothing.
    key = models.CharField(_("去重键"), max_length=200)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    email = models.CharField(_("邮件"), max_length=10, choices=Email.choices, default=Email.PENDING)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_error = models.CharField(_("邮件错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="uniq_notification_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email", "created_at"], name="notification_email"),
        ]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
