"""The exported workbook: sheets, headers, widths, frozen header, date cells,
year filter, online letters, and text that must never become a formula."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from portal.ledger.exporter import ledger_export
from portal.ledger.importer import ledger_import
from portal.ledger.sheets import ledger_sheets
from portal.models import Committee
from responsibility.models import LetterSignature, ResponsibilityLetter
from tests import factories as f

from .helpers import cells, populate

SHEETS = ledger_sheets()


@pytest.fixture
def exported(db):
    committee = f.CommitteeFactory(slug="src")
    populate(committee)
    return committee, ledger_export(committee=committee, year=2020, include_summaries=True)


def test_layout(exported):
    _, data = exported
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [s.name for s in SHEETS]
    for spec in SHEETS:
        sheet = workbook[spec.name]
        assert [c.value for c in sheet[1]] == spec.headers
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["B"].width == spec.columns[1].width
    talks = workbook["谈心谈话"]
    assert talks["A2"].is_date and talks["A2"].value == datetime.datetime(2020, 6, 1)
    assert workbook["月销单"]["A2"].is_date and workbook["月销单"]["A2"].number_format == "yyyy-mm"
    assert workbook["学习强国"]["C2"].number_format == "0.00%"


def test_year_filter_and_whole_org_sheets(exported):
    committee, data = exported
    sheets = cells(data)
    assert len(sheets["谈心谈话"]) == 3  # header + the two 2020 talks, not the 2019 one
    assert len(sheets["人员"]) == 4
    empty = cells(ledger_export(committee=committee, year=2018, include_summaries=True))
    assert len(empty["谈心谈话"]) == 1 and len(empty["人员"]) == 4 and len(empty["宣传阵地"]) == 2


def test_formula_like_text_is_written_as_text(exported):
    _, data = exported
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    title = workbook["人员"]["C4"]
    assert (title.value, title.data_type, title.quotePrefix) == ("=SUM(A1)", "s", True)
    assert workbook["党委会议"]["D2"].value == "-研究意识形态"
    assert workbook["督导检查"]["D2"].value == "@问题"


def test_formula_like_text_survives_the_round_trip(exported):
    _, data = exported
    assert ledger_import(committee_slug="copy", file=io.BytesIO(data), dry_run=False).applied
    copy = Committee.objects.get(slug="copy")
    from portal.models import Person

    assert Person.objects.get(committee=copy, name="王科员").title == "=SUM(A1)"


def test_online_signed_letter_exports_as_signed(world):
    letter = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020)
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(status="complete")
    signed_at = timezone.make_aware(datetime.datetime(2020, 1, 21, 10))
    for role, user in [("branch", world.branch_secretary), ("committee", world.leader)]:
        LetterSignature.objects.create(
            letter=letter, role=role, signer=user, signer_name=user.person.name, signed_at=signed_at, image=b"", body_sha256=""
        )
    data = ledger_export(committee=world.committee, year=2020, include_summaries=False)
    row = cells(data)["责任书"][1]
    assert row[1:] == ("第一党支部", letter.title, datetime.datetime(2020, 1, 21), "sec_a", "已签订")
    # Re-importing into the same committee leaves the online letter alone.
    result = ledger_import(committee_slug="alpha", file=io.BytesIO(data), dry_run=False)
    assert result.applied
    assert {s.name: s.unchanged for s in result.sheets}["责任书"] == 1


def test_online_letter_cannot_be_changed_by_a_workbook(world):
    from .helpers import xlsx

    letter = f.ResponsibilityLetterFactory(committee=world.committee, branch=world.branch, year=2020)
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(status="issued")
    sheet = {"责任书": [["年度", "支部", "标题", "签订日期", "支部签字人", "状态"], [2020, "第一党支部", letter.title, "2020-02-01", "sec_a", "已签订"]]}
    result = ledger_import(committee_slug="alpha", file=xlsx(sheet), dry_run=False)
    # The first cell that differs is named: an issued letter has no signing date yet.
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("责任书", 2, "签订日期")]
    assert "在线签署" in result.errors[0].reason
    letter.refresh_from_db()
    assert letter.status == "issued" and not letter.offline


def test_export_and_import_queries_do_not_grow_with_rows(db, django_assert_max_num_queries):
    committee = f.CommitteeFactory(slug="src")
    people = populate(committee)
    baseline = ledger_export(committee=committee, year=2020, include_summaries=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_export:
        ledger_export(committee=committee, year=2020, include_summaries=True)
    with CaptureQueriesContext(connection) as small_import:
        ledger_import(committee_slug="src", file=io.BytesIO(baseline), dry_run=False)
    for day in range(1, 29):
        f.TalkFactory(committee=committee, date=datetime.date(2020, 2, day), talker=people["chief"], talkee=people["staff"])
    with django_assert_max_num_queries(len(small_export)):
        data = ledger_export(committee=committee, year=2020, include_summaries=True)
    with django_assert_max_num_queries(len(small_import)):
        ledger_import(committee_slug="src", file=io.BytesIO(data), dry_run=False)
