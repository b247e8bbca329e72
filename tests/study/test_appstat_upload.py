import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from portal.ledger.importer import ledger_import
from study.models import StudyAppStat
from tests import factories as f
from tests.ledger.helpers import post_and_run

pytestmark = pytest.mark.django_db
HEADER = ["月份*", "支部", "活跃率*", "日人均积分*"]
URL = "study:appstat_upload"


def xlsx(rows, header=HEADER, sheet="学习强国", percent_cells=()):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    for ref in percent_cells:
        ws[ref].number_format = "0%"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a file; its preview job runs (at commit, as the tests' setup runs
    jobs) and the job's page is returned."""

    def post(client, data, name="学习强国.xlsx"):
        return post_and_run(client, django_capture_on_commit_callbacks, reverse(URL), {"file": SimpleUploadedFile(name, data)})

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def post(client, response):
        url = reverse("study:appstat_upload_confirm", args=[response.context["job"].pk])
        return post_and_run(client, django_capture_on_commit_callbacks, url, {})

    return post


def counts(response) -> dict:
    return {name: response.context["counts"][name] for name in ("create", "update", "unchanged")}


def check(world, data):
    """The engine on the 学习强国 sheet, as the upload's preview job runs it."""
    return ledger_import(committee_slug=world.committee.slug, file=io.BytesIO(data), dry_run=True, only="学习强国")


def test_preview_writes_nothing_then_confirm_writes_every_row(world, client_for, upload, confirm):
    c = client_for(world.office)
    rows = [
        [datetime.datetime(2020, 1, 1), None, 100, 45.2],
        ["2020-02", "", "98%", "45.6"],
        ["2020年3月", world.branch.name, 0.98, 46],
        ["2020年4月", None, 1, 45],
    ]
    response = upload(c, xlsx(rows, percent_cells=["C5"]))
    assert response.status_code == 200
    assert response.context["result"]["ok"] and counts(response) == {"create": 4, "update": 0, "unchanged": 0}
    assert "预览：新增 4 条" in response.content.decode()
    assert not StudyAppStat.objects.exists()

    response = confirm(c, response)
    # After confirming, the list of the year imported, with the counts.
    assert response.status_code == 302 and response["Location"] == reverse("study:appstat_list") + "?year=2020"
    stats = {(s.month, s.branch_id): s for s in StudyAppStat.objects.filter(committee=world.committee)}
    assert len(stats) == 4
    assert stats[(datetime.date(2020, 1, 1), None)].avg_score == Decimal("45.2")
    assert stats[(datetime.date(2020, 2, 1), None)].activity_rate == 98
    assert stats[(datetime.date(2020, 3, 1), world.branch.pk)].activity_rate == 98
    assert stats[(datetime.date(2020, 4, 1), None)].activity_rate == 100
    assert stats[(datetime.date(2020, 1, 1), None)].created_by == world.office


def test_reupload_updates_instead_of_duplicating(world, client_for, upload, confirm):
    c = client_for(world.office)
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 1, 1), activity_rate=100, avg_score=45)
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 2, 1), activity_rate=100, avg_score=45)
    response = upload(c, xlsx([["2020-01", None, 100, 45], ["2020-02", None, 99, 47], ["2020-03", None, 100, 46]]))
    assert counts(response) == {"create": 1, "update": 1, "unchanged": 1}
    confirm(c, response)
    assert StudyAppStat.objects.filter(committee=world.committee).count() == 3
    feb = StudyAppStat.objects.get(month=datetime.date(2020, 2, 1))
    assert (feb.activity_rate, feb.avg_score) == (99, 47)
    # Confirming the same preview twice changes nothing more.
    again = c.post(reverse("study:appstat_upload_confirm", args=[response.context["job"].pk]), follow=True)
    assert "该文件已经确认导入过" in again.content.decode()
    assert StudyAppStat.objects.filter(committee=world.committee).count() == 3


@pytest.mark.parametrize(
    "rows, header, message",
    [
        ([["2020-01", None, 100]], ["月份", "支部", "活跃率"], "学习强国 第1行 日人均积分：缺少必填列"),
        # The upload is the ledger engine on one sheet: its reasons, its place names.
        ([["2020-13", None, 100, 45]], HEADER, "学习强国 第2行 月份：月份应在 1–12 之间"),
        ([["下个月", None, 100, 45]], HEADER, "学习强国 第2行 月份：月份格式无效"),
        ([["1899-12", None, 100, 45]], HEADER, "学习强国 第2行 月份：年份 1899 超出范围"),
        ([[None, None, 100, 45]], HEADER, "学习强国 第2行 月份：必填项为空"),
        ([["2020-01", "不存在的支部", 100, 45]], HEADER, "学习强国 第2行 支部：未知的支部“不存在的支部”"),
        ([["2020-01", None, 101, 45]], HEADER, "学习强国 第2行 活跃率：活跃率应在 0–100% 之间"),
        ([["2020-01", None, "101%", 45]], HEADER, "学习强国 第2行 活跃率：活跃率应在 0–100% 之间"),
        ([["2020-01", None, "很高", 45]], HEADER, "学习强国 第2行 活跃率：“很高”不是数字"),
        ([["2020-01", None, True, 45]], HEADER, "学习强国 第2行 活跃率：应为数字"),
        ([["2020-01", None, 100, -1]], HEADER, "学习强国 第2行 日人均积分：应在 0–9999.99 之间"),
        # Would round to 10000.00, which the column cannot hold.
        ([["2020-01", None, 100, 9999.996]], HEADER, "学习强国 第2行 日人均积分：应在 0–9999.99 之间"),
        ([["2020-01", None, 100, None]], HEADER, "学习强国 第2行 日人均积分：必填项为空"),
        ([["2020-01", None, 100, 45], ["2020年1月", None, 100, 45]], HEADER, "学习强国 第3行 月份、支部：与第2行重复"),
    ],
)
def test_row_errors_name_sheet_row_and_column_and_write_nothing(world, client_for, rows, header, message, upload):
    c = client_for(world.office)
    # A valid row after the bad ones: still nothing may be written.
    good = [["2020-05", None, 100, 45]] if header == HEADER else []
    response = upload(c, xlsx(rows + good, header=header))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "未写入任何数据" in body and "确认导入" not in body
    assert not StudyAppStat.objects.exists()


def test_sheet_without_rows_is_an_error(world, client_for, upload):
    response = upload(client_for(world.office), xlsx([]))
    assert "学习强国 第2行 月份：工作表中没有数据行" in response.content.decode()
    assert "确认导入" not in response.content.decode()


def test_branch_of_another_committee_is_unknown(world, client_for, upload):
    response = upload(client_for(world.office), xlsx([["2020-01", world.other_committee_branch.name, 100, 45]]))
    assert "未知的支部“乙局第一党支部”" in response.content.decode()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "旧版 Excel（.xls）"),
        ("月份,支部,活跃率,日人均积分\n2020-01,,100,45\n".encode(), "data.csv", "文件不是 Excel 工作簿"),
        (bytes(range(256)) * 4, "random.xlsx", "文件不是 Excel 工作簿"),
        (b"PK\x03\x04" + b"\0" * 200, "broken.xlsx", "文件已损坏"),
    ],
)
def test_files_that_are_not_xlsx_are_rejected(world, client_for, data, name, message, upload):
    response = upload(client_for(world.office), data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StudyAppStat.objects.exists()


def test_zip_that_is_not_a_workbook_is_rejected(world, client_for, upload):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = upload(client_for(world.office), buffer.getvalue())
    assert "文件不是 Excel 工作簿" in response.content.decode()


def test_oversized_file_is_rejected(world, client_for, settings, upload):
    # The ledger's bound (portal.ledger.files) now applies to this upload too.
    settings.PORTAL_MAX_UPLOAD_BYTES = 1000
    response = upload(client_for(world.office), xlsx([["2020-01", None, 100, 45]]))
    assert "文件过大" in response.content.decode()
    assert not StudyAppStat.objects.exists()


def test_workbook_without_the_sheet_is_rejected(world, client_for, upload):
    wb = Workbook()
    wb.active.title = "其他"
    wb.create_sheet("还有一个")
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client_for(world.office), buffer.getvalue())
    assert "没有名为“学习强国”的工作表" in response.content.decode()


def test_only_office_uploads(world, client_for, upload):
    for user in (world.leader, world.branch_secretary):
        c = client_for(user)
        assert c.get(reverse(URL)).status_code == 403
        assert upload(c, xlsx([["2020-01", None, 100, 45]])).status_code == 403
    assert not StudyAppStat.objects.exists()


def test_only_the_uploader_reads_and_confirms_the_job(world, client_for, upload):
    job = upload(client_for(world.office), xlsx([["2020-01", None, 100, 45]])).context["job"]
    other_office = f.person_with_user(world.committee, "office2", role="office")
    for client in (client_for(other_office), client_for(world.outsider)):
        assert client.get(reverse("study:appstat_upload_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("study:appstat_upload_status", args=[job.pk])).status_code == 404
        assert client.post(reverse("study:appstat_upload_confirm", args=[job.pk])).status_code == 404
    # A ledger import page does not show an upload's job either (each page its own jobs).
    assert client_for(world.office).get(reverse("ledger:import_job", args=[job.pk])).status_code == 404
    assert not StudyAppStat.objects.exists()


def test_export_uploads_again_unchanged_and_keeps_names_as_text(world, client_for, upload):
    world.branch.name = "=HYPERLINK(1)"
    world.branch.save()
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 1, 1), activity_rate="99.5", avg_score="45.25")
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 1, 1), branch=world.branch, activity_rate="0.5")
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2021, 1, 1))
    c = client_for(world.office)
    response = c.get(reverse("study:appstat_export") + "?year=2020")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content))["学习强国"]
    assert sheet["B3"].data_type == "s" and sheet["B3"].value == "=HYPERLINK(1)"
    assert sheet.max_row == 3
    response = upload(c, response.content)
    assert counts(response) == {"create": 0, "update": 0, "unchanged": 2}


def test_posting_without_a_file_asks_for_one(world, client_for):
    response = client_for(world.office).post(reverse(URL), {})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()


def test_upload_service_refuses_non_office_and_writes_through_the_confirmed_job(world, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.access import actor_for
    from study import services

    def start(user, rows):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.appstat_upload(actor=actor_for(user), upload=SimpleUploadedFile("a.xlsx", xlsx(rows)))
        job.refresh_from_db()
        return job

    def confirm(preview):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.appstat_confirm(actor=actor_for(world.office), preview=preview)
        job.refresh_from_db()
        return job

    with pytest.raises(PermissionDenied):
        start(world.leader, [["2020-01", None, 100, 45]])
    bad = start(world.office, [["2020-01", None, 100, 45], ["2020-02", None, 100, -1]])
    assert not bad.result["ok"] and [(e["row"], e["column"]) for e in bad.result["errors"]] == [(3, "日人均积分")]
    with pytest.raises(services.ledger_services.Refused):
        confirm(bad)
    preview = start(world.office, [["2020-01", None, 100, 45]])
    assert preview.result["ok"] and not StudyAppStat.objects.exists()
    with pytest.raises(PermissionDenied):
        services.appstat_confirm(actor=actor_for(world.leader), preview=preview)
    written = confirm(preview)
    assert written.result["applied"] and written.result["sheets"][0]["create"] == 1
    again = confirm(start(world.office, [["2020-01", None, 100, 45]]))
    assert again.result["applied"] and (again.result["sheets"][0]["create"], again.result["sheets"][0]["unchanged"]) == (0, 1)
    assert StudyAppStat.objects.count() == 1
    assert StudyAppStat.history.filter(history_change_reason="学习强国数据表导入").count() == 1


@pytest.mark.parametrize(
    "value, percent, expected",
    [
        # The ledger's rule (portal.ledger.parse.rate): a bare number up to 1 is a fraction.
        (1, False, "100.00"),
        ("1", False, "100.00"),
        (0.5, False, "50.00"),
        (0, False, "0.00"),
        (1.5, False, "1.50"),
        ("0.5%", False, "0.50"),
        ("98 ％", False, "98.00"),
        (0.985, True, "98.50"),
    ],
)
def test_rate_is_read_as_the_ledger_reads_it(world, value, percent, expected):
    data = xlsx([["2020-01", None, value, 45]], percent_cells=["C2"] if percent else ())
    result = check(world, data)
    assert result.ok, result.errors
    assert result.rows["学习强国"][0].values["activity_rate"] == Decimal(expected)


def _rewrite_member(data: bytes, name: str, edit) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, edit(content) if info.filename == name else content)
    return buffer.getvalue()


def test_rows_beyond_a_wrong_declared_dimension_are_read(world):
    data = xlsx([["2020-01", None, 100, 45], ["2020-02", None, 99, 46], ["2020-03", None, "很高", 47]])
    assert b'<dimension ref="A1:D4"' in zipfile_member(data, "xl/worksheets/sheet1.xml")
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'ref="A1:D4"', b'ref="A1:B2"'))
    result = check(world, data)
    assert [r.number for r in result.rows["学习强国"] if not r.bad] == [2, 3]
    assert [(e.row, e.column) for e in result.errors] == [(4, "活跃率")]


def zipfile_member(data: bytes, name: str) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def test_malformed_sheet_xml_is_refused_not_a_server_error(world, client_for, upload):
    data = xlsx([["2020-01", None, 100, 45]])
    data = _rewrite_member(data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b"</sheetData>", b""))
    response = upload(client_for(world.office), data)
    assert response.status_code == 200
    assert "无法读取工作簿，文件可能已损坏" in response.content.decode()
    assert not StudyAppStat.objects.exists()


def test_too_many_rows_are_refused(world, client_for, monkeypatch, upload):
    # The ledger's bound on rows, checked while streaming the sheet.
    monkeypatch.setattr("portal.ledger.importer.MAX_ROWS", 3)
    rows = [[f"2020-{m:02d}", None, 100, 45] for m in range(1, 6)]
    response = upload(client_for(world.office), xlsx(rows))
    assert "工作表“学习强国”超过 3 行，已拒绝。" in response.content.decode()
    assert "确认导入" not in response.content.decode()
    assert not StudyAppStat.objects.exists()


def test_export_writes_rates_as_percent_cells_that_read_back_unchanged(world, client_for, upload):
    # A rate of 1 % written as a bare 1 would read back as 100 % under the shared rule.
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 1, 1), activity_rate="1", avg_score="3")
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 2, 1), activity_rate="100", avg_score="4")
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 3, 1), activity_rate="33.33", avg_score="5")
    c = client_for(world.office)
    content = c.get(reverse("study:appstat_export") + "?year=2020").content
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))["学习强国"]
    assert [sheet.cell(row=r, column=3).value for r in (2, 3, 4)] == [0.01, 1, 0.3333]
    assert all("%" in sheet.cell(row=r, column=3).number_format for r in (2, 3, 4))
    assert counts(upload(c, content)) == {"create": 0, "update": 0, "unchanged": 3}


def test_upload_spooled_to_a_temporary_file_is_read(world, client_for, settings, upload):
    # Large uploads reach the view as a file on disk, checked and read in place.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    response = upload(client_for(world.office), xlsx([["2020-01", None, 98, 45]]))
    assert response.context["result"]["ok"]
    assert response.context["result"]["rows"][0]["values"]["activity_rate"] == "98.00"
