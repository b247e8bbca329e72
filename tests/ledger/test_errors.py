"""Every kind of bad row is reported with sheet, row and column, and nothing is written."""

import datetime

import pytest

from portal.ledger.importer import ledger_import
from portal.models import Branch, Committee, Person
from responsibility.models import Talk
from study.models import StudyAppStat
from tests import factories as f

from .helpers import xlsx

COMMITTEE_SHEET = {"党委": [["党委名称", "简称", "单位名称", "上级"], ["新局党委", "局党委", "新局机关", "省中心党委"]]}
ORG = {
    "支部": [["支部名称", "支部书记", "党员人数"], ["第一支部", "甲", 5]],
    "人员": [["姓名", "所在支部", "职务", "党员", "班子成员"], ["甲", "第一支部", "书记", "是", "是"], ["乙", "第一支部", "", "是", "否"]],
}
TALK_HEADER = ["日期", "谈话人", "谈话对象", "谈话类型", "要点"]


def run(sheets, slug="alpha", dry_run=False):
    return ledger_import(committee_slug=slug, file=xlsx(sheets), dry_run=dry_run)


def only_error(result):
    assert not result.applied
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    e = result.errors[0]
    return (e.sheet, e.row, e.column), e.reason


def counts():
    return (Committee.objects.count(), Branch.objects.count(), Person.objects.count(), Talk.objects.count(), StudyAppStat.objects.count())


@pytest.fixture
def alpha(db):
    # No login users needed here: the shared ``world`` fixture hashes five passwords.
    return f.CommitteeFactory(slug="alpha")


def good_talk(day=1):
    return [f"2020-06-0{day}", "甲", "乙", "谈心", "要点"]


@pytest.mark.parametrize(
    "sheets, where, reason",
    [
        # missing required column
        ({"谈心谈话": [["日期", "谈话人", "要点"], ["2020-06-01", "甲", "x"]]}, ("谈心谈话", 1, "谈话对象"), "缺少必填列"),
        # unknown column header
        ({"谈心谈话": [TALK_HEADER + ["备注"], good_talk()]}, ("谈心谈话", 1, "备注"), "未知的列"),
        # empty required cell
        ({"谈心谈话": [TALK_HEADER, good_talk(), ["2020-06-02", "", "乙"]]}, ("谈心谈话", 3, "谈话人"), "必填项为空"),
        # bad date
        ({"谈心谈话": [TALK_HEADER, ["2020-13-01", "甲", "乙"]]}, ("谈心谈话", 2, "日期"), "日期"),
        # bad month
        ({"学习强国": [["月份", "支部", "活跃率", "日人均积分"], ["2020年13月", "", 98, 45]]}, ("学习强国", 2, "月份"), "月份"),
        # yes/no with another value
        ({"党委会议": [["日期", "会议名称", "意识形态专题"], ["2020-03-01", "党委会", "对"]]}, ("党委会议", 2, "意识形态专题"), "是"),
        # unknown person
        ({"谈心谈话": [TALK_HEADER, ["2020-06-01", "甲", "丙"]]}, ("谈心谈话", 2, "谈话对象"), "未知的人员“丙”"),
        # unknown branch
        ({"学习活动": [["日期", "类别", "主题", "支部"], ["2020-06-01", "主题党日", "学习", "第九支部"]]}, ("学习活动", 2, "支部"), "未知的支部“第九支部”"),
        # quarter outside 1-4
        (
            {"思想动态分析": [["支部", "年度", "季度", "日期"], ["第一支部", 2020, 5, "2020-06-01"]]},
            ("思想动态分析", 2, "季度"),
            "季度应为 1–4",
        ),
        # rate outside 0-100
        ({"学习强国": [["月份", "支部", "活跃率", "日人均积分"], ["2020-06", "", "120%", 45]]}, ("学习强国", 2, "活跃率"), "0–100"),
        # duplicate natural key inside one sheet
        ({"谈心谈话": [TALK_HEADER, good_talk(), good_talk()]}, ("谈心谈话", 3, "日期、谈话人、谈话对象"), "与第2行重复"),
        # bad choice label
        ({"宣传稿件": [["日期", "标题", "媒体", "媒体级别"], ["2020-06-01", "稿", "报", "国家级"]]}, ("宣传稿件", 2, "媒体级别"), "不是可选值"),
        # text too long for the field
        ({"宣传稿件": [["日期", "标题", "媒体", "媒体级别"], ["2020-06-01", "稿", "报" * 101, "市级"]]}, ("宣传稿件", 2, "媒体"), "超过 100 个字符"),
        # more than one committee row
        ({"党委": COMMITTEE_SHEET["党委"] + [["另一", "x", "y"]]}, ("党委", 3, ""), "只能有一行"),
        # awaiting letter with a signing date
        (
            {"责任书": [["年度", "支部", "标题", "签订日期", "状态"], [2020, "第一支部", "责任书", "2020-03-01", "待签订"]]},
            ("责任书", 2, "状态"),
            "待签订",
        ),
    ],
)
def test_bad_row_is_reported_and_nothing_written(alpha, sheets, where, reason):
    before = counts()
    result = run({**ORG, **sheets})
    got_where, got_reason = only_error(result)
    assert got_where == where
    assert reason in got_reason
    assert counts() == before


def test_unknown_sheet(alpha):
    before = counts()
    result = run({**ORG, "谈话": [TALK_HEADER, good_talk()]})
    assert only_error(result) == (("谈话", None, ""), "未知的工作表（名称须与台账格式一致）")
    assert counts() == before


def test_one_bad_row_among_many_writes_nothing(alpha):
    rows = [TALK_HEADER] + [[datetime.date(2020, 1, 1) + datetime.timedelta(days=i), "甲", "乙"] for i in range(50)]
    rows.append(["2020-02-30", "甲", "乙"])
    before = counts()
    result = run({**ORG, "谈心谈话": rows})
    assert only_error(result)[0] == ("谈心谈话", 52, "日期")
    assert counts() == before


def test_errors_are_all_listed_in_sheet_order(alpha):
    result = run(
        {
            **ORG,
            "谈心谈话": [TALK_HEADER, ["bad", "甲", "乙"], ["2020-01-01", "丁", "乙"]],
            "党委会议": [["日期", "会议名称", "意识形态专题"], ["2020-03-01", "", "是"]],
        }
    )
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [
        ("党委会议", 2, "会议名称"),
        ("谈心谈话", 2, "日期"),
        ("谈心谈话", 3, "谈话人"),
    ]
    assert "第2行" in str(result.errors[1]) and "谈心谈话" in str(result.errors[1])


def test_unreadable_rows_are_not_also_reported_as_duplicates(alpha):
    result = run({**ORG, "谈心谈话": [TALK_HEADER, ["bad", "甲", "乙"], ["bad", "甲", "乙"]]})
    assert [(e.row, e.column) for e in result.errors] == [(2, "日期"), (3, "日期")]


def test_unknown_committee_without_committee_sheet_is_refused(db):
    result = run(ORG, slug="newcomer")
    assert "没有“党委”工作表" in result.refused
    assert not Committee.objects.filter(slug="newcomer").exists()


def test_unknown_committee_is_created_from_committee_sheet(db):
    result = run({**COMMITTEE_SHEET, **ORG, "谈心谈话": [TALK_HEADER, good_talk()]}, slug="newcomer")
    assert result.ok and result.applied and result.committee_created
    committee = Committee.objects.get(slug="newcomer")
    assert (committee.name, committee.short_name, committee.superiors) == ("新局党委", "局党委", "省中心党委")
    assert Branch.objects.get(committee=committee).secretary.name == "甲"
    assert Talk.objects.get(committee=committee).talker.name == "甲"


@pytest.mark.parametrize("slug", ["Upper", "under_score", "x" * 51, "中文"])
def test_new_committee_needs_a_valid_slug(db, slug):
    result = run({**COMMITTEE_SHEET, **ORG}, slug=slug)
    assert "党委标识" in result.refused
    assert not Committee.objects.exists()


def test_dry_run_writes_nothing_but_counts(db):
    result = run({**COMMITTEE_SHEET, **ORG}, slug="newcomer", dry_run=True)
    assert result.ok and not result.applied
    assert {s.name: (s.create, s.update, s.unchanged) for s in result.sheets} == {
        "党委": (1, 0, 0),
        "支部": (1, 0, 0),
        "人员": (2, 0, 0),
    }
    assert not Committee.objects.filter(slug="newcomer").exists()


def test_changed_cell_updates_that_record_only(alpha):
    run({**ORG, "谈心谈话": [TALK_HEADER, good_talk(1), good_talk(2)]})
    result = run({**ORG, "谈心谈话": [TALK_HEADER, good_talk(1), ["2020-06-02", "甲", "乙", "谈心", "新的要点"]]})
    assert result.applied
    talks = {s.name: (s.create, s.update, s.unchanged) for s in result.sheets}
    assert talks["谈心谈话"] == (0, 1, 1)
    assert Talk.objects.get(date=datetime.date(2020, 6, 2)).summary == "新的要点"
    assert Talk.objects.get(date=datetime.date(2020, 6, 2)).history.count() == 2


def test_empty_summary_never_erases_a_stored_one(alpha):
    run({**ORG, "谈心谈话": [TALK_HEADER, good_talk(1)]})
    result = run({**ORG, "谈心谈话": [TALK_HEADER, ["2020-06-01", "甲", "乙", "谈心", ""]]})
    assert result.sheets[-1].unchanged == 1
    assert Talk.objects.get().summary == "要点"


@pytest.mark.parametrize("cell, expected", [(98, "98.00"), ("98%", "98.00"), (0.98, "98.00"), ("99.5", "99.50"), (1, "100.00")])
def test_rate_formats(alpha, cell, expected):
    result = run({"学习强国": [["月份", "支部", "活跃率", "日人均积分"], [datetime.date(2020, 6, 3), "", cell, "45.5"]]})
    assert result.applied, [str(e) for e in result.errors]
    stat = StudyAppStat.objects.get(committee=alpha)
    assert (str(stat.activity_rate), stat.month, stat.branch) == (expected, datetime.date(2020, 6, 1), None)


@pytest.mark.parametrize("cell", ["2020-06-05", "2020/6/5", "2020年6月5日", datetime.datetime(2020, 6, 5, 0, 0)])
def test_date_formats(alpha, cell):
    result = run({**ORG, "谈心谈话": [TALK_HEADER, [cell, "甲", "乙"]]})
    assert result.applied
    assert Talk.objects.get().date == datetime.date(2020, 6, 5)


def test_existing_talk_with_same_key_is_updated_not_duplicated(alpha):
    person = f.PersonFactory(committee=alpha, name="leader")
    other = f.PersonFactory(committee=alpha, name="office")
    f.TalkFactory(committee=alpha, date=datetime.date(2020, 6, 1), talker=person, talkee=other, summary="旧")
    result = run({"谈心谈话": [TALK_HEADER, ["2020-06-01", "leader", "office", "", "新"]]})
    assert result.applied and Talk.objects.count() == 1 and Talk.objects.get().summary == "新"


def test_committee_created_meanwhile_is_refused_cleanly(db, monkeypatch):
    from portal.ledger import importer

    plan = importer._plan

    def plan_then_race(ctx, tell):
        plan(ctx, tell)
        f.CommitteeFactory(slug="newcomer")  # another import wins the race

    monkeypatch.setattr(importer, "_plan", plan_then_race)
    result = run({**COMMITTEE_SHEET, **ORG}, slug="newcomer")
    assert "另一次导入" in result.refused and not result.applied
    assert Person.objects.count() == 0 and Branch.objects.count() == 0
