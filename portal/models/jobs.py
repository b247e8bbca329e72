"""Workbook imports run as background jobs (portal.jobs); their state lives here."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.Model):
    """The state of a background job (portal.jobs) in its own row: claimed
    queued → running by one conditional UPDATE, then done or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    note = models.CharField(_("当前步骤"), max_length=100, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ImportJob(JobState):
    """One run of the ledger engine on an uploaded workbook: a preview (dry
    run) or the write that confirms a preview. It belongs to the committee and
    the user who started it; nobody else reads it. The workbook stays under
    ``token`` in the ledger's upload folder until the job no longer needs it."""

    committee = models.ForeignKey("portal.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("党委"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("发起人")
    )
    sheet = models.CharField(_("工作表"), max_length=30, blank=True, help_text=_("留空表示整个台账"))
    reason = models.CharField(_("修改原因"), max_length=100)
    dry_run = models.BooleanField(_("试导入"))
    preview = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmations", verbose_name=_("试导入")
    )
    token = models.CharField(_("文件标识"), max_length=64)
    sha256 = models.CharField(_("文件哈希"), max_length=64)
    filename = models.CharField(_("文件名"), max_length=255)
    result = models.JSONField(_("结果"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status_idx")]

    def __str__(self) -> str:
        return f"{self.filename} #{self.pk} {self.get_status_display()}"

    @property
    def ok(self) -> bool:
        """Done, and the workbook was accepted (a preview that may be confirmed)."""
        return self.status == self.Status.DONE and bool(self.result.get("ok"))
