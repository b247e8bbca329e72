"""A final report (定稿) never drifts: its builds say what it said when it was made
final, whatever happens to the committee and the records later; the page counts
the records changed since; reopening needs a reason, kept in the history."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.access import actor_for
from portal.models import Branch, Committee, Person
from portal.services import record_trash
from publicity.models import Activity, Article
from reports import renderers, services
from reports.compiler import compile_report
from reports.frozen import decode, encode
from reports.models import AnnualReport, ReportBuild, ReportFreeze
from reports.selectors import report_page
from responsibility.models import CommitteeMeeting, Talk

from .conftest import page_text, pdf_text, squash

pytestmark = pytest.mark.django_db

DEMO_SENTENCES = {
    "meetings": "党委专题研究了2次意识形态工作",
    "talks": "局党委班子成员共开展了81次交心谈心",
    "letters": "3个党支部签订了意识形态工作责任书",
    "analyses": "思想动态分析应开展12次，实际开展12次",
    "articles": "在省部级及以上媒体上发布9篇文章",
}
AFTER_EDITS = {
    "meetings": "党委专题研究了1次意识形态工作",
    "talks": "局党委班子成员共开展了79次交心谈心",
    "letters": "3个党支部签订了意识形态工作责任书",  # the merged branch still counts in 2020
    "analyses": "思想动态分析应开展12次，实际开展12次",
    "articles": "在省部级及以上媒体上发布8篇文章",
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return Committee.objects.get(slug="demo")


def office_user():
    return get_user_model().objects.get(username="office")


def build(report: AnnualReport) -> ReportBuild:
    """A build through the real path (the worker's), returned once done."""
    done = services.build_run(build_id=ReportBuild.objects.create(report=report).pk)
    assert done is not None and done.status == "done", done and done.error
    return done


def built_text(report_build: ReportBuild) -> str:
    with report_build.html_file.open("rb") as fh:
        return squash(fh.read().decode("utf-8"))


def built_pdf(report_build: ReportBuild) -> bytes:
    with report_build.pdf_file.open("rb") as fh:
        return fh.read()


def reshuffle(committee) -> None:
    """Years later: 陈明 left the committee and the bureau, 赵敏 (who talked with staff in
    2020 as office head) joined it, 基层测站党支部 was merged into 机关第二党支部, and
    机关第一党支部 has a new secretary."""
    office = actor_for(office_user())
    people = {p.name: p for p in Person.objects.filter(committee=committee)}
    people["陈明"].is_committee_member = False
    people["陈明"].save()
    record_trash(actor=office, record=people["陈明"])
    people["赵敏"].is_committee_member = True
    people["赵敏"].save()
    station, second, first = (Branch.objects.get(committee=committee, name=n)
                              for n in ("基层测站党支部", "机关第二党支部", "机关第一党支部"))
    Person.objects.filter(committee=committee, branch=station).update(branch=second)
    record_trash(actor=office, record=station)
    first.secretary = people["郑华"]
    first.save()


def edit_2020_records(committee) -> None:
    """A late correction, two talks deleted, an article deleted, an activity added."""
    office = actor_for(office_user())
    meeting = CommitteeMeeting.objects.filter(committee=committee, date__year=2020, is_ideology=True).first()
    meeting.is_ideology = False
    meeting.save()
    for talk in Talk.objects.filter(committee=committee, date__year=2020, talker__name="张建国")[:2]:
        record_trash(actor=office, record=talk)
    article = Article.objects.filter(committee=committee, date__year=2020, level="provincial").first()
    article.delete()  # purged, not only trashed
    Activity.objects.create(committee=committee, date=datetime.date(2020, 11, 1), kind="volunteer", title="补录的志愿服务")


def test_a_final_report_never_drifts_and_follows_the_data_once_reopened(demo, client_for):
    report = AnnualReport.objects.get(committee=demo, year=2020)
    assert report.is_final and report.freezes.get().stands  # the demo's office made it final
    first = build(report)
    assert first.freeze is not None and first.report_status == "final"
    text = built_text(first)
    assert all(s in text for s in DEMO_SENTENCES.values())

    reshuffle(demo)
    edit_2020_records(demo)

    again = build(report)
    assert built_text(again) == text  # word for word, the figures and the narrative
    assert all(s in pdf_text(built_pdf(again)) for s in DEMO_SENTENCES.values())
    office = client_for(office_user())
    html = office.get(reverse("reports:detail", args=[2020])).content.decode()
    page = page_text(html)
    assert all(s in page for s in DEMO_SENTENCES.values())
    assert "报告所依据的记录中有7条发生了变化（新增1条、修改2条、删除4条）" in page
    added = Activity.objects.get(title="补录的志愿服务")
    assert f'<a href="{reverse("publicity:activity_history", args=[added.pk])}">补录的志愿服务</a>［新增］' in html
    assert "基层测站党支部［删除］" in page and "［删除］" in page.split("宣传稿件：")[1]  # the purged article, by id
    leader = page_text(client_for(get_user_model().objects.get(username="leader")).get(
        reverse("reports:detail", args=[2020])).content.decode())
    assert "有7条发生了变化" in leader and "［新增］" not in leader  # the names link to history: office only
    changes = report_page(demo, 2020, report)["changes"]
    assert {t["label"]: (t["added"], t["edited"], t["deleted"]) for t in changes["by_type"]} == {
        "活动": (1, 0, 0),
        "党委会议": (0, 1, 0),
        "党支部": (0, 1, 1),  # a new secretary; the merged branch
        "谈心谈话": (0, 0, 2),
        "宣传稿件": (0, 0, 1),
    }

    assert office.post(reverse("reports:reopen", args=[2020]), {"reason": "  "}).status_code == 200  # the form again
    report.refresh_from_db()
    assert report.is_final
    response = office.post(reverse("reports:reopen", args=[2020]), {"reason": "补录2020年遗漏的志愿服务活动并更正会议性质"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "draft" and report.freezes.get().reopen_reason == "补录2020年遗漏的志愿服务活动并更正会议性质"
    history = page_text(office.get(reverse("reports:history", args=[2020])).content.decode())
    assert "撤销定稿：补录2020年遗漏的志愿服务活动并更正会议性质" in history

    followed = built_text(build(report))
    assert all(s in followed for s in AFTER_EDITS.values()), [s for s in AFTER_EDITS.values() if s not in followed]
    assert "补录的志愿服务" in followed and again.freeze_id == first.freeze_id


def test_only_the_office_finalises_and_reopens_and_a_final_text_cannot_be_edited(year_data, client_for):
    url = reverse("reports:finalise", args=[2020])
    for user in (year_data.leader, year_data.branch_secretary):
        assert client_for(user).post(url).status_code == 403
    client_for(year_data.outsider).post(url)  # another committee's office: their own report
    assert not ReportFreeze.objects.filter(report__committee=year_data.committee).exists()
    office = client_for(year_data.office)
    assert office.post(url).status_code == 302
    report = AnnualReport.objects.get(committee=year_data.committee, year=2020)
    assert report.is_final and report.freezes.count() == 1
    assert office.post(url).status_code == 302 and report.freezes.count() == 1  # already final: nothing new
    edit = office.post(reverse("reports:edit", args=[2020]), {"title": "改过的标题", "intro": "改过"})
    assert edit.status_code == 302
    report.refresh_from_db()
    assert report.title != "改过的标题"
    with pytest.raises(services.ReportStateError):
        services.report_update(report=report, data={"intro": "改过"})
    reopen = reverse("reports:reopen", args=[2020])
    for user in (year_data.leader, year_data.branch_secretary):
        assert client_for(user).post(reopen, {"reason": "想改"}).status_code == 403
    assert client_for(year_data.leader).get(reverse("reports:history", args=[2020])).status_code == 403
    theirs = client_for(year_data.outsider).get(reverse("reports:history", args=[2020])).content.decode()
    assert "甲局" not in theirs  # their own committee's report, never this one
    report.refresh_from_db()
    assert report.is_final


def test_the_frozen_content_renders_the_same_document(year_data):
    context = compile_report(year_data.committee, 2020)
    assert renderers.render_html_document(decode(encode(context))) == renderers.render_html_document(context)


def test_frozen_content_changed_in_the_database_is_refused(year_data, client_for):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    freeze = services.report_finalise(report=report, user=year_data.office)
    call_command("audit_chain", verbosity=0)
    content = freeze.content
    content["figures"]["meetings"]["sentence"] = "党委专题研究了20次意识形态工作"
    ReportFreeze.objects.filter(pk=freeze.pk).update(content=content)
    with pytest.raises(CommandError, match="年度报告定稿"):
        call_command("audit_chain", verbosity=0)
    failed = services.build_run(build_id=ReportBuild.objects.create(report=report).pk)
    assert failed is None
    bad = ReportBuild.objects.get(report=report)
    assert bad.status == "failed" and "定稿内容" in bad.error
    page = page_text(client_for(year_data.office).get(reverse("reports:detail", args=[2020])).content.decode())
    assert "定稿内容校验失败" in page and "20次" not in page


def test_the_admin_neither_edits_a_final_report_nor_reverts_any_report(year_data, client_for, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests import factories as f

    root = client_for(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    report = services.report_for_year(committee=year_data.committee, year=2020)
    services.report_update(report=report, data={"intro": "初稿"})
    services.report_finalise(report=report, user=year_data.office)
    data = {"committee": year_data.committee.pk, "year": 2020, "title": "改过", "intro": "改过"}
    assert root.post(reverse("admin:reports_annualreport_change", args=[report.pk]), data).status_code == 403
    for version in report.history.order_by("history_id"):
        url = reverse("admin:reports_annualreport_simple_history", args=[report.pk, version.history_id])
        assert root.post(url, data).status_code == 403
    report.refresh_from_db()
    assert report.is_final and report.intro == "初稿" and report.freezes.get().stands
