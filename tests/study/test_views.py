import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Person
from study.models import StudyAppStat, StudySession
from tests import factories as f

pytestmark = pytest.mark.django_db
K = StudySession.Kind


def person(user):
    return Person.objects.get(user=user)


def session_post(branch, **extra):
    data = {"date": "2020-06-20", "kind": K.PARTY_DAY, "branch": branch.pk if branch else "", "theme": "主题党日：重温入党誓词"}
    data.update(extra)
    return data


def test_secretary_records_own_branch_session_with_attendees(world, client_for):
    c = client_for(world.branch_secretary)
    attendees = [person(world.branch_secretary).pk, person(world.office).pk]
    response = c.post(reverse("study:session_create"), session_post(world.branch, attendees=attendees))
    assert response.status_code == 302
    session = StudySession.objects.get()
    assert session.branch == world.branch and session.committee == world.committee
    assert sorted(session.attendees.values_list("pk", flat=True)) == sorted(attendees)
    assert session.attendance == 2
    assert c.get(reverse("study:session_detail", args=[session.pk])).status_code == 200
    response = c.post(reverse("study:session_update", args=[session.pk]), session_post(world.branch, theme="改过的主题"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.theme == "改过的主题"


def test_secretary_cannot_post_for_another_branch(world, client_for):
    c = client_for(world.branch_secretary)
    response = c.post(reverse("study:session_create"), session_post(world.other_branch))
    assert response.status_code == 403
    assert not StudySession.objects.exists()


def test_secretary_cannot_read_or_change_another_branch_session(world, client_for):
    other = f.StudySessionFactory(committee=world.committee, kind=K.PARTY_DAY, branch=world.other_branch)
    c = client_for(world.branch_secretary)
    assert c.get(reverse("study:session_detail", args=[other.pk])).status_code == 404
    assert c.post(reverse("study:session_delete", args=[other.pk])).status_code == 404
    own = f.StudySessionFactory(committee=world.committee, kind=K.PARTY_DAY, branch=world.branch)
    body = c.get(reverse("study:session_list") + "?year=2020").content.decode()
    assert own.theme in body and other.theme not in body


def test_secretary_reads_but_cannot_change_committee_level_session(world, client_for):
    session = f.StudySessionFactory(committee=world.committee)
    c = client_for(world.branch_secretary)
    assert c.get(reverse("study:session_detail", args=[session.pk])).status_code == 200
    assert c.get(reverse("study:session_update", args=[session.pk])).status_code == 403
    assert c.post(reverse("study:session_delete", args=[session.pk])).status_code == 403


def test_leader_reads_but_cannot_write(world, client_for):
    session = f.StudySessionFactory(committee=world.committee, kind=K.PARTY_DAY, branch=world.branch)
    c = client_for(world.leader)
    assert c.get(reverse("study:session_detail", args=[session.pk])).status_code == 200
    assert c.post(reverse("study:session_create"), session_post(world.branch)).status_code == 403
    assert c.post(reverse("study:session_delete", args=[session.pk])).status_code == 403
    assert c.post(reverse("study:appstat_upload")).status_code == 403
    assert StudySession.objects.count() == 1


def test_outsider_gets_404(world, client_for):
    session = f.StudySessionFactory(committee=world.committee)
    stat = f.StudyAppStatFactory(committee=world.committee)
    handout = f.MaterialHandoutFactory(committee=world.committee)
    c = client_for(world.outsider)
    assert c.get(reverse("study:session_detail", args=[session.pk])).status_code == 404
    assert c.get(reverse("study:appstat_update", args=[stat.pk])).status_code == 404
    assert c.post(reverse("study:handout_delete", args=[handout.pk])).status_code == 404
    body = c.get(reverse("study:overview") + "?year=2020").content.decode()
    assert session.theme not in body


def test_office_records_committee_level_session(world, client_for):
    c = client_for(world.office)
    data = session_post(None, kind=K.CENTRAL_GROUP, theme="中心组学习", is_ideology="on", headcount="9")
    assert c.post(reverse("study:session_create"), data).status_code == 302
    session = StudySession.objects.get()
    assert session.branch is None and session.is_ideology and session.attendance == 9


def test_future_date_and_central_group_of_a_branch_are_refused(world, client_for):
    c = client_for(world.office)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = c.post(reverse("study:session_create"), session_post(world.branch, date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    response = c.post(reverse("study:session_create"), session_post(world.branch, kind=K.CENTRAL_GROUP))
    assert "党委理论学习中心组学习属于党委层面" in response.content.decode()
    assert not StudySession.objects.exists()


def appstat_post(**extra):
    data = {"month": "2020-06", "branch": "", "activity_rate": "98", "avg_score": "45.5"}
    data.update(extra)
    return data


def test_appstat_form_creates_and_refuses_bad_input(world, client_for):
    c = client_for(world.office)
    assert c.post(reverse("study:appstat_create"), appstat_post()).status_code == 302
    stat = StudyAppStat.objects.get()
    assert stat.month == datetime.date(2020, 6, 1) and stat.branch is None
    cases = [
        (appstat_post(month="2020-07", activity_rate="101"), "活跃率应在 0 到 100 之间"),
        (appstat_post(month="2020-07", activity_rate="-1"), "活跃率应在 0 到 100 之间"),
        (appstat_post(month="2020-07", avg_score="-0.5"), "日人均积分不能为负数"),
        (appstat_post(), "该月份（全单位）的数据已存在"),
        (appstat_post(month="六月"), "请按“年-月”填写月份"),
    ]
    for data, message in cases:
        response = c.post(reverse("study:appstat_create"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert StudyAppStat.objects.count() == 1
    # The same month for a branch is another row; editing keeps its own month.
    assert c.post(reverse("study:appstat_create"), appstat_post(branch=world.branch.pk)).status_code == 302
    response = c.post(reverse("study:appstat_update", args=[stat.pk]), appstat_post(avg_score="46"))
    assert response.status_code == 302
    stat.refresh_from_db()
    assert str(stat.avg_score) == "46.00"


def test_appstat_page_shows_the_year_chart(world, client_for):
    f.StudyAppStatFactory(committee=world.committee, month=datetime.date(2020, 3, 1), avg_score="45.5")
    body = client_for(world.leader).get(reverse("study:appstat_list") + "?year=2020").content.decode()
    assert "<svg" in body and "2020年学习强国全单位月度数据" in body and "45.5" in body
    assert "上传 Excel" not in body


def test_overview_chart_and_central_group_list(world, client_for):
    c = world.committee
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 6, 19), theme="意识形态专题学习", is_ideology=True)
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 3, 19), theme="三月学习")
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 3, 20), kind=K.PARTY_DAY, branch=world.branch)
    body = client_for(world.office).get(reverse("study:overview") + "?year=2020").content.decode()
    assert "<svg" in body and "2020年各月学习活动次数" in body
    assert "全年共 2 次" in body and "其中 1 次以“意识形态”为主题" in body
    assert body.index("三月学习") < body.index("意识形态专题学习")
    assert 'class="table-warning ideology"' in body
    assert "主题党日：2" not in body  # the stacked chart labels totals, not kinds
    assert "3月 主题党日：1" in body


@pytest.mark.parametrize("name", ["session", "appstat", "handout"])
def test_list_query_count_is_flat(world, client_for, django_assert_max_num_queries, name):
    c = client_for(world.office)
    factory = {"session": f.StudySessionFactory, "appstat": f.StudyAppStatFactory, "handout": f.MaterialHandoutFactory}[name]

    counter = iter(range(100))

    def add(n):
        for _ in range(n):
            i = next(counter)
            if name == "appstat":
                factory(committee=world.committee, month=datetime.date(2020, 1 + i % 12, 1), branch=[None, world.branch, world.other_branch][i // 12 % 3])
            elif name == "session":
                s = factory(committee=world.committee, kind=K.PARTY_DAY, branch=world.branch, headcount=None)
                s.attendees.set([person(world.office), person(world.leader)])
            else:
                factory(committee=world.committee)

    url = reverse(f"study:{name}_list") + "?year=2020"
    add(2)
    c.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few)):
        assert c.get(url).status_code == 200


def test_overview_query_count_is_flat(world, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(world.office)
    url = reverse("study:overview") + "?year=2020"
    f.StudySessionFactory(committee=world.committee)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for month in range(1, 13):
        s = f.StudySessionFactory(committee=world.committee, date=datetime.date(2020, month, 3), headcount=None)
        s.attendees.set([person(world.office), person(world.leader)])
        f.StudySessionFactory(committee=world.committee, date=datetime.date(2020, month, 4), kind=K.PARTY_DAY, branch=world.branch)
    with django_assert_max_num_queries(len(few)):
        body = c.get(url).content.decode()
    assert "全年共 13 次" in body
