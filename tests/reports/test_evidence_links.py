"""Every number in the body of the report links to a list showing exactly the
records behind it (the office can check each one), through ``?figure=<key>``."""

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal import figures
from tests import factories as f
from portal.models import Committee
from study import selectors as study

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="(fig[^"]*)" href="([^"]+)" data-figure="([^"]+)">([^<]*)</a>')
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Clauses that name their records instead of counting them ("制定了A、B等工作文件"): one name per record.
NAMING = {"work_documents": "、", "handouts_by_scope": "、", "channels": "、", "channels_supervised": "、",
          "role_models": "、", "activities_by_kind": "；"}


def listed_total(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    match = re.search(r"共\s*(\d+)\s*条", response.content.decode())
    assert match, f"no total on {url}"
    return int(match.group(1))


def report_body(client: Client, year: int) -> str:
    """The report's running text: no charts, office-written paragraphs (the opening among them),
    "{year}年度尚未录入任何工作记录" (a year, not a figure), the issuing body and the date at its end,
    or the appendix (counts per month and branch, whose records are the rows of the ledger
    workbook offered beside the report; its column totals link to the year's lists)."""
    page = client.get(reverse("reports:detail", args=[year])).content.decode()
    body = page.split('<article class="report-paper"')[1].split('<div class="sign-off">')[0]
    body = re.sub(r'<figure class="chart">.*?</figure>', "", body, flags=re.S)
    return re.sub(r'<p class="(staff|no-data)">.*?</p>', "", body, flags=re.S)


def numbers_meant(key: str, committee, year: int, rows: int) -> list[Decimal]:
    """What the numbers in a linked clause must be, from the figure's own definition."""
    name = key.partition(":")[0]
    if name == "central_group_ideology_sessions":  # states the months of those sessions
        return [Decimal(m) for m in study.central_group_ideology_months(committee, year)]
    if figures.FIGURES[name].value is None:  # a count: the number of rows listed
        return [Decimal(rows)]
    return [Decimal(figures.value(key, committee, year))]


def check_every_number_links_to_its_records(client: Client, committee, year: int) -> dict[str, int]:
    """{figure: rows listed} of every link in the body, each checked against the figure's definition."""
    body = report_body(client, year)
    unlinked = html_lib.unescape(re.sub(r"<[^>]+>", "", LINK.sub("", body)))
    assert NUMBER.findall(unlinked) == [], unlinked  # every number stands in a link
    checked = {}
    for css, url, key, text in LINK.findall(body):
        url, key, text = html_lib.unescape(url), html_lib.unescape(key), html_lib.unescape(text)
        rows = listed_total(client, url)
        assert rows == figures.records(key, committee, year).count(), (key, url)
        # "本年度未记录…" links to an empty list; every other clause to the records it names.
        assert (rows == 0) == ("fig-none" in css), (key, text, rows)
        name = key.partition(":")[0]
        shown = [Decimal(n) for n in NUMBER.findall(text)]
        if name in NAMING:
            named = len(text.split(NAMING[name]))
            stated = re.search(r"等(\d+)[个种名项]", text)  # "A、B……J等12个工作文件": ten named, all counted
            assert (int(stated[1]), named) == (rows, 10) if stated else named == rows, (key, text, rows)
        elif shown:
            meant = numbers_meant(key, committee, year, rows)
            # A rate or mean is stated rounded down ("日人均分基本达到45分以上"): never more than the records show.
            assert len(shown) == len(meant) and all(m - 1 < s <= m for s, m in zip(shown, meant)), (key, text, meant)
        checked[key] = rows
    return checked


def office_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="office"))
    return client


def test_every_number_of_the_demo_report_links_to_exactly_its_records():
    call_command("seed_demo")
    checked = check_every_number_links_to_its_records(office_client(), Committee.objects.get(slug="demo"), 2020)
    assert {
        "letters_signed", "ideology_meetings", "work_documents", "tasks", "ideology_tasks", "ideology_tasks_on_time",
        "inspections", "inspections_by_form", "committee_talks", "analyses_expected", "analyses_done",
        "special_surveys", "central_group_sessions", "central_group_ideology_sessions", "sessions_by_kind",
        "app_active_rate_min", "app_daily_score_mean", "handouts_by_scope", "articles", "articles_by_level",
        "articles_provincial_plus", "bulletin_issues_of_series", "channels", "channels_supervised", "role_models",
        "activities_by_kind",
    } <= {key.partition(":")[0] for key in checked}


def test_every_number_links_in_a_year_with_gaps_and_decoys(year_data, client_for):
    """Unsigned branches, late and open tasks, another committee's records: still exactly the records behind."""
    checked = check_every_number_links_to_its_records(client_for(year_data.office), year_data.committee, 2020)
    assert checked["letters_unsigned"] == 1 and checked["ideology_tasks_on_time"] == 2
    assert checked["inspections_by_form:check"] == 1 and checked["articles_by_level:central"] == 1


def test_a_year_without_records_still_links_each_statement(world, client_for):
    checked = check_every_number_links_to_its_records(client_for(world.office), world.committee, 2015)
    assert checked["ideology_meetings"] == checked["committee_talks"] == 0
    assert checked["letters_unsigned"] == 2  # "2个党支部均尚未签订…": the branches behind it


def test_a_clause_naming_many_records_names_ten_and_counts_them_all(world, client_for):
    """So the body's length does not grow with the records."""
    for i in range(12):
        f.WorkDocumentFactory(committee=world.committee, title=f"工作方案{i}", date=datetime.date(2020, 3, 1))
        f.ActivityFactory(committee=world.committee, kind="festival", title=f"节日活动{i}", date=datetime.date(2020, 5, 1))
    f.ActivityFactory(committee=world.committee, kind="volunteer", title="志愿服务", date=datetime.date(2020, 5, 1))
    checked = check_every_number_links_to_its_records(client_for(world.office), world.committee, 2020)
    assert checked["work_documents"] == checked["activities_by_kind:festival"] == 12
    body = report_body(client_for(world.office), 2020)
    assert "等12个工作文件" in body and "等12项活动" in body and "工作方案10" not in body
    assert "志愿服务（局机关）</a>" in body  # a kind with one activity names it, without a count
