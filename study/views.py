"""Pages of the study app beyond the record pages: the year overview and the
学习强国 upload (preview first, then confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.charts import Series, bar_chart
from portal.rules import require
from portal.ledger.exporter import CONTENT_TYPE, ledger_sheet_export
from portal.ledger.importer import SheetCounts
from portal.ledger.uploads import upload_discard, upload_open, upload_store
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
    """Step 1 checks the file and shows what would change; step 2 writes it."""
    actor = request.actor
    require(actor, "study.upload_appstat")
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    posted = request.method == "POST"
    form = AppStatUploadForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"form": form, "result": None}
    if posted and form.is_valid():
        token = upload_store(request, form.cleaned_data["file"])
        with upload_open(request, token) as handle:
            result = services.appstat_upload(actor=actor, file=handle, dry_run=True)
        if not result.ok:
            upload_discard(request, token)
            token = ""
        context.update(_result_context(result), token=token)
    return render(request, "study/appstat_upload.html", context)


def _result_context(result) -> dict:
    counts = result.sheets[0] if result.sheets else SheetCounts(APPSTAT_SHEET)
    return {"result": result, "rows": result.rows.get(APPSTAT_SHEET, []), "counts": counts}


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


def _confirm(request):
    """Run the previewed file again, now writing; it was kept under its token."""
    actor = request.actor
    token = request.POST.get("token", "")
    handle = upload_open(request, token)
    if handle is None:
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("study:appstat_upload")
    with handle:
        result = services.appstat_upload(actor=actor, file=handle, dry_run=False)
    upload_discard(request, token)
    if not result.applied:  # the data changed since the preview; nothing was written
        context = {"form": AppStatUploadForm(), **_result_context(result), "token": ""}
        return render(request, "study/appstat_upload.html", context)
    counts = result.sheets[0]
    messages.success(
        request,
        _("已导入：新增 %(create)s 条，更新 %(update)s 条，不变 %(unchanged)s 条。")
        % {"create": counts.create, "update": counts.update, "unchanged": counts.unchanged},
    )
    return redirect("study:appstat_list")
