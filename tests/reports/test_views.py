import datetime

from django.urls import reverse

from reports import services
from reports.models import AnnualReport, ReportBuild

from .conftest import EXPECTED, page_text


def test_report_page_states_every_figure_and_links_to_its_records(year_data, client_for):
    response = client_for(year_data.leader).get(reverse("reports:detail", args=[2020]))
    assert response.status_code == 200
    html = response.content.decode()
    for sentence in EXPECTED:
        assert sentence in page_text(html), sentence
    assert 'lang="zh-CN"' in html
    meeting_list = reverse("responsibility:meeting_list")
    assert f'href="{meeting_list}?figure=ideology_meetings&amp;year=2020"' in html
    assert "<svg" in html and "style=" not in html.split("<main")[1]
    assert "保密的谈话要点" not in html  # talk summaries never reach the report


def test_year_without_records_builds_and_says_so(world, client_for):
    html = client_for(world.office).get(reverse("reports:detail", args=[2015])).content.decode()
    assert "未记录" in html and "0次" not in html


def test_bad_year_is_404(world, client_for):
    assert client_for(world.leader).get("/reports/1999/").status_code == 404


def test_roles(world, client_for):
    url = reverse("reports:detail", args=[2020])
    assert client_for(world.branch_secretary).get(url).status_code == 403  # no final report yet
    assert client_for(world.branch_secretary).get(reverse("reports:status", args=[2020])).status_code == 403
    assert client_for(world.branch_secretary).post(reverse("reports:build", args=[2020])).status_code == 403
    assert client_for(world.leader).get(reverse("reports:edit", args=[2020])).status_code == 403
    AnnualReport.objects.create(committee=world.committee, year=2020, status=AnnualReport.Status.FINAL)
    assert client_for(world.branch_secretary).get(url).status_code == 200


def test_office_edits_the_text_with_suggestions(year_data, client_for):
    office = client_for(year_data.office)
    url = reverse("reports:edit", args=[2020])
    page = office.get(url).content.decode()
    assert "js-insert-suggestion" in page and "第二党支部尚未签订2020年度意识形态工作责任书" in page
    assert not AnnualReport.objects.exists()  # opening the page writes nothing
    data = {"title": "", "intro": "2020年以来，测试开头。", "shortcomings": "主要是稿件不多。", "next_steps": "下一步继续。",
            "status": "draft"}
    assert office.post(url, data).status_code == 302
    html = office.get(reverse("reports:detail", args=[2020])).content.decode()
    assert "2020年以来，测试开头。" in html and "主要是稿件不多。" in html
    assert "甲局机关落实意识形态工作责任制情况报告" in html  # default title


def test_build_download_and_outsider(year_data, client_for, django_capture_on_commit_callbacks):
    leader = client_for(year_data.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(reverse("reports:build", args=[2020]), HTTP_ACCEPT="application/json")
    assert response.status_code == 202
    build = ReportBuild.objects.get()
    assert build.status == "done" and build.progress == 100 and len(build.pdf_sha256) == 64
    status = leader.get(reverse("reports:status", args=[2020])).json()
    assert status["status"] == "done" and status["pdf_url"]
    pdf = leader.get(status["pdf_url"])
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client_for(year_data.outsider).get(status["pdf_url"]).status_code == 404
    assert client_for(year_data.branch_secretary).get(status["pdf_url"]).status_code == 403
    dashboard = leader.get(reverse("dashboard") + "?year=2020").content.decode()
    assert "下载年度报告 PDF" in dashboard and status["pdf_url"] in dashboard


def test_second_request_joins_the_queued_build(world, client_for):
    leader = client_for(world.leader)
    first = leader.post(reverse("reports:build", args=[2020]), HTTP_ACCEPT="application/json").json()
    second = client_for(world.office).post(reverse("reports:build", args=[2020]), HTTP_ACCEPT="application/json").json()
    assert first["created"] is True and second["created"] is False
    assert first["build_id"] == second["build_id"] and ReportBuild.objects.count() == 1


def test_failed_build_keeps_the_last_good_pdf(year_data, monkeypatch):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    good = ReportBuild.objects.create(report=report)
    services.build_run(build_id=good.pk)
    good.refresh_from_db()
    good_bytes = good.pdf_file.read()

    def broken(html):
        raise RuntimeError("字体损坏")

    monkeypatch.setattr(services.renderers, "render_pdf_bytes", broken)
    from reports.tasks import build_report

    bad = ReportBuild.objects.create(report=report)
    build_report.apply(args=[bad.pk])
    bad.refresh_from_db()
    assert bad.status == "failed" and "字体损坏" in bad.error and not bad.pdf_file
    from reports.selectors import build_status, last_good_build

    assert last_good_build(report) == good
    good.refresh_from_db()
    with good.pdf_file.open("rb") as fh:
        assert fh.read() == good_bytes
    status = build_status(report, 2020)
    assert status["status"] == "failed" and "字体损坏" in status["error"] and status["good_build_id"] == good.pk


def test_unreachable_broker_keeps_the_build_queued_and_requeue_publishes_it(world, client_for, settings):
    from portal.celery import app

    def use_broker(url):
        app.conf.broker_url = url
        app._pool = None  # the connection and producer pools remember the old URL
        app.amqp._producer_pool = None

    app.conf.task_always_eager = False
    old = app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        report = services.report_for_year(committee=world.committee, year=2020)
        build, _ = services.build_request(report=report, user=world.leader)
        assert services.build_enqueue(build_id=build.pk) is False
    finally:
        use_broker(old)
        app.conf.task_always_eager = True
    build.refresh_from_db()
    assert build.status == "queued" and build.enqueued_at is None and "排队" in build.error
    page = client_for(world.leader).get(reverse("reports:detail", args=[2020])).content.decode()
    assert "后台任务服务暂时无法连接" in page
    ReportBuild.objects.filter(pk=build.pk).update(requested_at=build.requested_at - datetime.timedelta(minutes=1))
    from reports.tasks import requeue_stale_builds

    assert requeue_stale_builds.apply().get() == 1
    build.refresh_from_db()
    assert build.status == "done"
