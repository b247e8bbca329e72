"""Record pages per role: who reads, who writes, what the outsider gets; bad input; query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responsibility.models import Assignment, MonthlyTask, TrendAnalysis, WorkDocument
from tests import factories as f

# (URL prefix, factory, roles that may create besides the office)
RECORDS = [
    ("assignment", f.AssignmentFactory, ()),
    ("document", f.WorkDocumentFactory, ()),
    ("meeting", f.CommitteeMeetingFactory, ()),
    ("task", f.MonthlyTaskFactory, ()),
    ("inspection", f.InspectionFactory, ()),
    ("talk", f.TalkFactory, ("leader",)),
    ("analysis", f.TrendAnalysisFactory, ("branch_secretary",)),
]


def u(name, *args):
    return reverse(f"responsibility:{name}", args=args)


def make(world, factory, **kwargs):
    if factory is f.TrendAnalysisFactory:
        kwargs.setdefault("branch", world.branch)
    return factory(committee=world.committee, **kwargs)


@pytest.mark.parametrize(("name", "factory", "creators"), RECORDS)
def test_every_role_on_every_record_page(world, client_for, name, factory, creators):
    obj = make(world, factory)
    for role in ("office", "leader", "branch_secretary"):
        c = client_for(getattr(world, role))
        assert c.get(u(f"{name}_list") + "?year=2020").status_code == 200
        assert c.get(u(f"{name}_detail", obj.pk)).status_code == 200
        may_create = role == "office" or role in creators
        assert c.get(u(f"{name}_create")).status_code == (200 if may_create else 403)
        if role == "leader":  # the leader is not the talker of this talk
            assert c.get(u(f"{name}_update", obj.pk)).status_code == 403
            assert c.post(u(f"{name}_delete", obj.pk)).status_code == 403
    outsider = client_for(world.outsider)
    for action in ("detail", "update", "delete"):
        assert outsider.get(u(f"{name}_{action}", obj.pk)).status_code == 404
    assert str(obj) not in outsider.get(u(f"{name}_list") + "?year=2020").content.decode()
    office = client_for(world.office)
    assert office.post(u(f"{name}_delete", obj.pk)).status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_branch_records_of_another_branch_are_404_for_a_secretary(world, client_for):
    sec = client_for(world.branch_secretary)
    analysis = f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch)
    task = f.MonthlyTaskFactory(committee=world.committee, branch=world.other_branch)
    inspection = f.InspectionFactory(committee=world.committee)
    inspection.branches.set([world.other_branch])
    wide = f.InspectionFactory(committee=world.committee)
    for name, obj in (("analysis", analysis), ("task", task), ("inspection", inspection)):
        assert sec.get(u(f"{name}_detail", obj.pk)).status_code == 404
        assert sec.get(u(f"{name}_update", obj.pk)).status_code == 404
    assert sec.get(u("inspection_detail", wide.pk)).status_code == 200
    own = f.TrendAnalysisFactory(committee=world.committee, branch=world.branch, quarter=2)
    assert sec.get(u("analysis_update", own.pk)).status_code == 200


# -- talks -----------------------------------------------------------------------------


@pytest.fixture
def talk(world):
    talker = f.PersonFactory(committee=world.committee, name="王委员", is_committee_member=True)
    return f.TalkFactory(committee=world.committee, talker=talker, summary="机密要点内容ABC")


def test_talk_summary_hidden_from_everyone_but_talker_secretary_office(world, client_for, talk):
    deputy = f.person_with_user(world.committee, "deputy", role="leader", is_committee_member=True)
    talker_user = f.UserFactory(username="talker")
    talk.talker.user = talker_user
    talk.talker.save()
    pages = [u("talk_list") + "?year=2020", u("talk_detail", talk.pk), u("talk_list") + "?year=2020&q=机密要点"]
    for user in (world.office, world.leader, talker_user):
        c = client_for(user)
        assert all("机密要点内容ABC" in c.get(p).content.decode() for p in pages[1:2])
        assert str(talk.talkee) in c.get(pages[2]).content.decode()  # found by summary text
    for user in (deputy, world.branch_secretary):
        c = client_for(user)
        for page in pages:
            assert "机密要点内容ABC" not in c.get(page).content.decode()
        # Searching by the summary text must not reveal which talk it is.
        assert str(talk.talkee) not in c.get(pages[2]).content.decode()
        assert str(talk.talkee) in c.get(u("talk_list") + f"?year=2020&q={talk.talkee.name}").content.decode()


def test_talks_visible_to_hides_summary_for_exports(world, talk):
    from portal.access import actor_for
    from responsibility.selectors import talks_visible_to

    assert talks_visible_to(actor_for(world.branch_secretary)).get(pk=talk.pk).visible_summary == ""
    assert talks_visible_to(actor_for(world.office)).get(pk=talk.pk).visible_summary == "机密要点内容ABC"


def test_leader_records_own_talks_only(world, client_for, talk):
    leader = world.leader.person
    c = client_for(world.leader)
    data = {"date": "2020-05-01", "talker": leader.pk, "talkee": world.office.person.pk, "kind": "谈心", "summary": "x"}
    assert c.post(u("talk_create"), data).status_code == 302
    own = leader.pk
    data["talker"] = talk.talker.pk
    response = c.post(u("talk_create"), data)
    assert response.status_code == 200 and "talker" in response.context["form"].errors
    from responsibility.models import Talk

    mine = Talk.objects.get(talker_id=own)
    assert c.get(u("talk_update", mine.pk)).status_code == 200
    assert c.get(u("talk_update", talk.pk)).status_code == 403


def test_talk_by_a_non_member_is_kept_but_not_counted_as_a_committee_talk(world, client_for):
    from responsibility.models import Talk
    from responsibility.selectors import committee_talks

    data = {"date": "2020-05-01", "talker": world.office.person.pk, "talkee": world.branch_secretary.person.pk, "kind": ""}
    assert client_for(world.office).post(u("talk_create"), data).status_code == 302
    talk = Talk.objects.get()
    assert not committee_talks(world.committee, 2020).filter(pk=talk.pk).exists()
    data["talker"] = world.leader.person.pk
    assert client_for(world.office).post(u("talk_create"), data).status_code == 302
    assert committee_talks(world.committee, 2020).count() == 1


# -- analyses --------------------------------------------------------------------------


def analysis_data(branch, quarter=1, **extra):
    data = {"branch": branch.pk, "year": 2020, "quarter": quarter, "date": "2020-04-05", "topic": "分析"}
    data.update(extra)
    return data


def test_duplicate_analysis_is_a_form_error(world, client_for):
    c = client_for(world.branch_secretary)
    assert c.post(u("analysis_create"), analysis_data(world.branch)).status_code == 302
    response = c.post(u("analysis_create"), analysis_data(world.branch))
    assert response.status_code == 200 and "不能重复录入" in response.content.decode()
    assert TrendAnalysis.objects.count() == 1


def test_secretary_cannot_enter_another_branchs_analysis(world, client_for):
    response = client_for(world.branch_secretary).post(u("analysis_create"), analysis_data(world.other_branch))
    assert response.status_code == 403 and TrendAnalysis.objects.count() == 0


def test_analysis_matrix_states(world, client_for, settings):
    on_time = f.TrendAnalysisFactory(committee=world.committee, branch=world.branch, quarter=1, date=datetime.date(2020, 4, 5))
    TrendAnalysis.objects.filter(pk=on_time.pk).update(created_at=datetime.datetime(2020, 4, 5, tzinfo=datetime.timezone.utc))
    late = f.TrendAnalysisFactory(committee=world.committee, branch=world.branch, quarter=2, date=datetime.date(2020, 7, 5))
    TrendAnalysis.objects.filter(pk=late.pk).update(created_at=datetime.datetime(2020, 8, 1, tzinfo=datetime.timezone.utc))
    html = client_for(world.office).get(u("analysis_matrix") + "?year=2020").content.decode()
    assert html.count('data-state="done"') == 1 and html.count('data-state="late"') == 1
    assert html.count('data-state="missing"') == 6  # 2 branches × 4 quarters, all past
    assert u("analysis_create") + f"?branch={world.other_branch.pk}&amp;year=2020&amp;quarter=3" in html
    sec_html = client_for(world.branch_secretary).get(u("analysis_matrix") + "?year=2020").content.decode()
    assert world.other_branch.name not in sec_html
    future = client_for(world.office).get(u("analysis_matrix") + "?year=2099").content.decode()
    assert future.count('data-state="pending"') == 8


# -- monthly tasks ---------------------------------------------------------------------


def test_tick_off_by_own_branch_secretary_records_date_and_who(world, client_for):
    task = f.MonthlyTaskFactory(committee=world.committee, branch=world.branch)
    c = client_for(world.branch_secretary)
    response = c.post(u("task_done", task.pk), follow=True)
    task.refresh_from_db()
    assert task.done_on is not None and task.done_by == world.branch_secretary
    assert "已销号" in response.content.decode()
    first = task.done_on
    c.post(u("task_done", task.pk))
    task.refresh_from_db()
    assert task.done_on == first


def test_tick_off_refused_for_other_branch_committee_task_and_leader(world, client_for):
    other = f.MonthlyTaskFactory(committee=world.committee, branch=world.other_branch)
    wide = f.MonthlyTaskFactory(committee=world.committee, branch=None)
    sec = client_for(world.branch_secretary)
    assert sec.post(u("task_done", other.pk)).status_code == 404
    assert sec.get(u("task_done", wide.pk)).status_code == 405
    assert sec.post(u("task_done", wide.pk)).status_code == 403
    assert client_for(world.leader).post(u("task_done", wide.pk)).status_code == 403
    client_for(world.outsider).post(u("task_done", wide.pk))
    assert MonthlyTask.objects.filter(done_on__isnull=False).count() == 0
    client_for(world.office).post(u("task_done", wide.pk))
    assert MonthlyTask.objects.get(pk=wide.pk).done_by == world.office


def test_month_page_groups_tasks_and_shows_overdue_on_dashboard(world, client_for):
    f.MonthlyTaskFactory(committee=world.committee, branch=None, task="全局任务甲")
    f.MonthlyTaskFactory(committee=world.committee, branch=world.branch, task="支部任务乙")
    f.MonthlyTaskFactory(committee=world.committee, branch=world.other_branch, task="支部任务丙")
    html = client_for(world.branch_secretary).get(u("task_month") + "?month=2020-06").content.decode()
    assert "全局任务甲" in html and "支部任务乙" in html and "支部任务丙" not in html
    assert "逾期未销号" in html
    assert html.count(">销号</button>") == 1  # only their own branch's task
    assert client_for(world.office).get(u("task_month") + "?month=2020-13").status_code == 404
    dashboard = client_for(world.office).get("/?year=2020").content.decode()
    assert "逾期未销号的月销单任务（3）" in dashboard


# -- uploads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("plan.exe", b"MZ...", "不支持的文件类型"),
        ("plan.pdf", b"not a pdf at all", "不是有效的 PDF"),
        ("plan.pdf", b"%PDF-1.4" + b"0" * 3000, "文件过大"),
    ],
)
def test_document_upload_is_checked(world, client_for, settings, name, content, error):
    settings.PORTAL_MAX_UPLOAD_BYTES = 2000
    data = {"date": "2020-03-01", "kind": "plan", "title": "方案", "file": SimpleUploadedFile(name, content)}
    response = client_for(world.office).post(u("document_create"), data)
    assert response.status_code == 200 and error in response.content.decode()
    assert WorkDocument.objects.count() == 0


def test_document_upload_accepted_and_downloadable(world, client_for):
    data = {"date": "2020-03-01", "kind": "plan", "title": "方案", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 ok")}
    client_for(world.office).post(u("document_create"), data)
    doc = WorkDocument.objects.get()
    url = reverse("file_download", args=["responsibility.workdocument", doc.pk, "file"])
    assert client_for(world.branch_secretary).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404


def test_duplicate_assignment_is_a_form_error(world, client_for):
    person = world.leader.person
    data = {"year": 2020, "person": person.pk, "kind": "first", "scope": ""}
    c = client_for(world.office)
    c.post(u("assignment_create"), data)
    response = c.post(u("assignment_create"), data)
    assert response.status_code == 200 and Assignment.objects.count() == 1


# -- query counts ----------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "factory", "creators"), RECORDS + [("letter", f.ResponsibilityLetterFactory, ())])
def test_list_query_count_is_flat(world, client_for, name, factory, creators):
    def add(n):
        for i in range(n):
            # One live letter per branch and year, one analysis per branch and quarter.
            kwargs = {"branch": f.BranchFactory(committee=world.committee)} if factory in (f.TrendAnalysisFactory, f.ResponsibilityLetterFactory) else {}
            obj = make(world, factory, **kwargs)
            if factory is f.InspectionFactory:
                obj.branches.set([world.branch, world.other_branch])

    c = client_for(world.office)
    url = u(f"{name}_list") + "?year=2020"
    add(2)
    few = _queries(c, url)
    add(12)
    assert _queries(c, url) == few


def test_month_matrix_and_dashboard_query_counts_are_flat(world, client_for):
    c = client_for(world.office)
    pages = [u("task_month") + "?month=2020-06", u("analysis_matrix") + "?year=2020", "/?year=2020"]

    def add(n):
        for _ in range(n):
            branch = f.BranchFactory(committee=world.committee)
            f.MonthlyTaskFactory(committee=world.committee, branch=branch, done_on=f.a_date(), done_by=world.office)
            f.MonthlyTaskFactory(committee=world.committee, branch=branch)
            f.TrendAnalysisFactory(committee=world.committee, branch=branch)
            f.TalkFactory(committee=world.committee, talker=world.leader.person)

    def counts():
        cache.clear()  # the dashboard's figures computed (portal.data_cache), then from the cache
        return [_queries(c, page) for page in pages] + [_queries(c, "/?year=2020")]

    add(1)
    c.get("/?year=2020")  # the first request of a session also picks the year
    few = counts()
    add(8)
    assert counts() == few
    assert few[-1] < few[-2]
