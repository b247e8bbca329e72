"""CRUD pages for the organisation: branches, departments and stations, people."""

from django import forms
from django.utils.translation import gettext_lazy as _l

from .crud import RecordViews
from .forms import RecordForm
from .models import Branch, Department, Person


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


class BranchViews(RecordViews):
    model = Branch
    form_class = BranchForm
    name = "branch"
    title = "党支部"
    columns = [("name", "支部名称"), ("secretary", "支部书记"), ("member_count", "党员人数")]
    search_fields = ["name"]
    date_field = None
    ordering = ["id"]
    select_related = ["secretary"]


class DepartmentViews(RecordViews):
    model = Department
    form_class = DepartmentForm
    name = "department"
    title = "科室测站"
    columns = [("name", "名称"), ("kind", "类型"), ("branch", "所属支部"), ("head", "负责人")]
    search_fields = ["name"]
    filter_fields = ["kind", "branch"]
    date_field = None
    ordering = ["kind", "id"]
    select_related = ["branch", "head"]


class PersonViews(RecordViews):
    model = Person
    form_class = PersonForm
    name = "person"
    title = "人员"
    columns = [
        ("name", "姓名"),
        ("title", "职务"),
        ("branch", "所在支部"),
        ("is_committee_member", "班子成员"),
        ("role", "系统角色"),
    ]
    search_fields = ["name", "title"]
    filter_fields = ["branch", "is_committee_member", "role"]
    date_field = None
    ordering = ["id"]
    select_related = ["branch"]
