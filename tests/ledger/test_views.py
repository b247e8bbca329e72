"""The ledger pages: who may use them, preview → confirm, export and template."""

import io

import openpyxl
import pytest
from django.urls import reverse

from portal.ledger.sheets import ledger_sheets
from portal.models import ImportJob, Person
from responsibility.models import Talk
from tests import factories as f

from .helpers import cells, populate, post_and_run, xlsx

SHEETS = ledger_sheets()

TALKS = {
    "人员": [["姓名", "所在支部", "职务", "党员", "班子成员"], ["甲", "第一党支部", "", "是", "是"], ["乙", "第一党支部", "", "是", "否"]],
    "谈心谈话": [["日期", "谈话人", "谈话对象", "谈话类型", "要点"], ["2020-06-01", "甲", "乙", "谈心", "要点"]],
}


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a workbook; its preview job runs (at commit, as the tests' setup
    runs jobs) and the job's page is returned."""

    def post(client, sheets, name="ledger.xlsx"):
        data = xlsx(sheets)
        data.name = name
        return post_and_run(client, django_capture_on_commit_callbacks, reverse("ledger:import"), {"file": data})

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def post(client, preview):
        url = reverse("ledger:import_confirm", args=[preview.context["job"].pk])
        return post_and_run(client, django_capture_on_commit_callbacks, url, {})

    return post


@pytest.mark.parametrize("who", ["leader", "branch_secretary"])
def test_only_office_may_import(world, client_for, who, upload):
    office_job = upload(client_for(world.office), TALKS).context["job"]
    client = client_for(getattr(world, who))
    assert client.get(reverse("ledger:import")).status_code == 403
    assert upload(client, TALKS).status_code == 403
    assert client.post(reverse("ledger:import_confirm", args=[office_job.pk])).status_code == 403
    assert client.get(reverse("ledger:import_job", args=[office_job.pk])).status_code == 403
    assert client.get(reverse("ledger:template")).status_code == 403
    assert Talk.objects.count() == 0


def test_branch_secretary_may_not_export(world, client_for):
    client = client_for(world.branch_secretary)
    assert client.get(reverse("ledger:export")).status_code == 403
    assert client.get(reverse("ledger:export_download"), {"year": 2020}).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    for name in ["ledger:import", "ledger:export", "ledger:template"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_preview_then_confirm_writes_once(world, client_for, upload, confirm):
    client = client_for(world.office)
    response = upload(client, TALKS)
    assert response.status_code == 200
    job, result = response.context["job"], response.context["result"]
    assert job.dry_run and job.status == "done" and result["ok"] and not result["applied"]
    assert {s["name"]: s["create"] for s in result["sheets"]} == {"人员": 2, "谈心谈话": 1}
    assert Talk.objects.count() == 0
    assert "确认导入" in response.content.decode()
    response = confirm(client, response)
    assert response.status_code == 200 and response.context["result"]["applied"]
    assert "导入完成" in response.content.decode()
    assert Talk.objects.filter(committee=world.committee).count() == 1
    # A preview is confirmed once: confirming again writes nothing more.
    again = client.post(reverse("ledger:import_confirm", args=[job.pk]), follow=True)
    assert "已经确认导入过" in again.content.decode()
    assert Talk.objects.count() == 1


def test_after_an_import_the_portal_shows_the_imported_year(world, client_for, upload, confirm):
    client = client_for(world.office)
    client.get(reverse("dashboard") + "?year=2020")
    rows = TALKS["谈心谈话"][:1] + [["2021-03-01", "甲", "乙", "谈心", ""], ["2021-04-01", "甲", "乙", "谈心", ""]]
    response = confirm(client, upload(client, {**TALKS, "谈心谈话": rows}))
    assert response.context["result"]["year"] == 2021 and "现在查看的是 2021 年" in response.content.decode()
    listing = client.get(reverse("responsibility:talk_list"))
    assert listing.context["year"] == 2021 and listing.context["total"] == 2


def test_preview_with_errors_offers_no_confirmation(world, client_for, upload):
    client = client_for(world.office)
    bad = {**TALKS, "谈心谈话": TALKS["谈心谈话"] + [["2020-06-31", "甲", "乙"], ["2020-06-02", "甲", "甲"]]}
    response = upload(client, bad)
    page = response.content.decode()
    assert not response.context["result"]["ok"]
    assert "确认导入" not in page
    assert [(e["sheet"], e["row"], e["column"]) for e in response.context["result"]["errors"]] == [
        ("谈心谈话", 3, "日期"), ("谈心谈话", 4, "谈话对象")
    ]
    assert "日期不存在" in page and "谈话人和谈话对象不能是同一人" in page
    assert Person.objects.filter(name="甲").count() == 0
    # The file is let go: nothing can confirm it.
    job = response.context["job"]
    assert client.post(reverse("ledger:import_confirm", args=[job.pk])).status_code == 302
    assert Talk.objects.count() == 0


def test_confirm_refuses_a_file_changed_since_preview(world, client_for, settings, upload, confirm):
    client = client_for(world.office)
    preview = upload(client, TALKS)
    path = settings.MEDIA_ROOT / "ledger-tmp" / f"{preview.context['job'].token}.xlsx"
    path.write_bytes(xlsx({**TALKS, "谈心谈话": TALKS["谈心谈话"] + [["2020-06-02", "甲", "乙"]]}).getvalue())
    response = client.post(reverse("ledger:import_confirm", args=[preview.context["job"].pk]), follow=True)
    assert "上传的文件已失效或已被改动" in response.content.decode()
    assert Talk.objects.count() == 0


def test_another_user_can_neither_read_nor_confirm_the_job(world, client_for, upload):
    job = upload(client_for(world.office), TALKS).context["job"]
    other_office = f.person_with_user(world.committee, "office2", role="office")
    for client in (client_for(other_office), client_for(world.outsider)):
        assert client.get(reverse("ledger:import_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("ledger:import_job_status", args=[job.pk])).status_code == 404
        assert client.post(reverse("ledger:import_confirm", args=[job.pk])).status_code == 404
    assert Talk.objects.count() == 0


def test_refused_file_is_explained(world, client_for, django_capture_on_commit_callbacks):
    data = io.BytesIO(b"PK\x03\x04 not really a zip")
    data.name = "ledger.xlsx"
    client = client_for(world.office)
    response = post_and_run(client, django_capture_on_commit_callbacks, reverse("ledger:import"), {"file": data})
    assert response.status_code == 200
    assert response.context["result"]["refused"] and "损坏" in response.content.decode()


def test_wrong_extension_is_a_form_error(world, client_for, upload):
    response = upload(client_for(world.office), TALKS, name="ledger.csv")
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_export_summaries_only_for_office(world, client_for):
    populate(world.committee)
    office = client_for(world.office).get(reverse("ledger:export_download"), {"year": 2020})
    leader = client_for(world.leader).get(reverse("ledger:export_download"), {"year": 2020})
    assert office.status_code == leader.status_code == 200
    assert office["Content-Type"].startswith("application/vnd.openxmlformats")
    office_talks = cells(office.content)["谈心谈话"]
    leader_talks = cells(leader.content)["谈心谈话"]
    assert [row[4] for row in office_talks[1:]] == ["要点一", "要点二"]
    assert all(len(row) < 5 or row[4] is None for row in leader_talks[1:])
    assert [row[:4] for row in office_talks] == [row[:4] for row in leader_talks]


def test_export_bad_year_is_404(world, client_for):
    client = client_for(world.office)
    assert client.get(reverse("ledger:export_download"), {"year": "abc"}).status_code == 404
    assert client.get(reverse("ledger:export_download")).status_code == 404


def test_export_of_other_committee_is_not_reachable(world, client_for):
    populate(world.other_committee)
    response = client_for(world.outsider).get(reverse("ledger:export_download"), {"year": 2020})
    # The outsider exports their own committee; ours stays out of it.
    names = [row[0] for row in cells(response.content)["人员"][1:]]
    assert "outsider" in names and "leader" not in names
    response = client_for(world.office).get(reverse("ledger:export_download"), {"year": 2020})
    assert "张书记" not in [row[0] for row in cells(response.content)["人员"][1:]]


def test_export_page_and_template(world, client_for):
    client = client_for(world.office)
    page = client.get(reverse("ledger:export"))
    assert page.status_code == 200 and "附“说明”工作表" in page.content.decode()
    response = client.get(reverse("ledger:template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [s.name for s in SHEETS]
    for spec in SHEETS:
        sheet = workbook[spec.name]
        assert [c.value for c in sheet[1]] == spec.headers
        assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width == spec.columns[0].width


def test_preview_lists_at_most_500_errors(world, client_for, upload):
    rows = [TALKS["谈心谈话"][0]] + [["bad", "甲", "乙"] for _ in range(600)]
    response = upload(client_for(world.office), {**TALKS, "谈心谈话": rows})
    page = response.content.decode()
    assert response.context["result"]["error_count"] == 600
    assert page.count("日期格式无效") == 500
    assert "仅列出前 500 处错误（共 600 处）" in page


def test_user_without_committee_gets_no_ledger(world, client_for):
    client = client_for(world.no_person)
    for name in ["ledger:import", "ledger:export", "ledger:template"]:
        assert client.get(reverse(name)).status_code in (403, 404)
    assert client.get(reverse("ledger:export_download"), {"year": 2020}).status_code in (403, 404)
