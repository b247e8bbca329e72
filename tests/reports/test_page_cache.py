"""The report page is served from a cache keyed on the data it was compiled from: a
repeated view costs a few queries, the same whatever the volume, and any change to
a record shows at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.access import actor_for
from portal.services import record_trash
from reports import services
from responsibility.models import CommitteeMeeting
from tests import factories as f

from .conftest import page_text

pytestmark = pytest.mark.django_db
URL = reverse("reports:detail", args=[2020])


def queries_of(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), page_text(response.content.decode())


def test_any_change_to_the_records_shows_at_once(year_data, client_for):
    office = client_for(year_data.office)
    assert "党委专题研究了2次意识形态工作" in queries_of(office)[1]
    assert "党委专题研究了2次意识形态工作" in queries_of(office)[1]  # from the cache
    meeting = CommitteeMeeting.objects.filter(committee=year_data.committee, date__year=2020, is_ideology=True).first()
    meeting.is_ideology = False
    meeting.save()
    assert "党委专题研究了1次意识形态工作" in queries_of(office)[1]
    other = CommitteeMeeting.objects.filter(committee=year_data.committee, date__year=2020, is_ideology=True).get()
    record_trash(actor=actor_for(year_data.office), record=other)
    assert "本年度未记录党委专题研究意识形态工作的会议" in queries_of(office)[1]
    f.CommitteeMeetingFactory(committee=year_data.committee, date=datetime.date(2020, 6, 1), is_ideology=True)
    assert "党委专题研究了1次意识形态工作" in queries_of(office)[1]
    CommitteeMeeting.all_objects.filter(pk=other.pk).delete()  # purged from the trash: one row fewer
    f.CommitteeMeetingFactory(committee=year_data.committee, date=datetime.date(2019, 6, 1), is_ideology=True)
    assert "党委专题研究意识形态工作12" in queries_of(office)[1]  # this year's and last year's, side by side
    year_data.committee.unit_name = "甲局本部"
    year_data.committee.save()
    assert "甲局本部落实意识形态工作责任制情况报告" in queries_of(office)[1]
    report = services.report_for_year(committee=year_data.committee, year=2020)
    services.report_update(report=report, data={"intro": "缓存之后改写的开头。"})
    assert "缓存之后改写的开头。" in queries_of(office)[1]


def test_a_cached_view_costs_a_few_queries_whatever_the_volume(year_data, client_for):
    leader = client_for(year_data.leader)
    missed, _ = queries_of(leader)
    small, _ = queries_of(leader)
    assert small <= 15 and missed > small + 30, (small, missed)
    c, d = year_data.committee, datetime.date
    for i in range(60):
        f.TalkFactory(committee=c, talker=year_data.leader.person, talkee=year_data.office.person,
                      date=d(2020, i % 12 + 1, 1))
        f.StudySessionFactory(committee=c, kind="party_day", branch=year_data.branch, date=d(2020, i % 12 + 1, 2))
        f.ArticleFactory(committee=c, level="provincial", date=d(2020, i % 12 + 1, 3))
    queries_of(leader)
    large, text = queries_of(leader)
    assert large == small
    assert "局党委班子成员共开展了64次交心谈心" in text


def test_a_final_reports_page_is_cached_too_and_counts_changes_at_once(year_data, client_for):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    services.report_finalise(report=report, user=year_data.office)
    office = client_for(year_data.office)
    queries_of(office)
    hit, text = queries_of(office)
    assert hit <= 15 and "定稿后，报告所依据的记录没有变化。" in text
    f.TalkFactory(committee=year_data.committee, talker=year_data.leader.person, talkee=year_data.office.person,
                  date=datetime.date(2020, 9, 9))
    _, text = queries_of(office)
    assert "有1条发生了变化（新增1条、修改0条、删除0条）" in text and "局党委班子成员共开展了4次交心谈心" in text
