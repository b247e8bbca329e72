"""The round trip with real data (issue 13): branches studying the same topic
on the same day, people and branches moved to the trash, and records entered
twice through the forms."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.ledger.exporter import ledger_export, ledger_workbook
from portal.ledger.importer import ledger_import
from portal.models import Branch, Committee, Person
from responsibility.models import Talk
from study.models import StudySession
from tests import factories as f

from .helpers import cells, xlsx

SESSION_HEADER = ["日期", "类别", "主题", "意识形态主题", "主持人", "参加人数", "支部"]
TALK_HEADER = ["日期", "谈话人", "谈话对象", "谈话类型", "要点"]


@pytest.fixture
def alpha(db):
    committee = f.CommitteeFactory(slug="alpha")
    for name in ["一支部", "二支部", "三支部"]:
        f.BranchFactory(committee=committee, name=name)
    for name in ["甲", "乙"]:
        f.PersonFactory(committee=committee, name=name, branch=None)
    return committee


def run(sheets, slug="alpha"):
    return ledger_import(committee_slug=slug, file=xlsx(sheets), dry_run=False)


def counts(result, sheet):
    found = next(s for s in result.sheets if s.name == sheet)
    return (found.create, found.update, found.unchanged)


def trash(obj):
    type(obj).objects.filter(pk=obj.pk).update(deleted_at=timezone.now())


def test_branches_holding_the_same_session_on_the_same_day_import(alpha):
    rows = [SESSION_HEADER] + [["2020-07-01", "主题党日", "学习党章", "否", "", 20, b] for b in ["一支部", "二支部", "三支部"]]
    result = run({"学习活动": rows})
    assert result.applied, [str(e) for e in result.errors]
    assert counts(result, "学习活动") == (3, 0, 0)
    assert sorted(StudySession.objects.values_list("branch__name", flat=True)) == ["一支部", "三支部", "二支部"]
    rows[2][5] = 25  # 二支部's headcount corrected
    result = run({"学习活动": rows})
    assert counts(result, "学习活动") == (0, 1, 2)
    assert StudySession.objects.get(branch__name="二支部").headcount == 25


def test_the_same_session_twice_for_one_branch_is_still_a_duplicate(alpha):
    row = ["2020-07-01", "主题党日", "学习党章", "否", "", 20, "一支部"]
    result = run({"学习活动": [SESSION_HEADER, row, list(row)]})
    assert [(e.row, e.column) for e in result.errors] == [(3, "日期、类别、主题、支部")]
    assert not StudySession.objects.exists()


def test_trashed_people_and_branches_are_exported_by_name_and_reimport_unchanged(alpha):
    branch = Branch.objects.get(committee=alpha, name="三支部")
    talker, talkee = Person.objects.get(name="甲"), Person.objects.get(name="乙")
    f.TalkFactory(committee=alpha, date=datetime.date(2020, 6, 1), talker=talker, talkee=talkee)
    f.StudySessionFactory(committee=alpha, date=datetime.date(2020, 7, 1), kind="party_day", branch=branch, host=talkee)
    trash(talkee)
    trash(branch)
    export = ledger_workbook(committee=alpha, year=2020, include_summaries=True)
    sheets = cells(export.data)
    assert sheets["谈心谈话"][1][1:3] == ("甲", "乙")
    assert sheets["学习活动"][1][4] == "乙" and sheets["学习活动"][1][6] == "三支部"
    # The organisation sheets list the live ones only; the notes say why.
    assert "乙" not in [row[0] for row in sheets["人员"][1:]]
    assert sorted(export.notes) == sorted(n for (n,) in sheets["说明"][1:])
    assert any("人员“乙”已移入回收站" in n for n in export.notes)
    assert any("支部“三支部”已移入回收站" in n for n in export.notes)

    people, branches = Person.all_objects.count(), Branch.all_objects.count()
    result = ledger_import(committee_slug="alpha", file=io.BytesIO(export.data), dry_run=False)
    assert result.applied, [str(e) for e in result.errors]
    assert all(s.create == s.update == 0 for s in result.sheets), result.sheets
    assert (Person.all_objects.count(), Branch.all_objects.count()) == (people, branches)
    assert Person.all_objects.get(pk=talkee.pk).is_deleted


def test_a_new_row_naming_a_trashed_person_names_that_person(alpha):
    talkee = Person.objects.get(name="乙")
    trash(talkee)
    result = run({"谈心谈话": [TALK_HEADER, ["2020-06-01", "甲", "乙", "", ""]]})
    assert result.applied, [str(e) for e in result.errors]
    assert Talk.objects.get().talkee_id == talkee.pk
    assert Person.all_objects.filter(name="乙").count() == 1


def test_a_live_name_wins_over_a_trashed_one(alpha):
    old = Person.objects.get(name="乙")
    trash(old)
    new = f.PersonFactory(committee=alpha, name="乙", branch=None)
    assert run({"谈心谈话": [TALK_HEADER, ["2020-06-01", "甲", "乙", "", ""]]}).applied
    assert Talk.objects.get().talkee_id == new.pk


def test_records_entered_twice_are_exported_once_with_a_note(alpha):
    talker, talkee = Person.objects.get(name="甲"), Person.objects.get(name="乙")
    for summary in ["第一次录入", "第二次录入"]:
        f.TalkFactory(committee=alpha, date=datetime.date(2020, 6, 1), talker=talker, talkee=talkee, summary=summary)
    f.TalkFactory(committee=alpha, date=datetime.date(2020, 6, 2), talker=talker, talkee=talkee)
    export = ledger_workbook(committee=alpha, year=2020, include_summaries=True)
    talks = cells(export.data)["谈心谈话"]
    assert [(row[0].date(), row[4]) for row in talks[1:]] == [(datetime.date(2020, 6, 1), "第一次录入"), (datetime.date(2020, 6, 2), "保密的谈话要点")]
    assert export.notes == ["“谈心谈话”表中有 2 条记录的日期、谈话人、谈话对象相同（2020-06-01、甲、乙），只导出了第一条；请在系统中核对并删除重复的记录。"]

    # The workbook (with its 说明 sheet) imports again: into this committee
    # unchanged, into a new one as the same cells.
    again = ledger_import(committee_slug="alpha", file=io.BytesIO(export.data), dry_run=False)
    assert again.applied and counts(again, "谈心谈话") == (0, 0, 2)
    f.CommitteeFactory(slug="copy")
    assert run({"人员": [["姓名"], ["甲"], ["乙"]]}, slug="copy").applied
    copy = ledger_import(committee_slug="copy", file=io.BytesIO(export.data), dry_run=False)
    assert copy.applied, [str(e) for e in copy.errors]
    first, second = cells(export.data), cells(ledger_export(committee=Committee.objects.get(slug="copy"), year=2020, include_summaries=True))
    assert first.pop("说明") and "说明" not in second
    assert first["谈心谈话"] == second["谈心谈话"]


def test_a_clean_export_has_no_notes_sheet(alpha):
    f.TalkFactory(committee=alpha, date=datetime.date(2020, 6, 1), talker=Person.objects.get(name="甲"), talkee=Person.objects.get(name="乙"))
    export = ledger_workbook(committee=alpha, year=2020, include_summaries=True)
    assert export.notes == [] and "说明" not in cells(export.data)


def test_export_command_prints_the_notes(alpha, tmp_path, capsys):
    talker, talkee = Person.objects.get(name="甲"), Person.objects.get(name="乙")
    f.TalkFactory(committee=alpha, date=datetime.date(2020, 6, 1), talker=talker, talkee=talkee)
    trash(talkee)
    call_command("export_ledger", "--committee", "alpha", "--year", "2020", "--out", str(tmp_path / "a.xlsx"))
    out = capsys.readouterr().out
    assert "注意：人员“乙”已移入回收站" in out and "已导出" in out
