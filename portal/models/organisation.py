"""The organisation: committees, their branches, departments and people."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Record


class Committee(models.Model):
    slug = models.SlugField(_("标识"), unique=True, validators=[RegexValidator(r"^[a-z0-9-]+$")])
    name = models.CharField(_("党委名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, help_text=_("如“局党委”"))
    unit_name = models.CharField(_("单位名称"), max_length=100, help_text=_("报告标题中的单位，如“局机关”"))
    superiors = models.CharField(
        _("上级"), max_length=200, blank=True, help_text=_("报告开头提到的上级，如“省中心党委和水务局党组”")
    )
    # The superior committee that assesses this one (ASSESSMENT.md). Chains are
    # allowed; a cycle is refused by clean() (the admin's form) and by
    # portal.services.committee_set_parent (the command), which both ask parent_refusal().
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级党委"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # Its settings name the unit in every report; a ledger import's 党委 sheet overwrites them.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党委")
        verbose_name_plural = _("党委")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        reason = self.parent_refusal(self.parent)
        if reason:
            raise ValidationError({"parent": reason})

    def parent_refusal(self, parent: "Committee | None") -> str | None:
        """Why ``parent`` cannot be this committee's parent (a Chinese reason), or None."""
        if parent is None:
            return None
        if self.pk is not None and parent.pk == self.pk:
            return _("不能把党委设为自己的上级党委。")
        if self.pk is not None and self.pk in {c.pk for c in parent.ancestors()}:
            return _("不能把%(parent)s设为%(name)s的上级党委：它是%(name)s的下级党委，这样会形成循环。") % {
                "parent": parent.name, "name": self.name}
        return None

    def ancestors(self) -> list["Committee"]:
        """Parent, grandparent, ... (nearest first); stops at a cycle rather than looping."""
        chain: list[Committee] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """Ids of every committee below this one (not itself), one query per level."""
        found: set[int] = set()
        level = {self.pk}
        while level:
            level = set(Committee.objects.filter(parent_id__in=level).values_list("pk", flat=True)) - found - {self.pk}
            found |= level
        return found


class Branch(Record):
    name = models.CharField(_("支部名称"), max_length=100)
    secretary = models.ForeignKey(
        "portal.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("支部书记"),
    )
    member_count = models.PositiveIntegerField(_("党员人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("党支部")
        verbose_name_plural = _("党支部")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], condition=Q(deleted_at__isnull=True), name="uniq_branch_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Department(Record):
    class Kind(models.TextChoices):
        OFFICE = "office", _("机关科室")
        STATION = "station", _("基层测站")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("所属支部"))
    head = models.ForeignKey(
        "portal.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("负责人")
    )

    class Meta:
        verbose_name = _("科室测站")
        verbose_name_plural = _("科室测站")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], condition=Q(deleted_at__isnull=True), name="uniq_department_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("党委办公室")
    LEADER = "leader", _("班子成员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    MEMBER = "member", _("普通党员")
    # 考核组成员: belongs to a superior committee and reads its descendants (ASSESSMENT.md).
    ASSESSOR = "assessor", _("考核组成员")


class Person(Record):
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("所在支部"))
    is_party_member = models.BooleanField(_("党员"), default=True)
    is_committee_member = models.BooleanField(_("班子成员"), default=False)
    is_secretary = models.BooleanField(
        _("党委书记"), default=False, help_text=_("第一责任人，会签责任书")
    )
    role = models.CharField(_("系统角色"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name"], condition=Q(deleted_at__isnull=True), name="uniq_person_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
