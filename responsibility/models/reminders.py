"""One row per reminder e-mail sent, so the daily task never mails twice a day."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("责任书待签")
        ANALYSIS = "analysis", _("思想动态分析缺报")

    person = models.ForeignKey("portal.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("收件人"))
    day = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    email = models.EmailField(_("电子邮箱"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [models.UniqueConstraint(fields=["person", "day", "kind"], name="uniq_reminder_per_day")]
