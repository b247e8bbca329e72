"""The organisation's record types: branches, departments and stations, people."""

from django import forms
from django.utils.translation import gettext_lazy as _l

from .filters import RecordFilterSet, YesNoFilter, branch_filter
from .forms import RecordForm
from .models import Branch, Department, Person
from .registry import Column, RecordType, register


class BranchForm(RecordForm):
    class Meta:
        model = Branch
        fields = ["name", "secretary", "member_count"]
        help_texts = {"secretary": _l("现任支部书记；签署某年度责任书的是当年“责任分工”中该支部的支部书记")}


class DepartmentForm(RecordForm):
    class Meta:
        model = Department
        fields = ["name", "kind", "branch", "head"]


class PersonForm(RecordForm):
    class Meta:
        model = Person
        fields = ["name", "title", "branch", "is_party_member", "is_committee_member", "is_secretary", "role", "email"]
        help_texts = {"is_secretary": _l("现任党委书记；会签某年度责任书的是当年“责任分工”中的第一责任人")}
        widgets = {"role": forms.Select}


class BranchFilter(RecordFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Branch
        fields = []


class DepartmentFilter(RecordFilterSet):
    search_fields = ("name",)
    branch = branch_filter(_l("所属支部"))

    class Meta:
        model = Department
        fields = ["kind", "branch"]


class PersonFilter(RecordFilterSet):
    search_fields = ("name", "title")
    branch = branch_filter(_l("所在支部"))
    is_committee_member = YesNoFilter(label=_l("班子成员"))

    class Meta:
        model = Person
        fields = ["branch", "is_committee_member", "role"]


BRANCH = RecordType(
    "portal.branch", _l("党支部"), Branch, None,
    form=BranchForm, filterset=BranchFilter, dashboard=False,
    columns=(Column("name", _l("支部名称")), Column("secretary", _l("支部书记"), sort="secretary__name"),
             Column("member_count", _l("党员人数"))),
    ordering=("id",), select_related=("secretary",),
)
DEPARTMENT = RecordType(
    "portal.department", _l("科室测站"), Department, None,
    form=DepartmentForm, filterset=DepartmentFilter, dashboard=False,
    columns=(Column("name", _l("名称")), Column("kind", _l("类型")), Column("branch", _l("所属支部"), sort="branch__name"),
             Column("head", _l("负责人"), sort="head__name")),
    ordering=("kind", "id"), select_related=("branch", "head"),
)
PERSON = RecordType(
    "portal.person", _l("人员"), Person, None,
    form=PersonForm, filterset=PersonFilter, dashboard=False,
    columns=(Column("name", _l("姓名")), Column("title", _l("职务")), Column("branch", _l("所在支部"), sort="branch__name"),
             Column("is_committee_member", _l("班子成员")), Column("role", _l("系统角色"))),
    ordering=("id",), select_related=("branch",),
)

RECORD_TYPES = (BRANCH, DEPARTMENT, PERSON)
for record_type in RECORD_TYPES:
    register(record_type)
