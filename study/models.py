"""Theory study (section 2 of the report): sessions, 学习强国 figures, handouts."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Record
from portal.validators import at_least_one, plausible_date


class StudySession(Record):
    class Kind(models.TextChoices):
        CENTRAL_GROUP = "central_group", _("党委理论学习中心组学习")
        PARTY_DAY = "party_day", _("主题党日")
        GENERAL_MEETING = "general_meeting", _("支部党员大会")
        BRANCH_COMMITTEE = "branch_committee", _("支委会")
        GROUP_MEETING = "group_meeting", _("党小组会")
        PARTY_LECTURE = "party_lecture", _("党课")
        OTHER = "other", _("其他")

    date = models.DateField(_("日期"), validators=[plausible_date])
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    branch = models.ForeignKey(
        "portal.Branch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("支部"),
        help_text=_("留空表示党委层面"),
    )
    theme = models.CharField(_("主题"), max_length=200)
    is_ideology = models.BooleanField(_("意识形态主题"), default=False)
    host = models.ForeignKey(
        "portal.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("主持人")
    )
    attendees = models.ManyToManyField("portal.Person", blank=True, related_name="+", verbose_name=_("参加人员"))
    headcount = models.PositiveIntegerField(_("参加人数"), null=True, blank=True, validators=[at_least_one])
    content = models.TextField(_("学习内容"), blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)

    # Branches often hold the same 主题党日 on the same day: a duplicate is the same branch's.
    duplicate_same = ("date", "branch")
    duplicate_text = "theme"

    class Meta:
        verbose_name = _("学习活动")
        verbose_name_plural = _("学习活动")

    def __str__(self) -> str:
        return self.theme

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CENTRAL_GROUP and self.branch_id is not None:
            raise ValidationError({"branch": _("党委理论学习中心组学习属于党委层面，支部请留空。")})

    @property
    def attendance(self) -> int | None:
        """The recorded headcount, else the number of attendees picked."""
        if self.headcount is not None:
            return self.headcount
        return len(self.attendees.all()) or None


class StudyAppStat(Record):
    month = models.DateField(_("月份"), help_text=_("取该月 1 日"))
    branch = models.ForeignKey(
        "portal.Branch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("支部"),
        help_text=_("留空表示全单位"),
    )
    activity_rate = models.DecimalField(
        _("活跃率（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(0, message=_("活跃率应在 0 到 100 之间。")),
            MaxValueValidator(100, message=_("活跃率应在 0 到 100 之间。")),
        ],
    )
    avg_score = models.DecimalField(
        _("日人均积分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0, message=_("日人均积分不能为负数。"))]
    )

    class Meta:
        verbose_name = _("学习强国数据")
        verbose_name_plural = _("学习强国数据")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "month"],
                condition=Q(deleted_at__isnull=True, branch__isnull=True),
                name="uniq_appstat_unit_month",
            ),
            models.UniqueConstraint(
                fields=["committee", "month", "branch"],
                condition=Q(deleted_at__isnull=True, branch__isnull=False),
                name="uniq_appstat_branch_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.branch or '全单位'}"


class MaterialHandout(Record):
    class Scope(models.TextChoices):
        MEMBER = "member", _("每位党员")
        BRANCH = "branch", _("每个支部")

    date = models.DateField(_("日期"))
    title = models.CharField(_("书名"), max_length=200)
    scope = models.CharField(_("发放范围"), max_length=10, choices=Scope.choices)
    quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True, validators=[at_least_one])

    duplicate_same = ("date",)
    duplicate_text = "title"

    class Meta:
        verbose_name = _("学习资料发放")
        verbose_name_plural = _("学习资料发放")

    def __str__(self) -> str:
        return self.title
