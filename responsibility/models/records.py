"""The records of the responsibility system itself (section 1 of the report)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import LiveManager, Person, Record
from portal.validators import plausible_date


class AssignmentQuerySet(models.QuerySet):
    def signing(self) -> "AssignmentQuerySet":
        """Rows that make their person a letter signer for their year.

        第一责任人 countersigns for the committee; 支部书记 of a branch signs for
        that branch. A row whose latest recorded version was written by the
        person it names grants nothing: nobody appoints themselves, whatever
        path (page, admin, history, trash, import) wrote it. Nor does a row
        whose person was last written by the login it links to: linking one's
        own login to a signer's person (the admin's 人员 form, a history
        restore) is appointing oneself by another door.
        """
        latest = self.model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        person_history = Person.history.model.objects.filter(id=OuterRef("person_id"))
        person_latest = person_history.order_by("-history_date", "-history_id")
        return (
            self.filter(
                Q(kind=Assignment.Kind.FIRST) | Q(kind=Assignment.Kind.BRANCH, branch__isnull=False),
                person__user__isnull=False,
                person__deleted_at__isnull=True,
            )
            .annotate(recorded_by=Subquery(latest.values("history_user_id")[:1]))
            .annotate(person_recorded_by=Subquery(person_latest.values("history_user_id")[:1]))
            .annotate(
                self_appointed=Case(
                    When(recorded_by=F("person__user_id"), then=True),
                    When(person_recorded_by=F("person__user_id"), then=True),
                    default=False,
                )
            )
            .filter(self_appointed=False)
        )


class Assignment(Record):
    """One person's responsibility in one year. The year's rows are also the
    year's roster: who sat on the committee (``counts_as_member``) and which
    branches there were, led by whom (支部书记 rows); see
    ``responsibility.selectors.year_members`` / ``year_branches``."""

    class Kind(models.TextChoices):
        FIRST = "first", _("第一责任人")
        DIRECT = "direct", _("直接责任人")
        DUAL = "dual", _("一岗双责")
        BRANCH = "branch", _("支部书记")

    # 第一责任人 (the secretary) and 直接责任人 (the deputy in charge) sit on the
    # committee by definition; 一岗双责 covers department heads too, so for the
    # other kinds the row says it (``committee_member``).
    MEMBER_KINDS = (Kind.FIRST, Kind.DIRECT)

    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    person = models.ForeignKey("portal.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("姓名"))
    kind = models.CharField(_("责任角色"), max_length=10, choices=Kind.choices)
    # The branch a 支部书记 signs the year's responsibility letter for.
    branch = models.ForeignKey(
        "portal.Branch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("支部"),
        help_text=_("责任角色为“支部书记”时必填：该年度由其签署本支部的责任书"),
    )
    scope = models.CharField(_("分管范围"), max_length=200, blank=True)
    committee_member = models.BooleanField(
        _("班子成员"),
        default=False,
        help_text=_("该年度是否为党委班子成员（第一责任人、直接责任人总是班子成员）。"
                    "年度报告的“班子成员交心谈心”只统计当年的班子成员。"),
    )

    objects = LiveManager.from_queryset(AssignmentQuerySet)()

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "person", "kind"],
                condition=Q(deleted_at__isnull=True),
                name="uniq_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.person} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.kind == self.Kind.BRANCH and not self.branch_id:
            raise ValidationError({"branch": _("支部书记须选择所在支部。")})
        if self.kind != self.Kind.BRANCH and self.branch_id:
            raise ValidationError({"branch": _("只有“支部书记”需要选择支部。")})
        if self.kind in self.MEMBER_KINDS:
            self.committee_member = True

    @classmethod
    def member_q(cls) -> Q:
        """The rows that make their person a committee member of their year."""
        return Q(kind__in=cls.MEMBER_KINDS) | Q(committee_member=True)

    @property
    def counts_as_member(self) -> bool:
        return self.kind in self.MEMBER_KINDS or self.committee_member

    def appoints(self, user) -> bool:
        """Does this row, as it stands, make ``user`` a letter signer of its year?"""
        signing = self.kind == self.Kind.FIRST or (self.kind == self.Kind.BRANCH and self.branch_id)
        return bool(
            signing and not self.is_deleted and user is not None and user.pk is not None
            and self.person_id and self.person.user_id == user.pk
        )

    def restore_refusal(self, actor) -> str | None:
        """Bringing this row back (history, trash) is an appointment like any other."""
        if self.appoints(actor.user):
            return _("不能由本人恢复任命自己为签字人（第一责任人或支部书记）的责任分工，请由党委办公室其他同志操作。")
        return None


class WorkDocument(Record):
    class Kind(models.TextChoices):
        PLAN = "plan", _("工作方案")
        LIST = "list", _("责任清单")
        STUDY_PLAN = "study_plan", _("学习计划")
        RULE = "rule", _("制度")
        OTHER = "other", _("其他")

    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    file = models.FileField(_("文件"), upload_to="documents/%Y/", blank=True)

    duplicate_same = ("date",)
    duplicate_text = "title"

    class Meta:
        verbose_name = _("工作文件")
        verbose_name_plural = _("工作文件")

    def __str__(self) -> str:
        return self.title


class CommitteeMeeting(Record):
    date = models.DateField(_("日期"), validators=[plausible_date])
    title = models.CharField(_("会议名称"), max_length=200)
    is_ideology = models.BooleanField(_("意识形态专题"), default=False, help_text=_("专题研究意识形态工作"))
    agenda = models.TextField(_("议题"), blank=True)
    host = models.ForeignKey(
        "portal.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("主持人")
    )

    duplicate_same = ("date",)
    duplicate_text = "title"

    class Meta:
        verbose_name = _("党委会议")
        verbose_name_plural = _("党委会议")

    def __str__(self) -> str:
        return self.title


class MonthlyTask(Record):
    month = models.DateField(_("月份"), help_text=_("取该月 1 日"))
    task = models.CharField(_("任务"), max_length=300)
    branch = models.ForeignKey(
        "portal.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任支部")
    )
    is_ideology = models.BooleanField(_("意识形态任务"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("销号人")
    )

    duplicate_same = ("month", "branch")
    duplicate_text = "task"

    class Meta:
        verbose_name = _("月销单任务")
        verbose_name_plural = _("月销单任务")

    def __str__(self) -> str:
        return self.task

    def clean(self):
        super().clean()
        if self.done_on is None or self.month is None:
            return
        began = self.month.replace(day=1)
        if self.done_on < began:
            raise ValidationError(
                {"done_on": _("完成日期不能早于任务所在月份（%(month)s）。") % {"month": f"{began.year}年{began.month}月"}}
            )
        if self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("完成日期不能晚于今天。")})

    def is_overdue(self, today) -> bool:
        """Open after the end of its month."""
        if self.done_on:
            return False
        next_month = (self.month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return today >= next_month


class Inspection(Record):
    class Form(models.TextChoices):
        MEETING = "meeting", _("会议督导")
        RESEARCH = "research", _("调研督导")
        CHECK = "check", _("专项检查")

    date = models.DateField(_("日期"))
    form = models.CharField(_("方式"), max_length=10, choices=Form.choices)
    branches = models.ManyToManyField("portal.Branch", blank=True, related_name="+", verbose_name=_("对象"))
    findings = models.TextField(_("发现问题"), blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    closed_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("督导检查")
        verbose_name_plural = _("督导检查")

    def __str__(self) -> str:
        return f"{self.date} {self.get_form_display()}"

    def clean_m2m(self, values):
        branches = values.get("branches") or ()
        if any(branch.committee_id != self.committee_id for branch in branches):
            raise ValidationError({"branches": _("督导对象只能是本党委的支部。")})


class Talk(Record):
    """A talk between two people. Talks by people who are not committee members
    are recorded too; the report counts only those whose talker is a member."""

    date = models.DateField(_("日期"), validators=[plausible_date])
    talker = models.ForeignKey("portal.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("谈话人"))
    talkee = models.ForeignKey("portal.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("谈话对象"))
    kind = models.CharField(_("谈话类型"), max_length=50, blank=True)
    summary = models.TextField(_("谈话要点"), blank=True, help_text=_("保密：仅谈话人、党委书记和党委办公室可见"))

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")

    def __str__(self) -> str:
        return f"{self.date} {self.talker}—{self.talkee}"

    # The same pair on the same day, either way round (see likely_duplicates).
    duplicate_same = ("date", "talker", "talkee")

    def clean(self):
        super().clean()
        if self.talker_id is not None and self.talker_id == self.talkee_id:
            raise ValidationError({"talkee": _("谈话人和谈话对象不能是同一人。")})

    def likely_duplicates(self) -> list:
        """The same pair (either way round) on the same day."""
        if self.committee_id is None or self.date is None or None in (self.talker_id, self.talkee_id):
            return []
        pair = Q(talker_id=self.talker_id, talkee_id=self.talkee_id) | Q(talker_id=self.talkee_id, talkee_id=self.talker_id)
        same = Talk.objects.filter(pair, committee_id=self.committee_id, date=self.date).exclude(pk=self.pk)
        return list(same.order_by("pk")[:5])


class TrendAnalysis(Record):
    branch = models.ForeignKey("portal.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("支部"))
    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]

    quarter = models.PositiveSmallIntegerField(
        _("季度"), choices=QUARTERS, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    date = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    findings = models.TextField(_("主要情况"), blank=True)
    measures = models.TextField(_("措施"), blank=True)
    is_special_survey = models.BooleanField(_("专题调研"), default=False)
    survey_topic = models.CharField(_("调研专题"), max_length=100, blank=True, help_text=_("如“后疫情”"))

    class Meta:
        verbose_name = _("思想动态分析")
        verbose_name_plural = _("思想动态分析")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "branch", "year", "quarter"],
                condition=Q(deleted_at__isnull=True),
                name="uniq_trend_analysis",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}年第{self.quarter}季度"

    # A quarter's analysis is due 15 days after the quarter ends (the unit's rule
    # behind "每季度开展一次思想动态分析").
    GRACE_DAYS = 15
    # An analysis dated later than this after its quarter belongs to another one.
    DATE_WINDOW_DAYS = 60

    def clean(self):
        super().clean()
        errors = {}
        if self.is_special_survey and not (self.survey_topic or "").strip():
            errors["survey_topic"] = _("专题调研请填写调研专题。")
        if self.date is not None and self.year and self.quarter in (1, 2, 3, 4):
            start = datetime.date(self.year, self.quarter * 3 - 2, 1)
            end = self.quarter_end(self.year, self.quarter) + datetime.timedelta(days=self.DATE_WINDOW_DAYS)
            if not start <= self.date <= end:
                errors["date"] = _(
                    "日期应在%(year)s年第%(quarter)s季度内或季度结束后 %(days)s 天内（%(start)s 至 %(end)s）。"
                ) % {"year": self.year, "quarter": self.quarter, "days": self.DATE_WINDOW_DAYS, "start": start, "end": end}
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def quarter_end(year: int, quarter: int) -> datetime.date:
        if quarter == 4:
            return datetime.date(year, 12, 31)
        return datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)

    @classmethod
    def deadline(cls, year: int, quarter: int) -> datetime.date:
        return cls.quarter_end(year, quarter) + datetime.timedelta(days=cls.GRACE_DAYS)

    @property
    def entered_on(self) -> datetime.date:
        """When it was entered: the later of its record date and its creation."""
        created = timezone.localdate(self.created_at) if self.created_at else self.date
        return max(created, self.date)

    @property
    def is_late(self) -> bool:
        return self.entered_on > self.deadline(self.year, self.quarter)
