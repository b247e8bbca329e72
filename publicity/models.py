"""Publicity and activities (sections 3 and 4 of the report)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from portal.models import Record
from portal.validators import at_least_one, plausible_date


class Article(Record):
    class Level(models.TextChoices):
        CENTRAL = "central", _("中央级")
        PROVINCIAL = "provincial", _("省部级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        INTERNAL = "internal", _("内部")

    date = models.DateField(_("日期"), validators=[plausible_date])
    title = models.CharField(_("标题"), max_length=300)
    outlet = models.CharField(_("媒体"), max_length=100)
    level = models.CharField(_("媒体级别"), max_length=12, choices=Level.choices)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    link = models.URLField(_("链接"), blank=True)

    duplicate_same = ("date",)
    duplicate_text = "title"

    class Meta:
        verbose_name = _("宣传稿件")
        verbose_name_plural = _("宣传稿件")

    def __str__(self) -> str:
        return self.title


class InternalBulletin(Record):
    series = models.CharField(_("刊物名称"), max_length=100, help_text=_("如《形势分析报告》"))
    issue_no = models.CharField(_("期号"), max_length=30)
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to="bulletins/%Y/", blank=True)

    class Meta:
        verbose_name = _("内部刊物")
        verbose_name_plural = _("内部刊物")
        # Issues are numbered within a series and a year (第1期 comes back each January).
        constraints = [
            models.UniqueConstraint(
                "committee",
                "series",
                ExtractYear("date"),
                "issue_no",
                condition=Q(deleted_at__isnull=True),
                name="uniq_bulletin_issue_year",
                violation_error_message=_("该刊物本年度已有相同期号。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.issue_no}"


class Channel(Record):
    class Kind(models.TextChoices):
        BOARD = "board", _("宣传栏")
        QQ = "qq", _("QQ群")
        WECHAT = "wechat", _("微信群")
        OFFICIAL = "official", _("公众号")
        OTHER = "other", _("其他")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    location = models.CharField(_("位置或平台"), max_length=200, blank=True)
    admin = models.CharField(_("管理员"), max_length=50, blank=True)
    themes = models.TextField(_("宣传内容"), blank=True)

    class Meta:
        verbose_name = _("宣传阵地")
        verbose_name_plural = _("宣传阵地")

    def __str__(self) -> str:
        return self.name


class ChannelCheck(Record):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="checks", verbose_name=_("宣传阵地"))
    date = models.DateField(_("检查日期"))
    findings = models.TextField(_("检查情况"), blank=True)

    class Meta:
        verbose_name = _("阵地监管检查")
        verbose_name_plural = _("阵地监管检查")

    def __str__(self) -> str:
        return f"{self.channel} {self.date}"


class RoleModel(Record):
    year = models.PositiveIntegerField(
        _("年度"),
        validators=[
            MinValueValidator(2000, message=_("年度应在 2000 到 2100 之间。")),
            MaxValueValidator(2100, message=_("年度应在 2000 到 2100 之间。")),
        ],
    )
    person = models.ForeignKey("portal.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("姓名"))
    honour = models.CharField(_("称号"), max_length=100)
    story = models.TextField(_("事迹"), blank=True)
    video_url = models.URLField(_("视频链接"), blank=True)

    class Meta:
        verbose_name = _("先进典型")
        verbose_name_plural = _("先进典型")

    def __str__(self) -> str:
        return f"{self.person} {self.honour}"


class Activity(Record):
    class Kind(models.TextChoices):
        CONSTITUTION_WEEK = "constitution", _("宪法宣传周")
        PARTY_BUILDING = "party_building", _("党建特色活动")
        FESTIVAL = "festival", _("传统节日")
        VOLUNTEER = "volunteer", _("志愿服务")
        OTHER = "other", _("其他")

    date = models.DateField(_("日期"), validators=[plausible_date])
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True, validators=[at_least_one])
    description = models.TextField(_("简述"), blank=True)

    duplicate_same = ("date",)
    duplicate_text = "title"

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(Record):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="photos", verbose_name=_("活动"))
    image = models.FileField(_("照片"), upload_to="activities/%Y/")
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
