import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reports.assessment import services
from reports.assessment.models import Assessment, Rubric, RubricItem
from tests import factories as f

from .conftest import as_actor
from .sheets import ROWS, write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_publishes_and_opens_the_childrens_assessments(tree, tmp_path):
    out, err = run("import_rubric", str(write(tmp_path)), "--committee", "prov", "--year", "2020")
    rubric = Rubric.objects.get(committee=tree.parent, year=2020)
    assert rubric.state == Rubric.State.PUBLISHED
    assert list(rubric.items.values_list("code", flat=True)) == [r[0] for r in ROWS]
    assert set(Assessment.objects.values_list("committee__slug", flat=True)) == {"alpha", "sib"}
    deduct = rubric.items.get(code="1.1")
    assert (deduct.scoring, deduct.deduct_per, deduct.target) == ("deduct", D(5), D(2))
    assert "警告" not in err


def test_percentage_targets_in_three_spellings_all_mean_100(tree, tmp_path):
    rows = [r[:] for r in ROWS]
    rows[1][6], rows[2][6] = "100%", 1
    rows.append(["1.4", "组织领导", "销号", 0.5, "自动", "ideology_tasks_done_ratio", 100, "达标得分"])
    run("import_rubric", str(write(tmp_path, rows)), "--committee", "prov", "--year", "2020", "--draft")
    targets = set(RubricItem.objects.filter(code__in=["1.2", "1.3", "1.4"]).values_list("target", flat=True))
    assert targets == {D(100)}


def test_dry_run_and_draft(tree, tmp_path):
    out, _err = run("import_rubric", str(write(tmp_path)), "--committee", "prov", "--year", "2020", "--dry-run")
    assert "5 项" in out and not Rubric.objects.exists()
    run("import_rubric", str(write(tmp_path)), "--committee", "prov", "--year", "2020", "--draft")
    assert Rubric.objects.get().is_draft and not Assessment.objects.exists()


def test_every_error_is_named_and_nothing_is_written(tree, tmp_path):
    rows = [r[:] for r in ROWS]
    rows[0][3] = 2.3  # not a half
    rows[1][5] = "no_such_key"
    rows[2][6] = None  # automatic without a target
    rows[3][7] = "看情况"
    rows[4][0] = "1.1"  # duplicate code
    with pytest.raises(CommandError, match="5 处错误"):
        run("import_rubric", str(write(tmp_path, rows)), "--committee", "prov", "--year", "2020")
    assert not Rubric.objects.exists() and not RubricItem.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_rubric", str(write(tmp_path, rows)), "--committee", "prov", "--year", "2020",
                     stderr=err)
    lines = err.getvalue()
    for where in ("第2行 分值", "第3行 指标", "第4行 目标值", "第5行 计分办法", "第6行 编号"):
        assert where in lines


def test_reimport_updates_by_code_and_warns_when_points_are_not_100(tree, tmp_path):
    run("import_rubric", str(write(tmp_path)), "--committee", "prov", "--year", "2020")
    rows = [r[:] for r in ROWS]
    rows[4][2] = "宣传阵地管理（修订）"
    rows[4][3] = 20
    _out, err = run("import_rubric", str(write(tmp_path, rows)), "--committee", "prov", "--year", "2020")
    assert "合计为 95 分" in err
    assert RubricItem.objects.count() == 5
    assert RubricItem.objects.get(code="3.1").content == "宣传阵地管理（修订）"
    assert Assessment.objects.count() == 2


@pytest.mark.parametrize("args, reason", [
    (["--committee", "nowhere", "--year", "2020"], "没有标识为"),
    (["--committee", "prov", "--year", "1800"], "年度超出范围"),
])
def test_bad_arguments_give_one_line_reasons(tree, tmp_path, args, reason):
    with pytest.raises(CommandError, match=reason):
        run("import_rubric", str(write(tmp_path)), *args)


def test_a_file_that_is_no_workbook_is_refused(tree, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="不是 Excel"):
        run("import_rubric", str(path), "--committee", "prov", "--year", "2020")


def test_assess_writes_the_live_then_frozen_score_sheet(tree, tmp_path):
    run("import_rubric", str(write(tmp_path)), "--committee", "prov", "--year", "2020")
    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)
    out = tmp_path / "sheet.xlsx"
    run("assess", "--committee", "alpha", "--year", "2020", "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("编号", "一级指标", "考核内容", "分值", "指标值", "得分", "说明")
    by_code = {r[0]: r for r in rows[1:]}
    assert (by_code["1.1"][4], by_code["1.1"][5]) == (1, 5)  # one meeting of two: 10 − 5
    assert by_code["合计"][3] == 100

    assessment = Assessment.objects.get(committee=tree.child)
    manual = assessment.items.get(rubric_item__code="3.1")
    services.item_self_assess(actor=as_actor(tree.world.office), item=manual, self_score="20", explanation="自查")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)  # after submit: not counted
    run("assess", "--committee", "alpha", "--year", "2020", "--out", str(out))
    by_code = {r[0]: r for r in list(load_workbook(out).active.iter_rows(values_only=True))[1:]}
    assert (by_code["1.1"][4], by_code["1.1"][5]) == (1, 5)
    assert by_code["3.1"][5] == 20 and by_code["合计"][5] == 5 + 20 + sum(
        v for v in (by_code["1.2"][5], by_code["1.3"][5], by_code["2.1"][5]) if v)


def test_assess_refuses_a_committee_without_assessment(tree, tmp_path):
    with pytest.raises(CommandError, match="没有已发布的考核"):
        run("assess", "--committee", "beta", "--year", "2020", "--out", str(tmp_path / "x.xlsx"))
