"""The figure registry: every indicator of the assessment is a registered figure whose
value comes from the records, and ``?figure=`` narrows a record list to exactly a
figure's records within what the user may see."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portal import figures
from tests import factories as f
from tests.reports.conftest import year_data  # noqa: F401 - the fixture, with its decoys

pytestmark = pytest.mark.django_db

# ASSESSMENT.md's indicator keys, with their value for tests/reports/conftest.py's year_data.
INDICATORS = {
    "ideology_meetings": 2,
    "letters_signed_ratio": Decimal("50.00"),  # 1 of 2 branches; the other's letter is only issued
    "committee_talks": 4,
    "analyses_done_ratio": Decimal("37.50"),  # 3 of 2 × 4
    "central_group_sessions": 3,
    "central_group_quarters": 3,  # March, June, September
    "central_group_ideology_sessions": 2,
    "app_active_rate_min": Decimal("98.5"),
    "app_daily_score_mean": Decimal("44.75"),
    "articles_provincial_plus": 3,
    "bulletin_issues": 4,
    "ideology_tasks_done_ratio": Decimal("50.00"),  # 2 of 4 closed in their month
    "inspections": 3,
    "work_documents": 0,
    "activities": 2,
}


def listed_total(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.search(r"共\s*(\d+)\s*条", response.content.decode()).group(1))


def test_every_assessment_indicator_is_a_figure_computed_from_the_records(year_data):  # noqa: F811
    committee = year_data.committee
    values = {key: figures.value(key, committee, 2020) for key in INDICATORS}
    assert values == INDICATORS
    assert all(figures.url(key, 2020) for key in INDICATORS)


def test_ratios_and_means_without_anything_to_measure_are_none(world):
    empty = f.CommitteeFactory(slug="empty")
    for key in ("letters_signed_ratio", "analyses_done_ratio", "ideology_tasks_done_ratio",
                "app_active_rate_min", "app_daily_score_mean"):
        assert figures.value(key, empty, 2020) is None, key
    assert figures.value("central_group_quarters", empty, 2020) == 0


def test_a_letter_signed_by_its_branch_only_is_not_signed_yet(world):
    c = world.committee
    f.ResponsibilityLetterFactory(committee=c, branch=world.branch, year=2020, status="signed")
    f.ResponsibilityLetterFactory(committee=c, branch=world.other_branch, year=2020, status="revoked")
    assert figures.value("letters_signed", c, 2020) == 0
    assert set(figures.records("letters_unsigned", c, 2020)) == {world.branch, world.other_branch}
    f.ResponsibilityLetterFactory(committee=c, branch=world.other_branch, year=2020, status="issued", offline=True,
                                  offline_signed_on=datetime.date(2020, 3, 1))
    assert figures.value("letters_signed", c, 2020) == 1
    assert figures.value("letters_signed_ratio", c, 2020) == Decimal("50.00")


def test_figure_keys_with_and_without_argument():
    assert figures.label("sessions_by_kind:party_day") == "学习活动（主题党日）"
    for bad in ("nope", "sessions_by_kind", "ideology_meetings:x"):
        with pytest.raises(figures.UnknownFigure):
            figures.parse(bad)


def test_a_figure_link_lists_its_records_within_the_users_scope(year_data, client_for):  # noqa: F811
    c = year_data.committee
    f.StudySessionFactory(committee=c, kind="party_day", branch=year_data.other_branch, date=datetime.date(2020, 5, 1))
    url = figures.url("sessions_by_kind:party_day", 2020)
    assert figures.value("sessions_by_kind:party_day", c, 2020) == 2
    assert listed_total(client_for(year_data.office), url) == 2
    body = client_for(year_data.office).get(url).content.decode()
    assert "仅显示2020年度报告中这一数字所依据的记录：学习活动（主题党日）。" in body
    assert listed_total(client_for(year_data.branch_secretary), url) == 1  # their own branch's only
    assert listed_total(client_for(year_data.outsider), url) == 0  # another committee's user: its own figure


def test_an_unknown_figure_or_one_of_another_list_shows_nothing(year_data, client_for):  # noqa: F811
    office = client_for(year_data.office)
    meetings = reverse("responsibility:meeting_list")
    assert listed_total(office, f"{meetings}?year=2020") == 3
    assert listed_total(office, f"{meetings}?year=2020&figure=ideology_meetings") == 2
    assert listed_total(office, f"{meetings}?year=2020&figure=nope") == 0
    assert listed_total(office, f"{meetings}?year=2020&figure=committee_talks") == 0
    assert listed_total(office, f"{meetings}?year=2020&figure=sessions_by_kind") == 0
