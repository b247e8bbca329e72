"""Every number in the body of the report links to a list showing exactly the
records behind it (the office can check each one), through ``?figure=<key>``."""

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal import figures
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
    """The report's running text: no appendix, charts, office-written paragraphs (the opening among
    them) or "{year}年度尚未录入任何工作记录" (a year, not a figure)."""
    page = client.get(reverse("reports:detail", args=[year])).content.decode()
    body = page.split('<article class="report-paper"')[1].split('<section class="appendix">')[0]
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
            assert len(text.split(NAMING[name])) == rows, (key, text, rows)
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
