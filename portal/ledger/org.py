"""The organisation's sheets: 党委 (the committee itself), 支部, 人员 and
科室测站, and the people and branches that other sheets name."""

from __future__ import annotations

from portal.models import Branch, Committee, Department, Person

from .columns import Bool, Choice, Int, Names, Ref, Text
from .sheets import Sheet

PERSONS = Names(Person, "人员")
BRANCHES = Names(Branch, "支部")


class CommitteeSheet(Sheet):
    """The committee being imported: one row, no natural key. The importer
    creates the committee from it when the slug is new (see importer)."""

    def objects(self, committee, year=None):
        return [committee]


COMMITTEE = CommitteeSheet(
    "党委",
    10,
    Committee,
    (
        Text("党委名称", "name", required=True, width=30),
        Text("简称", "short_name", required=True),
        Text("单位名称", "unit_name", required=True, width=20),
        Text("上级", "superiors", width=30),
    ),
    key=(),
)

SHEETS = (
    COMMITTEE,
    Sheet(
        "支部",
        20,
        Branch,
        (
            Text("支部名称", "name", required=True, width=22),
            Ref("支部书记", "secretary", PERSONS, creates=True),
            Int("党员人数", "member_count", width=10),
        ),
        key=("name",),
        defines=BRANCHES,
    ),
    Sheet(
        "人员",
        30,
        Person,
        (
            Text("姓名", "name", required=True, width=12),
            Ref("所在支部", "branch", BRANCHES, creates=True, width=22),
            Text("职务", "title", width=30),
            Bool("党员", "is_party_member", width=8),
            Bool("班子成员", "is_committee_member", width=10),
        ),
        key=("name",),
        defines=PERSONS,
    ),
    Sheet(
        "科室测站",
        40,
        Department,
        (
            Text("名称", "name", required=True, width=20),
            Choice("类型", "kind", Department.Kind, required=True),
            Ref("所属支部", "branch", BRANCHES, width=22),
            Ref("负责人", "head", PERSONS, width=12),
        ),
        key=("name",),
        ordering=("kind", "id"),
    ),
)
