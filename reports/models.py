"""The annual report: staff text per committee and year, and its builds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import ChainLink, Record
from portal.models.jobs import JobState


class AnnualReport(Record):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        FINAL = "final", _("定稿")

    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200, blank=True, help_text=_("留空则为“{单位}落实意识形态工作责任制情况报告”"))
    intro = models.TextField(_("开头段落"), blank=True)
    narrative_leadership = models.TextField(_("补充说明：加强组织领导"), blank=True)
    narrative_study = models.TextField(_("补充说明：加强理论学习"), blank=True)
    narrative_publicity = models.TextField(_("补充说明：抓好舆论引导"), blank=True)
    narrative_activities = models.TextField(_("补充说明：丰富活动"), blank=True)
    shortcomings = models.TextField(_("不足"), blank=True)
    next_steps = models.TextField(_("下一步"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # 成文日期 (GB/T 9704-2012): printed under the issuing body's name at the end of the report.
    issued_on = models.DateField(_("成文日期"), null=True, blank=True, help_text=_("定稿时填写，印在报告末尾的署名下方"))

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"], condition=Q(deleted_at__isnull=True), name="uniq_annual_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ReportFreeze(ChainLink):
    """A report as it was made final (定稿): its compiled content, the ids of the
    records behind each figure and a stamp of every record it was compiled
    from. While it stands (not reopened), every build of the report renders
    this content, so the report says exactly what it said when it was made
    final, whatever happens to the records later. Reopening keeps the row (and
    the reason) and lets the report follow the records again.

    The content fields are written once; the register's audit chain
    (``reports.report_freezes``) shows a change made to them in the database.
    """

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="freezes", verbose_name=_("年度报告"))
    content = models.JSONField(_("定稿内容"), editable=False)  # reports.frozen.encode(compiled context)
    content_sha256 = models.CharField(_("定稿内容哈希"), max_length=64, editable=False)
    evidence = models.JSONField(_("各数字依据的记录"), editable=False)  # {figure key: {"model": label, "ids": [...]}}
    snapshot = models.JSONField(_("定稿时的记录"), editable=False)  # {model label: {id: updated_at}}
    frozen_at = models.DateTimeField(_("定稿时间"), default=timezone.now, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False, verbose_name=_("定稿人"),
    )
    reopened_at = models.DateTimeField(_("撤销定稿时间"), null=True, blank=True, editable=False)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False, verbose_name=_("撤销人"),
    )
    reopen_reason = models.CharField(_("撤销定稿原因"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("报告定稿")
        verbose_name_plural = _("报告定稿")
        ordering = ["-frozen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=Q(reopened_at__isnull=True), name="uniq_standing_freeze")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.frozen_at:%Y-%m-%d %H:%M}"

    @property
    def stands(self) -> bool:
        return self.reopened_at is None


class ReportBuild(ChainLink):
    """One build of a report: its state while it runs, and once done the sealed PDF
    (registered in the portal's register of issued files, ``issued``) and the HTML.
    A done build is a link of its report's audit chain (``reports.report_builds``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="builds", verbose_name=_("年度报告"))
    number = models.PositiveIntegerField(_("第几次生成"), null=True, blank=True, editable=False)  # per report, from 1
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    html_file = models.FileField(_("HTML 文件"), upload_to="reports/%Y/", blank=True)
    html_sha256 = models.CharField(_("HTML 哈希"), max_length=64, blank=True)
    pdf_file = models.FileField(_("PDF 文件"), upload_to="reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF 哈希"), max_length=64, blank=True)
    # The same report as Word, for the office to edit, and the year's ledger
    # workbook (every record the appendix counts), made by the same build.
    docx_file = models.FileField(_("Word 文件"), upload_to="reports/%Y/", blank=True)
    ledger_file = models.FileField(_("台账工作簿"), upload_to="reports/%Y/", blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    # When the task was last handed to the broker; requeue_stale_builds uses it
    # so a build whose publish failed (Redis down) is retried, not lost.
    enqueued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    # What the build rendered: the report as made final (its freeze) or, for a
    # draft, the records as they stood; set when the build runs.
    report_status = models.CharField(_("报告状态"), max_length=10, choices=AnnualReport.Status.choices, blank=True)
    freeze = models.ForeignKey(
        ReportFreeze, null=True, blank=True, on_delete=models.PROTECT, related_name="builds", verbose_name=_("定稿")
    )
    issued = models.ForeignKey(
        "portal.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("签发登记"),
    )

    class Meta:
        verbose_name = _("报告生成")
        verbose_name_plural = _("报告生成")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="reportbuild_status_idx")]

    def __str__(self) -> str:
        return f"{self.report} #{self.pk} {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def save(self, *args, **kwargs):
        # Numbered in the order requested; build_request holds the report's row lock.
        if self.number is None and self.report_id is not None:
            last = ReportBuild.objects.filter(report_id=self.report_id).aggregate(n=models.Max("number"))["n"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)


class BinderBuild(JobState):
    """One build of the evidence binder (佐证材料包) of a committee and year: its
    state while it runs (progress = items done of ``items_total``) and, once
    done, the zip. A failed build keeps no file; the last good one stays
    downloadable (reports.binder.selectors.last_good_binder)."""

    committee = models.ForeignKey(
        "portal.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("党委")
    )
    year = models.PositiveIntegerField(_("年度"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    items_done = models.PositiveIntegerField(_("已完成项数"), default=0)
    items_total = models.PositiveIntegerField(_("总项数"), default=0)
    file = models.FileField(_("佐证材料包"), upload_to="binders/%Y/", blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    issued = models.ForeignKey(
        "portal.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("目录签发登记"),
    )

    class Meta:
        verbose_name = _("佐证材料包")
        verbose_name_plural = _("佐证材料包")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["committee", "year", "status"], name="binderbuild_state_idx")]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year} #{self.pk} {self.get_status_display()}"
