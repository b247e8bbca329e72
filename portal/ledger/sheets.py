"""The sheets of the ledger workbook (ledger-format.md): their order, headers,
column kinds, the model field each column fills and each sheet's natural key.

Column kinds (parsed by :mod:`portal.ledger.parse`):
``text``, ``date``, ``month``, ``bool``, ``int``, ``year``, ``quarter``,
``rate``, ``decimal``, ``choice`` (a TextChoices label), ``person`` and
``branch`` (a name), ``branches`` (names joined by 、), and three columns
specific to one sheet: ``survey`` (思想动态分析 专题调研), ``status``
(责任书 状态) and ``checkdate`` (宣传阵地 最近检查日期).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model

from portal.models import Branch, Department, Person
from publicity.models import Activity, Article, Channel, InternalBulletin, RoleModel
from responsibility.models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)
from study.models import MaterialHandout, StudyAppStat, StudySession

LETTER_SIGNED, LETTER_AWAITING = "已签订", "待签订"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    required: bool = False
    width: int = 14
    choices: type | None = None  # a TextChoices class for kind "choice"

    @property
    def labels(self) -> dict[str, str]:
        """Label → stored value of a choice column."""
        return {str(label): value for value, label in self.choices.choices}

    @property
    def values(self) -> dict[str, str]:
        return {value: str(label) for value, label in self.choices.choices}


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[Model] | None
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields of the natural key
    year_field: str | None = None  # how the export picks the year; None: written whole
    year_kind: str = "date"  # "date" (a DateField), "int" (a year number)
    ordering: tuple[str, ...] = ("id",)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    @property
    def key_headers(self) -> str:
        return "、".join(self.column(f).header for f in self.key)


C = Column
COMMITTEE = "党委"

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        COMMITTEE,
        None,
        (
            C("党委名称", "name", required=True, width=30),
            C("简称", "short_name", required=True),
            C("单位名称", "unit_name", required=True, width=20),
            C("上级", "superiors", width=30),
        ),
        key=(),
    ),
    Sheet(
        "支部",
        Branch,
        (
            C("支部名称", "name", required=True, width=22),
            C("支部书记", "secretary", "person"),
            C("党员人数", "member_count", "int", width=10),
        ),
        key=("name",),
    ),
    Sheet(
        "人员",
        Person,
        (
            C("姓名", "name", required=True, width=12),
            C("所在支部", "branch", "branch", width=22),
            C("职务", "title", width=30),
            C("党员", "is_party_member", "bool", width=8),
            C("班子成员", "is_committee_member", "bool", width=10),
        ),
        key=("name",),
    ),
    Sheet(
        "科室测站",
        Department,
        (
            C("名称", "name", required=True, width=20),
            C("类型", "kind", "choice", required=True, choices=Department.Kind),
            C("所属支部", "branch", "branch", width=22),
            C("负责人", "head", "person", width=12),
        ),
        key=("name",),
        ordering=("kind", "id"),
    ),
    Sheet(
        "责任分工",
        Assignment,
        (
            C("年度", "year", "year", required=True, width=8),
            C("姓名", "person", "person", required=True, width=12),
            C("责任角色", "kind", "choice", required=True, choices=Assignment.Kind),
            C("分管范围", "scope", width=40),
        ),
        key=("year", "person", "kind"),
        year_field="year",
        year_kind="int",
    ),
    Sheet(
        "工作文件",
        WorkDocument,
        (
            C("日期", "date", "date", required=True, width=12),
            C("类型", "kind", "choice", required=True, choices=WorkDocument.Kind),
            C("标题", "title", required=True, width=50),
        ),
        key=("date", "title"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "党委会议",
        CommitteeMeeting,
        (
            C("日期", "date", "date", required=True, width=12),
            C("会议名称", "title", required=True, width=36),
            C("意识形态专题", "is_ideology", "bool", required=True, width=12),
            C("议题", "agenda", width=50),
            C("主持人", "host", "person", width=12),
        ),
        key=("date", "title"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "责任书",
        ResponsibilityLetter,
        (
            C("年度", "year", "year", required=True, width=8),
            C("支部", "branch", "branch", required=True, width=22),
            C("标题", "title", required=True, width=40),
            C("签订日期", "offline_signed_on", "date", width=12),
            C("支部签字人", "offline_signer", width=12),
            C("状态", "status", "status", width=10),
        ),
        key=("year", "branch"),
        year_field="year",
        year_kind="int",
        ordering=("branch_id", "id"),
    ),
    Sheet(
        "月销单",
        MonthlyTask,
        (
            C("月份", "month", "month", required=True, width=10),
            C("任务", "task", required=True, width=50),
            C("责任支部", "branch", "branch", width=22),
            C("意识形态任务", "is_ideology", "bool", width=12),
            C("完成日期", "done_on", "date", width=12),
        ),
        key=("month", "task", "branch"),
        year_field="month",
        ordering=("month", "id"),
    ),
    Sheet(
        "督导检查",
        Inspection,
        (
            C("日期", "date", "date", required=True, width=12),
            C("方式", "form", "choice", required=True, choices=Inspection.Form),
            C("对象", "branches", "branches", width=36),
            C("发现问题", "findings", width=40),
            C("整改情况", "rectification", width=40),
        ),
        key=("date", "form", "branches"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "谈心谈话",
        Talk,
        (
            C("日期", "date", "date", required=True, width=12),
            C("谈话人", "talker", "person", required=True, width=12),
            C("谈话对象", "talkee", "person", required=True, width=12),
            C("谈话类型", "kind", width=14),
            C("要点", "summary", width=50),
        ),
        key=("date", "talker", "talkee"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "思想动态分析",
        TrendAnalysis,
        (
            C("支部", "branch", "branch", required=True, width=22),
            C("年度", "year", "year", required=True, width=8),
            C("季度", "quarter", "quarter", required=True, width=8),
            C("日期", "date", "date", required=True, width=12),
            C("主题", "topic", width=30),
            C("主要情况", "findings", width=50),
            C("专题调研", "is_special_survey", "survey", width=12),
        ),
        key=("branch", "year", "quarter"),
        year_field="year",
        year_kind="int",
        ordering=("year", "quarter", "branch_id", "id"),
    ),
    Sheet(
        "学习活动",
        StudySession,
        (
            C("日期", "date", "date", required=True, width=12),
            C("类别", "kind", "choice", required=True, width=24, choices=StudySession.Kind),
            C("主题", "theme", required=True, width=40),
            C("意识形态主题", "is_ideology", "bool", width=12),
            C("主持人", "host", "person", width=12),
            C("参加人数", "headcount", "int", width=10),
            C("支部", "branch", "branch", width=22),
        ),
        key=("date", "kind", "theme"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "学习强国",
        StudyAppStat,
        (
            C("月份", "month", "month", required=True, width=10),
            C("支部", "branch", "branch", width=22),
            C("活跃率", "activity_rate", "rate", required=True, width=10),
            C("日人均积分", "avg_score", "decimal", required=True, width=12),
        ),
        key=("month", "branch"),
        year_field="month",
        ordering=("month", "id"),
    ),
    Sheet(
        "学习资料",
        MaterialHandout,
        (
            C("日期", "date", "date", required=True, width=12),
            C("书名", "title", required=True, width=40),
            C("发放范围", "scope", "choice", required=True, choices=MaterialHandout.Scope),
            C("数量", "quantity", "int", width=8),
        ),
        key=("date", "title"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "宣传稿件",
        Article,
        (
            C("日期", "date", "date", required=True, width=12),
            C("标题", "title", required=True, width=50),
            C("媒体", "outlet", required=True, width=24),
            C("媒体级别", "level", "choice", required=True, width=10, choices=Article.Level),
            C("作者", "author", width=14),
        ),
        key=("date", "title"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "内部刊物",
        InternalBulletin,
        (
            C("日期", "date", "date", required=True, width=12),
            C("刊物名称", "series", required=True, width=24),
            C("期号", "issue_no", required=True, width=10),
            C("标题", "title", width=40),
        ),
        key=("series", "issue_no"),
        year_field="date",
        ordering=("date", "id"),
    ),
    Sheet(
        "宣传阵地",
        Channel,
        (
            C("类型", "kind", "choice", required=True, width=10, choices=Channel.Kind),
            C("名称", "name", required=True, width=24),
            C("位置或平台", "location", width=30),
            C("管理员", "admin", width=12),
            C("最近检查日期", "last_check", "checkdate", width=14),
        ),
        key=("kind", "name"),
    ),
    Sheet(
        "先进典型",
        RoleModel,
        (
            C("年度", "year", "year", required=True, width=8),
            C("姓名", "person", "person", required=True, width=12),
            C("称号", "honour", required=True, width=30),
            C("事迹", "story", width=50),
        ),
        key=("year", "person", "honour"),
        year_field="year",
        year_kind="int",
    ),
    Sheet(
        "活动",
        Activity,
        (
            C("日期", "date", "date", required=True, width=12),
            C("类别", "kind", "choice", required=True, width=14, choices=Activity.Kind),
            C("名称", "title", required=True, width=40),
            C("地点", "place", width=24),
            C("参加人数", "participants", "int", width=10),
            C("简述", "description", width=50),
        ),
        key=("date", "title"),
        year_field="date",
        ordering=("date", "id"),
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}


def max_length(sheet: Sheet, column: Column) -> int | None:
    """The model's max_length for a text column (None: unbounded TextField)."""
    if sheet.model is None:
        from portal.models import Committee

        model = Committee
    else:
        model = sheet.model
    try:
        return model._meta.get_field(column.field).max_length
    except Exception:  # a computed column such as 最近检查日期
        return None
