"""Every report PDF the portal issues is registered, stamped with its verification
code and QR code, sealed, and linked into its report's audit chain; the verify page
and ``verify_pdf`` say which build of which report it is and whether it is current."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal.models import IssuedDocument
from portal.seal.verify import verify_pdf_bytes
from reports import services
from reports.models import ReportBuild

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def run_build(report, user=None) -> ReportBuild:
    build = services.build_run(build_id=services.build_create(report=report, user=user).pk)
    assert build is not None and build.status == "done", build
    return build


def pdf_of(build: ReportBuild) -> bytes:
    with build.pdf_file.open("rb") as fh:
        return fh.read()


def test_each_build_is_sealed_and_says_whether_a_later_one_replaced_it(year_data):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    first = run_build(report, year_data.leader)
    pdf = pdf_of(first)
    document = first.issued
    assert (document.kind, document.object_id, document.sha256) == ("reports.build", str(first.pk), first.pdf_sha256)
    assert f"校验码{document.display_code}" in pdf_text(pdf)  # printed in the file, with its QR code
    verdict = verify_pdf_bytes(pdf)
    assert verdict.accepted and verdict.current, verdict.reason
    assert verdict.description.title == "甲局党委2020年度意识形态工作责任制落实情况报告（第1次生成，草稿）"
    assert "申请人：leader" in verdict.description.details

    second = run_build(report)
    assert second.number == 2
    old = verify_pdf_bytes(pdf)
    assert old.accepted and not old.current and "已被第2次生成的报告" in old.line()
    assert verify_pdf_bytes(pdf_of(second)).current
    call_command("audit_chain", chain=["reports.report_builds"], verbosity=0)


def test_a_final_build_says_so_and_stops_being_current_once_reopened(year_data):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    services.report_finalise(report=report, user=year_data.office)
    pdf = pdf_of(run_build(report))
    verdict = verify_pdf_bytes(pdf)
    assert verdict.current and verdict.description.title.endswith("（第1次生成，定稿）")
    assert any(d.startswith("定稿时间：") for d in verdict.description.details)
    services.report_reopen(report=report, user=year_data.office, reason="补录遗漏的会议")
    reopened = verify_pdf_bytes(pdf)
    assert reopened.accepted and not reopened.current and "撤销定稿（原因：补录遗漏的会议）" in reopened.line()


def test_the_command_builds_through_the_same_path_and_verify_pdf_accepts_it(year_data, tmp_path):
    out = tmp_path / "r.pdf"
    log = io.StringIO()
    call_command("build_report", committee="alpha", year=2020, format="pdf", out=str(out), stdout=log)
    build = ReportBuild.objects.get()
    assert build.status == "done" and out.read_bytes() == pdf_of(build)
    assert build.issued.display_code in log.getvalue()
    said = io.StringIO()
    call_command("verify_pdf", str(out), stdout=said)
    assert said.getvalue().startswith("真实有效：甲局党委2020年度意识形态工作责任制落实情况报告（第1次生成，草稿）")
    assert "系统（命令行）" == build.issued.issued_by


def test_a_build_edited_in_the_database_breaks_its_chain_and_a_failed_one_is_no_link(year_data, monkeypatch):
    report = services.report_for_year(committee=year_data.committee, year=2020)
    done = run_build(report)

    def broken(html):
        raise RuntimeError("字体损坏")

    monkeypatch.setattr(services.renderers, "render_pdf_bytes", broken)
    with pytest.raises(RuntimeError):
        services.build_run(build_id=services.build_create(report=report).pk)
    assert IssuedDocument.objects.count() == 1  # nothing registered for the failed build
    call_command("audit_chain", verbosity=0)
    ReportBuild.objects.filter(pk=done.pk).update(pdf_sha256="0" * 64)
    with pytest.raises(CommandError, match=r"年度报告生成.*ReportBuild #%d" % done.pk):
        call_command("audit_chain", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_final_report_and_its_sealed_pdf_survive_a_backup_and_restore(tmp_path, settings):
    from portal.models import Committee
    from reports.models import AnnualReport
    from reports.selectors import report_context

    call_command("seed_demo", verbosity=0)
    demo = Committee.objects.get(slug="demo")
    report = AnnualReport.objects.get(committee=demo, year=2020)
    pdf = pdf_of(run_build(report))
    before = report_context(demo, 2020, report)
    archive = tmp_path / "backup.zip"
    call_command("backup", out=str(archive))
    call_command("flush", interactive=False, verbosity=0)
    settings.SEAL_DIR, settings.MEDIA_ROOT = tmp_path / "new-seal", tmp_path / "new-media"
    call_command("restore", str(archive))
    call_command("audit_chain", verbosity=0)  # the freeze and the build, as they were
    report = AnnualReport.objects.get(committee__slug="demo", year=2020)
    assert report_context(report.committee, 2020, report) == before
    verdict = verify_pdf_bytes(pdf)
    assert verdict.accepted and verdict.current and verdict.description.title.endswith("（第1次生成，定稿）")
