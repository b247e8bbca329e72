"""import_ledger / export_ledger exit codes and messages."""

import pytest
from django.core.management import CommandError, call_command

from portal.models import Committee, Person

from .helpers import xlsx

ORG = {"人员": [["姓名", "所在支部", "职务", "党员", "班子成员"], ["甲", "", "", "是", "否"]]}


@pytest.fixture
def workbook(tmp_path):
    def write(sheets):
        path = tmp_path / "ledger.xlsx"
        path.write_bytes(xlsx(sheets).getvalue())
        return str(path)

    return write


def test_unknown_committee_without_committee_sheet(db, workbook):
    with pytest.raises(CommandError, match="没有“党委”工作表"):
        call_command("import_ledger", workbook(ORG), "--committee", "nobody")
    assert not Committee.objects.exists()


def test_errors_are_printed_and_nothing_written(db, workbook, capsys):
    from tests import factories as f

    f.CommitteeFactory(slug="alpha")
    bad = {**ORG, "谈心谈话": [["日期", "谈话人", "谈话对象"], ["2020-01-01", "甲", "丙"]]}
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_ledger", workbook(bad), "--committee", "alpha")
    assert "谈心谈话 第2行 谈话对象：未知的人员“丙”" in capsys.readouterr().err
    assert not Person.objects.exists()


def test_bad_file(db, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("姓名,所在支部\\n")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        call_command("import_ledger", str(path), "--committee", "alpha")
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_ledger", str(tmp_path / "missing.xlsx"), "--committee", "alpha")


def test_dry_run_counts_only(db, workbook, capsys):
    from tests import factories as f

    f.CommitteeFactory(slug="alpha")
    call_command("import_ledger", workbook(ORG), "--committee", "alpha", "--dry-run")
    assert "人员: 新增 1，更新 0，未变 0" in capsys.readouterr().out
    assert not Person.objects.exists()


def test_export_refuses_unknown_committee_and_bad_year(db, tmp_path):
    from tests import factories as f

    with pytest.raises(CommandError, match="不存在"):
        call_command("export_ledger", "--committee", "nobody", "--year", "2020", "--out", str(tmp_path / "a.xlsx"))
    f.CommitteeFactory(slug="alpha")
    with pytest.raises(CommandError, match="年度"):
        call_command("export_ledger", "--committee", "alpha", "--year", "1800", "--out", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="无法写入"):
        call_command("export_ledger", "--committee", "alpha", "--year", "2020", "--out", str(tmp_path / "no" / "a.xlsx"))
