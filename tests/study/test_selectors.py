import datetime
from decimal import Decimal

import pytest

from portal import figures
from portal.access import actor_for
from study import selectors
from study.models import StudySession
from tests import factories as f

pytestmark = pytest.mark.django_db
K = StudySession.Kind


def test_counts_per_kind_and_month_respect_year_boundaries(world):
    c = world.committee
    f.StudySessionFactory(committee=c, date=datetime.date(2019, 12, 31), kind=K.CENTRAL_GROUP)
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 1, 1), kind=K.CENTRAL_GROUP)
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 12, 31), kind=K.PARTY_DAY, branch=world.branch)
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 12, 1), kind=K.PARTY_DAY, branch=world.branch)
    f.StudySessionFactory(committee=c, date=datetime.date(2021, 1, 1), kind=K.PARTY_DAY, branch=world.branch)
    f.StudySessionFactory(committee=world.other_committee, date=datetime.date(2020, 5, 1))
    qs = StudySession.objects.filter(committee=c)

    by_kind = selectors.session_counts_by_kind(qs, 2020)
    assert by_kind[K.CENTRAL_GROUP] == 1
    assert by_kind[K.PARTY_DAY] == 2
    assert by_kind[K.PARTY_LECTURE] == 0

    by_month = selectors.session_counts_by_month_and_kind(qs, 2020)
    assert by_month[K.CENTRAL_GROUP] == [1] + [0] * 11
    assert by_month[K.PARTY_DAY] == [0] * 11 + [2]
    assert selectors.session_counts_by_kind(qs, 2019)[K.CENTRAL_GROUP] == 1
    assert selectors.session_counts_by_kind(qs, 2021)[K.PARTY_DAY] == 1


def test_secretary_sees_committee_level_and_own_branch_sessions_only(world):
    c = world.committee
    committee_level = f.StudySessionFactory(committee=c)
    own = f.StudySessionFactory(committee=c, kind=K.PARTY_DAY, branch=world.branch)
    f.StudySessionFactory(committee=c, kind=K.PARTY_DAY, branch=world.other_branch)
    visible = selectors.sessions_visible_to(actor_for(world.branch_secretary))
    assert set(visible) == {committee_level, own}
    assert selectors.sessions_visible_to(actor_for(world.office)).count() == 3
    assert selectors.sessions_visible_to(actor_for(world.outsider)).count() == 0


def test_central_group_figures_count_the_years_committee_sessions(world):
    c = world.committee
    late = f.StudySessionFactory(committee=c, date=datetime.date(2020, 6, 19), is_ideology=True)
    early = f.StudySessionFactory(committee=c, date=datetime.date(2020, 1, 16))
    december = f.StudySessionFactory(committee=c, date=datetime.date(2020, 12, 31), is_ideology=True)
    f.StudySessionFactory(committee=c, date=datetime.date(2021, 1, 1), is_ideology=True)
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 3, 1), kind=K.PARTY_DAY, branch=world.branch)
    f.StudySessionFactory(committee=world.other_committee, date=datetime.date(2020, 5, 1))
    assert set(selectors.central_group_sessions(c, 2020)) == {early, late, december}
    assert set(selectors.central_group_ideology_sessions(c, 2020)) == {late, december}
    assert selectors.central_group_ideology_months(c, 2020) == [6, 12]
    assert selectors.central_group_quarters(c, 2020) == 3
    assert figures.value("central_group_quarters", c, 2020) == 3
    assert figures.value("central_group_sessions", c, 2020) == 3


def test_appstat_summary_uses_unit_rows_of_the_year_and_rounds_down(world):
    c = world.committee
    for month, score in [(1, "45.9"), (6, "45.2"), (12, "46.0")]:
        f.StudyAppStatFactory(committee=c, month=datetime.date(2020, month, 1), activity_rate=100 - month, avg_score=Decimal(score))
    f.StudyAppStatFactory(committee=c, month=datetime.date(2020, 2, 1), branch=world.branch, activity_rate=10, avg_score=5)
    f.StudyAppStatFactory(committee=c, month=datetime.date(2019, 12, 1), activity_rate=1, avg_score=1)
    f.StudyAppStatFactory(committee=c, month=datetime.date(2021, 1, 1), activity_rate=1, avg_score=1)
    summary = selectors.appstat_year_summary(c, 2020)
    assert summary["months"] == 3
    assert summary["min_rate"] == Decimal("88")
    assert summary["avg_score"] == Decimal("45.70")
    assert summary["avg_score_floor"] == 45
    assert selectors.appstat_year_summary(c, 2018)["months"] == 0


def test_unit_appstats_by_month_leaves_gaps(world):
    c = world.committee
    stat = f.StudyAppStatFactory(committee=c, month=datetime.date(2020, 3, 1))
    f.StudyAppStatFactory(committee=c, month=datetime.date(2020, 4, 1), branch=world.branch)
    months = selectors.unit_appstats_by_month(c, 2020)
    assert months[2] == stat
    assert [m for i, m in enumerate(months) if i != 2] == [None] * 11


def test_handouts_by_scope(world):
    c = world.committee
    member = f.MaterialHandoutFactory(committee=c, scope="member", date=datetime.date(2020, 12, 31))
    branch = f.MaterialHandoutFactory(committee=c, scope="branch", date=datetime.date(2020, 1, 1))
    f.MaterialHandoutFactory(committee=c, scope="branch", date=datetime.date(2021, 1, 1))
    assert list(figures.records("handouts_by_scope:member", c, 2020)) == [member]
    assert list(figures.records("handouts_by_scope:branch", c, 2020)) == [branch]


def test_demo_reproduces_the_sample_figures():
    from django.core.management import call_command

    from portal.models import Committee

    call_command("seed_demo")
    c = Committee.objects.get(slug="demo")
    qs = StudySession.objects.filter(committee=c)
    assert selectors.session_counts_by_kind(qs, 2020)[K.CENTRAL_GROUP] == 11
    assert selectors.central_group_ideology_months(c, 2020) == [6]
    summary = selectors.appstat_year_summary(c, 2020)
    assert (summary["months"], summary["min_rate"], summary["avg_score_floor"]) == (12, Decimal("100"), 45)
    from study.models import MaterialHandout

    titles = set(MaterialHandout.objects.filter(committee=c).values_list("title", "scope"))
    assert ("《习近平谈治国理政（第三卷）》", "branch") in titles
    assert ("《党的十九届五中全会〈建议〉学习辅导百问》", "member") in titles
