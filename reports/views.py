"""Report pages: list, the report of a year (HTML with evidence links), the
office's edit page, build requests, the status JSON the page polls, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.history import record_versions
from portal.rules import allowed, require
from portal.years import parse_year, selected_year
from responsibility.selectors import MEMBERSHIP_RULE

from . import renderers, selectors, services
from .compiler import default_intro, default_title
from .forms import ReopenForm, ReportForm
from .models import AnnualReport


def _year(year: int) -> int:
    return parse_year(year)  # 404 outside 2000–2100


def _builder(request, year: int, rule: str = "reports.build"):
    """The actor and year for build pages: office and leaders only (403 otherwise);
    reading a build (``reports.download``) also a superior committee's office and assessors."""
    year = _year(year)
    require(request.actor, rule, message=_("只有党委办公室和班子成员可以生成和下载年度报告。"))
    return request.actor, year


@login_required
def index(request):
    actor = request.actor
    require(actor, "reports.list", message=_("您没有权限查看年度报告。"))
    reports = [r for r in selectors.reports_of(actor.committee) if allowed(actor, "reports.view", r)]
    return render(request, "reports/index.html", {"reports": reports, "year": selected_year(request)})


@login_required
def detail(request, year: int):
    actor = request.actor
    year = _year(year)
    report = selectors.report_of_year(actor.committee, year)
    selectors.check_view(actor, report)
    page = selectors.report_page(actor.committee, year, report, request)
    return render(
        request,
        "reports/detail.html",
        {
            "r": page["context"],
            "body": renderers.render_page_body(page),
            "changes_html": renderers.render_page_changes(page, allowed(actor, "reports.reopen")),
            "freeze": page["freeze"],
            "changes": page["changes"],
            "altered": page["altered"],
            "membership_rule": MEMBERSHIP_RULE,
            "report": report,
            "year": year,
            "build": selectors.build_status(report, year) if selectors.may_download(actor) else None,
        },
    )


@login_required
def edit(request, year: int):
    actor = request.actor
    year = _year(year)
    require(actor, "reports.edit", message=_("只有党委办公室可以编辑年度报告。"))
    # Opening the page writes nothing: a new report is saved on the first POST.
    report = selectors.report_of_year(actor.committee, year) or AnnualReport(
        committee=actor.committee,
        year=year,
        title=default_title(actor.committee),
        intro=default_intro(actor.committee, year),
        created_by=request.user,
    )
    if report.is_final:
        messages.error(request, _("该年度报告已定稿，不能修改；如需修改，请先撤销定稿（须说明原因）。"))
        return redirect("reports:detail", year=year)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, data=form.cleaned_data, user=request.user)
        except services.ReportStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("年度报告已保存。"))
        return redirect("reports:detail", year=year)
    context = selectors.report_context(actor.committee, year, report)
    return render(
        request, "reports/edit.html", {"form": form, "report": report, "year": year, "suggestions": context["suggestions"]}
    )


@login_required
@require_POST
def finalise(request, year: int):
    actor, year = request.actor, _year(year)
    require(actor, "reports.finalise", message=_("只有党委办公室可以定稿年度报告。"))
    report = services.report_for_year(committee=actor.committee, year=year, user=request.user)
    try:
        services.report_finalise(report=report, user=request.user)
    except services.ReportStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("年度报告已定稿：此后生成的报告都使用定稿时的内容，不随记录变化。"))
    return redirect("reports:detail", year=year)


@login_required
def reopen(request, year: int):
    actor, year = request.actor, _year(year)
    require(actor, "reports.reopen", message=_("只有党委办公室可以撤销定稿。"))
    report = selectors.report_of_year(actor.committee, year)
    if report is None or not report.is_final:
        messages.info(request, _("该年度报告尚未定稿。"))
        return redirect("reports:detail", year=year)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_reopen(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except services.ReportStateError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("已撤销定稿，报告将按最新记录重新汇总。"))
            return redirect("reports:detail", year=year)
    context = {"form": form, "report": report, "year": year, "freeze": selectors.standing_freeze(report)}
    return render(request, "reports/reopen.html", context)


@login_required
@require_GET
def history(request, year: int):
    actor, year = request.actor, _year(year)
    report = selectors.report_of_year(actor.committee, year)
    require(actor, "reports.annualreport.history", report, _("只有党委办公室可以查看修改历史。"))
    if report is None:
        raise Http404
    context = {"report": report, "obj": report, "year": year, "versions": record_versions(report),
               "freezes": selectors.freezes_of(report)}
    return render(request, "reports/history.html", context)


@login_required
@require_POST
def build(request, year: int):
    actor, year = _builder(request, year)
    report = services.report_for_year(committee=actor.committee, year=year, user=request.user)
    build, created = services.build_request(report=report, user=request.user)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"created": created, **_job_status(report, year)}, status=202)
    messages.info(request, _("已开始生成年度报告。") if created else _("年度报告正在生成中，已加入当前任务。"))
    return redirect("reports:detail", year=year)


@login_required
@require_GET
def status(request, year: int):
    actor, year = _builder(request, year, "reports.download")
    return JsonResponse(_job_status(selectors.report_of_year(actor.committee, year), year))


def _job_status(report, year: int) -> dict:
    """The build status in the shape static/js/jobs.js polls (portal.jobs)."""
    status = selectors.build_status(report, year)
    return {**status, "download_url": status["pdf_url"]}


# The files of a build: its field and content type, by the extension in the URL.
DOWNLOADS = {
    "pdf": ("pdf_file", renderers.PDF_TYPE),
    "html": ("html_file", renderers.HTML_TYPE),
    "docx": ("docx_file", renderers.DOCX_TYPE),
    "xlsx": ("ledger_file", renderers.XLSX_TYPE),
}


@login_required
@require_GET
def download(request, pk: int, fmt: str):
    actor = request.actor
    build = selectors.build_for_download(actor, pk)
    if build is None or fmt not in DOWNLOADS:
        raise Http404
    require(actor, "reports.download", message=_("只有党委办公室和班子成员可以下载年度报告。"))
    field, content_type = DOWNLOADS[fmt]
    stored = getattr(build, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    report = build.report
    if fmt == "xlsx":
        filename = renderers.ledger_filename(report.committee, report.year)  # as the appendix names it
    else:
        filename = f"{report.year}年{report.title or '年度报告'}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
