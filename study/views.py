"""Pages of the study app beyond the record pages: the year overview and the
学习强国 upload (a background preview first, then the confirmed write; each
job's page shows its progress, then its result)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.charts import Series, bar_chart
from portal.ledger.exporter import CONTENT_TYPE, ledger_sheet_export
from portal.ledger.views import confirm_job, job_of, job_status
from portal.models import ImportJob
from portal.rules import require
from portal.years import selected_year

from . import selectors, services
from .forms import AppStatUploadForm
from .ledger import APPSTAT_SHEET
from .models import StudySession


@login_required
def overview(request):
    actor = request.actor
    year = selected_year(request)
    qs = selectors.sessions_visible_to(actor)
    by_month = selectors.session_counts_by_month_and_kind(qs, year)
    by_kind = selectors.session_counts_by_kind(qs, year)
    labels = dict(StudySession.Kind.choices)
    present = [kind for kind in StudySession.Kind.values if by_kind[kind]]
    chart = bar_chart(
        [f"{m}月" for m in selectors.MONTHS],
        [Series(str(labels[kind]), by_month[kind]) for kind in present] or [Series(_("学习活动"), [0] * 12)],
        title=_("%(year)s年各月学习活动次数（按类别）") % {"year": year},
        stacked=True,
        width=760,
        height=300,
    )
    # The report's central-group figures, as far as the actor may see them.
    central = qs.filter(pk__in=selectors.central_group_sessions(actor.committee, year).values("pk"))
    themed = qs.filter(pk__in=selectors.central_group_ideology_sessions(actor.committee, year).values("pk"))
    context = {
        "year": year,
        "chart": chart,
        "kind_counts": [(labels[kind], kind, by_kind[kind]) for kind in StudySession.Kind.values],
        "total": sum(by_kind.values()),
        "central": central.select_related("host").prefetch_related("attendees").order_by("date", "id"),
        "central_ideology": themed.count(),
    }
    return render(request, "study/overview.html", context)


@login_required
def appstat_upload_view(request):
    """The file is kept and checked in the background; its job's page follows."""
    actor = request.actor
    require(actor, "study.upload_appstat")
    posted = request.method == "POST"
    form = AppStatUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        job = services.appstat_upload(actor=actor, upload=form.cleaned_data["file"])
        return redirect("study:appstat_upload_job", job.pk)
    return render(request, "study/appstat_upload.html", {"form": form})


def _appstat_job(request, pk) -> ImportJob:
    require(request.actor, "study.upload_appstat")
    return job_of(request, pk, sheet=APPSTAT_SHEET)


@login_required
@require_GET
def appstat_upload_job(request, pk):
    """Progress, then the preview (or why nothing was written); a confirmed
    write lands on the list of the year it imported."""
    job = _appstat_job(request, pk)
    result = job.result
    counts = (result.get("sheets") or [{"create": 0, "update": 0, "unchanged": 0}])[0]
    if job.status == ImportJob.Status.DONE and result.get("applied"):
        messages.success(
            request,
            _("已导入：新增 %(create)s 条，更新 %(update)s 条，不变 %(unchanged)s 条。")
            % {"create": counts["create"], "update": counts["update"], "unchanged": counts["unchanged"]},
        )
        return redirect(f"{reverse('study:appstat_list')}?year={result['year']}")
    context = {"job": job, "result": result, "counts": counts, "form": AppStatUploadForm()}
    return render(request, "study/appstat_upload_job.html", context)


@login_required
@require_GET
def appstat_upload_status(request, pk):
    job = _appstat_job(request, pk)
    return job_status(job, page_url=reverse("study:appstat_upload_job", args=[job.pk]))


@login_required
@require_POST
def appstat_upload_confirm(request, pk):
    return confirm_job(request, _appstat_job(request, pk), "study:appstat_upload_job", confirm=services.appstat_confirm)


@login_required
def appstat_export_view(request):
    """The selected year's figures as the ledger's 学习强国 sheet, to edit and upload again."""
    year = selected_year(request)
    stats = selectors.appstats_visible_to(request.actor).filter(month__year=year).select_related("branch")
    data = ledger_sheet_export(
        sheet=APPSTAT_SHEET,
        committee=request.actor.committee,
        objects=stats.order_by("month", F("branch__name").asc(nulls_first=True)),
    )
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="xuexiqiangguo-{year}.xlsx"'
    return response
