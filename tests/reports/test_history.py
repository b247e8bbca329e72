"""History where it matters: the report's text and status, and the committee's own
settings (which a ledger import's 党委 sheet overwrites) keep every version, shown to
the office like a record's history; the committee's can be restored."""

import pytest
from django.urls import reverse

from portal.ledger.importer import ledger_import
from portal.models import Committee
from reports import services
from tests.ledger.helpers import xlsx

from .conftest import page_text

pytestmark = pytest.mark.django_db

COMMITTEE_SHEET = ["党委名称", "简称", "单位名称", "上级"]


def test_the_report_history_shows_each_change_of_its_text_and_status(year_data, client_for):
    office = client_for(year_data.office)
    edit = reverse("reports:edit", args=[2020])
    office.post(edit, {"title": "", "intro": "第一稿开头。", "shortcomings": "", "next_steps": ""})
    office.post(edit, {"title": "", "intro": "第二稿开头。", "shortcomings": "稿件不多。", "next_steps": ""})
    office.post(reverse("reports:finalise", args=[2020]))
    office.post(reverse("reports:reopen", args=[2020]), {"reason": "领导要求补充不足部分"})
    history = page_text(office.get(reverse("reports:history", args=[2020])).content.decode())
    assert "第一稿开头。第二稿开头。" in history  # before → after of the opening
    assert "（定稿）" in history and "（撤销定稿：领导要求补充不足部分）" in history
    assert "状态定稿草稿" in history and "状态草稿定稿" in history
    assert "领导要求补充不足部分" in history.split("报告文字和状态的修改")[0]  # the freezes table
    assert client_for(year_data.leader).get(reverse("reports:history", args=[2020])).status_code == 403
    assert client_for(year_data.office).get(reverse("reports:history", args=[2019])).status_code == 404


def test_the_committee_settings_keep_history_through_the_page_and_the_ledger(year_data, client_for):
    office = client_for(year_data.office)
    committee = year_data.committee
    response = office.post(reverse("committee_edit"), {"name": "甲局党委", "short_name": "局党委",
                                                       "unit_name": "甲局机关（本部）", "superiors": "省中心党委"})
    assert response.status_code == 302
    workbook = xlsx({"党委": [COMMITTEE_SHEET, ["甲局党委", "局党委", "导入改写的单位", "省中心党委"]]})
    result = ledger_import(committee_slug="alpha", file=workbook, dry_run=False, actor_user=year_data.office)
    assert not result.refused and not result.errors, (result.refused, result.errors)
    committee.refresh_from_db()
    assert committee.unit_name == "导入改写的单位"
    history = page_text(office.get(reverse("committee_history")).content.decode())
    assert "单位名称甲局机关（本部）导入改写的单位" in history and "单位名称甲局机关甲局机关（本部）" in history

    page_version = committee.history.order_by("history_id")[1]
    restore = reverse("committee_history_restore", args=[committee.pk, page_version.history_id])
    assert "确定把" in page_text(office.get(restore).content.decode())
    assert office.post(restore).status_code == 302
    committee.refresh_from_db()
    assert committee.unit_name == "甲局机关（本部）"
    assert committee.history.first().history_change_reason.startswith("恢复为")
    assert "甲局机关（本部）落实意识形态工作责任制情况报告" in page_text(
        office.get(reverse("reports:detail", args=[2020])).content.decode())


def test_only_the_office_changes_the_committee_or_reads_its_history(year_data, client_for):
    committee = year_data.committee
    version = committee.history.first()
    for user in (year_data.leader, year_data.branch_secretary):
        client = client_for(user)
        assert client.get(reverse("committee")).status_code == 200  # the names, read only
        assert reverse("committee_history") not in client.get(reverse("committee")).content.decode()
        assert client.post(reverse("committee_edit"), {"name": "改"}).status_code == 403
        assert client.get(reverse("committee_history")).status_code == 403
        restore = reverse("committee_history_restore", args=[committee.pk, version.history_id])
        assert client.post(restore).status_code == 403
    other = Committee.objects.get(slug="beta")
    foreign = reverse("committee_history_restore", args=[committee.pk, version.history_id])
    assert client_for(year_data.outsider).post(foreign).status_code == 404  # another committee's version
    assert other.history.count() == 1


def test_a_report_finalised_by_service_records_who_did_it(year_data):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    services.report_finalise(report=report, user=year_data.office)
    latest = report.history.first()
    assert (latest.history_user, latest.history_change_reason, latest.status) == (year_data.office, "定稿", "final")
