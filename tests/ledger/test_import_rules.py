"""Sheet-specific rules: letters signed offline or awaiting, channel checks,
inspected branches, implicit branches and people, committee updates."""

import datetime

import pytest

from portal.ledger.importer import ledger_import
from portal.models import Branch, Committee, Person
from publicity.models import Channel, ChannelCheck
from responsibility.models import Inspection, LetterEvent, ResponsibilityLetter, TrendAnalysis
from tests import factories as f

from .helpers import xlsx

ORG = {
    "支部": [["支部名称", "支部书记", "党员人数"], ["一支部", "书记甲", 5], ["二支部", "", 3]],
    "人员": [["姓名", "所在支部", "职务", "党员", "班子成员"], ["乙", "三支部", "", "是", "否"]],
}
LETTERS = [["年度", "支部", "标题", "签订日期", "支部签字人", "状态"]]


@pytest.fixture
def alpha(db):
    return f.CommitteeFactory(slug="alpha")


def run(sheets):
    result = ledger_import(committee_slug="alpha", file=xlsx({**ORG, **sheets}), dry_run=False)
    assert result.applied, result.refused or [str(e) for e in result.errors]
    return {s.name: (s.create, s.update, s.unchanged) for s in result.sheets}


def test_implicit_branches_and_people_are_created(alpha):
    counts = run({})
    assert counts["支部"] == (3, 0, 0) and counts["人员"] == (2, 0, 0)
    assert Branch.objects.get(name="一支部").secretary.name == "书记甲"
    assert Person.objects.get(name="乙").branch.name == "三支部"
    assert run({}) == {"支部": (0, 0, 2), "人员": (0, 0, 1)}


def test_letters_signed_offline_or_awaiting(alpha):
    rows = LETTERS + [[2020, "一支部", "责任书一", "2020-01-20", "书记甲", "已签订"], [2020, "二支部", "责任书二", None, None, None]]
    assert run({"责任书": rows})["责任书"] == (2, 0, 0)
    signed = ResponsibilityLetter.objects.get(branch__name="一支部")
    assert (signed.status, signed.offline, signed.offline_signed_on, signed.offline_signer) == (
        "complete", True, datetime.date(2020, 1, 20), "书记甲"
    )
    # Through the letter services a person would use: a draft, then its paper signing.
    assert signed.body_sha256 and [e.kind for e in signed.events.all()] == [LetterEvent.Kind.CREATED, LetterEvent.Kind.OFFLINE]
    draft = ResponsibilityLetter.objects.get(branch__name="二支部")
    assert (draft.status, draft.offline) == ("draft", False) and "二支部" in draft.body
    # Signed later on paper: the draft becomes an offline-signed letter, no new row.
    rows[2] = [2020, "二支部", "责任书二", "2020-02-01", "丙", "已签订"]
    assert run({"责任书": rows})["责任书"] == (0, 1, 1)
    draft.refresh_from_db()
    assert (draft.status, draft.offline_signer) == ("complete", "丙")
    assert ResponsibilityLetter.objects.count() == 2


def test_channel_check_added_once(alpha):
    sheet = {"宣传阵地": [["类型", "名称", "位置或平台", "管理员", "最近检查日期"], ["公众号", "水文之声", "微信", "乙", "2020-12-01"]]}
    assert run(sheet)["宣传阵地"] == (1, 0, 0)
    assert run(sheet)["宣传阵地"] == (0, 0, 1)
    channel = Channel.objects.get()
    assert list(ChannelCheck.objects.filter(channel=channel).values_list("date", flat=True)) == [datetime.date(2020, 12, 1)]
    sheet["宣传阵地"][1][4] = "2020-12-20"
    assert run(sheet)["宣传阵地"] == (0, 1, 0)
    assert ChannelCheck.objects.filter(channel=channel).count() == 2


def test_inspection_branches_are_the_key(alpha):
    header = ["日期", "方式", "对象", "发现问题", "整改情况"]
    sheet = {"督导检查": [header, ["2020-05-01", "调研督导", "二支部、一支部", "问题", ""]]}
    assert run(sheet)["督导检查"] == (1, 0, 0)
    inspection = Inspection.objects.get()
    assert sorted(inspection.branches.values_list("name", flat=True)) == ["一支部", "二支部"]
    sheet["督导检查"][1][2] = "一支部、二支部"  # same set, other order
    sheet["督导检查"][1][4] = "已整改"
    assert run(sheet)["督导检查"] == (0, 1, 0)
    inspection.refresh_from_db()
    assert inspection.rectification == "已整改" and inspection.branches.count() == 2


def test_survey_topic_and_flag(alpha):
    header = ["支部", "年度", "季度", "日期", "主题", "主要情况", "专题调研"]
    run({"思想动态分析": [header, ["一支部", 2020, "第2季度", "2020-06-30", "", "", "后疫情"], ["二支部", 2020, 2, "2020-06-30", "", "", "否"]]})
    topics = dict(TrendAnalysis.objects.values_list("branch__name", "survey_topic"))
    flags = dict(TrendAnalysis.objects.values_list("branch__name", "is_special_survey"))
    assert topics == {"一支部": "后疫情", "二支部": ""} and flags == {"一支部": True, "二支部": False}


def test_committee_row_updates_the_committee(alpha):
    sheet = {"党委": [["党委名称", "简称", "单位名称", "上级"], ["新名称党委", "局党委", "局机关", "省中心党委"]]}
    assert run(sheet)["党委"] == (0, 1, 0)
    assert Committee.objects.get(slug="alpha").name == "新名称党委"
    assert run(sheet)["党委"] == (0, 0, 1)


def test_records_of_another_committee_are_never_matched(alpha):
    other = f.CommitteeFactory(slug="beta")
    f.BranchFactory(committee=other, name="一支部", member_count=99)
    run({})
    assert Branch.objects.get(committee=other).member_count == 99
    assert Branch.objects.filter(committee=alpha).count() == 3
