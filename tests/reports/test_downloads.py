"""Beside each build's PDF: the report as Word, the ledger workbook behind the
appendix's counts, and the self-contained HTML."""

import io
from urllib.parse import unquote

import docx
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportBuild

from .conftest import EXPECTED, squash


def build(client, django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:build", args=[2020]), HTTP_ACCEPT="application/json")
    return client.get(reverse("reports:status", args=[2020])).json()


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_build_offers_word_the_ledger_and_html_beside_the_pdf(year_data, client_for, django_capture_on_commit_callbacks):
    leader = client_for(year_data.leader)
    status = build(leader, django_capture_on_commit_callbacks)
    assert status["status"] == "done" and status["docx_url"] and status["ledger_url"] and status["html_url"]
    page = leader.get(reverse("reports:detail", args=[2020])).content.decode()
    for url in (status["pdf_url"], status["docx_url"], status["ledger_url"], status["html_url"]):
        assert f'href="{url}"' in page  # the buttons beside the PDF on the report page

    response = leader.get(status["docx_url"])
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert unquote(response["Content-Disposition"]).endswith("2020年甲局机关落实意识形态工作责任制情况报告.docx")
    text = squash("".join(p.text for p in docx.Document(io.BytesIO(content(response))).paragraphs))
    assert [s for s in EXPECTED if s not in text] == []

    response = leader.get(status["ledger_url"])
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert unquote(response["Content-Disposition"]).endswith("alpha-台账-2020.xlsx")  # as the appendix names it
    workbook = load_workbook(io.BytesIO(content(response)), read_only=True)
    sheet = next(ws for ws in workbook.worksheets if ws.title == "谈心谈话")
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == 5  # every talk of 2020, as the appendix counts them
    summary = rows[0].index("要点")
    assert all(len(row) <= summary or not row[summary] for row in rows[1:])  # confidential: never in a build, which every leader reads

    html = content(leader.get(status["html_url"])).decode()
    assert "/static/" not in html and "<style>" in html


def test_build_files_are_kept_from_outsiders_and_branch_secretaries(year_data, client_for,
                                                                    django_capture_on_commit_callbacks):
    status = build(client_for(year_data.office), django_capture_on_commit_callbacks)
    for url in (status["docx_url"], status["ledger_url"]):
        assert client_for(year_data.outsider).get(url).status_code == 404
        assert client_for(year_data.branch_secretary).get(url).status_code == 403
    pk = ReportBuild.objects.get().pk
    assert client_for(year_data.office).get(reverse("reports:download", args=[pk, "exe"])).status_code == 404
