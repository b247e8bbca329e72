"""The annual assessment (考核, ASSESSMENT.md): a parent committee's scoring sheet
for a year, each direct child's assessment against it, and the rectification
items every deduction opens.

The assessment's states and the actions allowed from each are one table,
:data:`TRANSITIONS`, applied by ``reports.assessment.services``; nothing else
writes these rows (the admin is read-only).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.models import Record

HALF = Decimal("0.5")


class Rubric(models.Model):
    """考核细则: one per parent committee and year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    committee = models.ForeignKey(
        "portal.Committee", on_delete=models.PROTECT, related_name="+", verbose_name=_("上级党委")
    )
    year = models.PositiveIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    band_excellent = models.DecimalField(_("优秀线"), max_digits=5, decimal_places=1, default=Decimal(90))
    band_good = models.DecimalField(_("良好线"), max_digits=5, decimal_places=1, default=Decimal(80))
    band_pass = models.DecimalField(_("合格线"), max_digits=5, decimal_places=1, default=Decimal(60))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核细则")
        verbose_name_plural = _("考核细则")
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="assessment_rubric_once_a_year")]

    def __str__(self) -> str:
        return f"{self.committee}{self.year}年度考核细则"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    def grade(self, total: Decimal) -> str:
        """The grade of a total under this rubric's bands (ASSESSMENT.md)."""
        if total >= self.band_excellent:
            return str(_("优秀"))
        if total >= self.band_good:
            return str(_("良好"))
        if total >= self.band_pass:
            return str(_("合格"))
        return str(_("不合格"))


class RubricItem(models.Model):
    class Method(models.TextChoices):
        AUTO = "auto", _("自动")
        MANUAL = "manual", _("人工")

    class Scoring(models.TextChoices):
        THRESHOLD = "threshold", _("达标得分")
        RATIO = "ratio", _("按比例")
        DEDUCT = "deduct", _("每缺一次扣N分")

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items", verbose_name=_("考核细则"))
    code = models.CharField(_("编号"), max_length=20)
    category = models.CharField(_("一级指标"), max_length=50)
    content = models.CharField(_("考核内容"), max_length=500)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1, validators=[MinValueValidator(HALF)])
    method = models.CharField(_("评分方式"), max_length=10, choices=Method.choices)
    indicator = models.CharField(_("指标"), max_length=60, blank=True)
    target = models.DecimalField(_("目标值"), max_digits=9, decimal_places=2, null=True, blank=True)
    scoring = models.CharField(_("计分办法"), max_length=10, choices=Scoring.choices, blank=True)
    deduct_per = models.DecimalField(_("每次扣分"), max_digits=5, decimal_places=1, null=True, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ("order", "id")
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="assessment_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.content}"

    @property
    def is_auto(self) -> bool:
        return self.method == self.Method.AUTO

    @property
    def scoring_label(self) -> str:
        if self.scoring == self.Scoring.DEDUCT:
            return f"每缺一次扣{self.deduct_per.normalize():f}分"
        return str(self.Scoring(self.scoring).label) if self.scoring else ""


class Action(models.TextChoices):
    PUBLISH = "publish", _("发布")
    SELF_SCORE = "self_score", _("自评")
    SUBMIT = "submit", _("提交")
    REVIEW = "review", _("审核")
    RETURN = "return", _("退回")
    FINALISE = "finalise", _("评定")


class Assessment(models.Model):
    """One child committee's assessment under its parent's rubric."""

    class State(models.TextChoices):
        SELF = "self", _("自评中")
        SUBMITTED = "submitted", _("待审核")
        FINAL = "final", _("已评定")

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("考核细则"))
    committee = models.ForeignKey(
        "portal.Committee", on_delete=models.PROTECT, related_name="+", verbose_name=_("被考核党委")
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SELF)
    round = models.PositiveIntegerField(_("轮次"), default=1)
    # The snapshot the ranking reads (kept at submit, review and finalise): never recomputed live.
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, null=True, blank=True)
    subtotals = models.JSONField(_("分类得分"), default=dict, blank=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [models.UniqueConstraint(fields=["rubric", "committee"], name="assessment_once_per_rubric")]

    def __str__(self) -> str:
        return f"{self.committee}{self.rubric.year}年度考核"

    def allows(self, action: str) -> bool:
        return self.state in TRANSITIONS.get(action, {})

    def target_state(self, action: str) -> str:
        return TRANSITIONS[action][self.state]

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL


S = Assessment.State
# action -> {allowed from: leads to}. The one table of the assessment's lifecycle.
TRANSITIONS: dict[str, dict[str, str]] = {
    Action.SELF_SCORE: {S.SELF: S.SELF},
    Action.SUBMIT: {S.SELF: S.SUBMITTED},
    Action.REVIEW: {S.SUBMITTED: S.SUBMITTED},
    Action.RETURN: {S.SUBMITTED: S.SELF},
    Action.FINALISE: {S.SUBMITTED: S.FINAL},
}


class AssessmentItem(Record):
    """One rubric item of one assessment: the self-assessment, the frozen value
    and score once submitted, and the review. A Record (of the child committee)
    so evidence hangs on it through ``portal.attachments``."""

    class Review(models.TextChoices):
        PENDING = "", _("待审核")
        ACCEPTED = "accepted", _("认可")
        ADJUSTED = "adjusted", _("调整")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="items", verbose_name=_("考核"))
    rubric_item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("考核项目"))
    self_score = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    explanation = models.TextField(_("自评说明"), blank=True)
    # Frozen at submit: the indicator's value, the score, and the records behind the value.
    value = models.DecimalField(_("指标值"), max_digits=12, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.JSONField(_("佐证记录"), default=dict, blank=True)  # {"model": label, "ids": [...]}
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    review = models.CharField(_("审核"), max_length=10, choices=Review.choices, default="", blank=True)
    reviewer_score = models.DecimalField(_("审核得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_reason = models.TextField(_("调整理由"), blank=True)

    class Meta:
        verbose_name = _("考核得分项")
        verbose_name_plural = _("考核得分项")
        ordering = ("rubric_item__order", "rubric_item_id")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rubric_item"], name="assessment_item_once"),
        ]

    def __str__(self) -> str:
        return str(self.rubric_item)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessment:detail", args=[self.assessment_id])

    @property
    def is_frozen(self) -> bool:
        """Evidence is added while the unit assesses itself; after submit it is what was submitted."""
        return self.assessment.state != Assessment.State.SELF

    @property
    def final_score(self) -> Decimal | None:
        if self.review == self.Review.ADJUSTED:
            return self.reviewer_score
        return self.score


class AssessmentRound(models.Model):
    """An earlier round kept when an assessment is returned (and the last one when it is finalised):
    every item as it was submitted and reviewed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("考核"))
    number = models.PositiveIntegerField(_("轮次"))
    items = models.JSONField(_("各项"), default=list)
    outcome = models.CharField(_("结果"), max_length=10, choices=Action.choices)
    comment = models.TextField(_("意见"), blank=True)
    closed_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")
        ordering = ("number",)
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="assessment_round_once")]


class AssessmentEvent(models.Model):
    """Who did what when: every step of a rubric, an assessment and its rectifications."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="events", verbose_name=_("考核细则"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("考核")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    action = models.CharField(_("操作"), max_length=30)
    detail = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核日志")
        verbose_name_plural = _("考核日志")
        ordering = ("at", "id")


class Rectification(Record):
    """整改: opened for every item scored below its points when an assessment is finalised."""

    class State(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已整改待确认")
        CONFIRMED = "confirmed", _("已确认")
        REOPENED = "reopened", _("已重新打开")

    item = models.OneToOneField(
        AssessmentItem, on_delete=models.PROTECT, related_name="rectification", verbose_name=_("考核得分项")
    )
    finding = models.TextField(_("发现的问题"))
    due_date = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    closing_note = models.TextField(_("整改说明"), blank=True)
    closed_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重新打开理由"), blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ("due_date", "id")

    def __str__(self) -> str:
        return f"整改：{self.item}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessment:rectification", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.OPEN, self.State.REOPENED)

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def is_frozen(self) -> bool:
        """Evidence is added while the unit still works on it."""
        return not self.is_open
