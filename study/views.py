"""Pages of the study app beyond the record pages: the year overview and the
学习强国 upload (preview first, then confirm)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.charts import Series, bar_chart
from portal.rules import require
from portal.years import selected_year

from . import appstat_upload, selectors, services
from .forms import AppStatUploadForm
from .models import StudySession

UPLOAD_SESSION_KEY = "study_appstat_upload"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    """Step 1 reads the file and shows what would change; step 2 writes it."""
    actor = request.actor
    require(actor, "study.upload_appstat")
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    posted = request.method == "POST"
    form = AppStatUploadForm(request.POST if posted else None, request.FILES if posted else None)
    context = {"form": form, "plan": None, "rejected": None}
    if posted and form.is_valid():
        try:
            plan = appstat_upload.parse_appstat_workbook(committee=actor.committee, data=form.cleaned_data["file"])
        except appstat_upload.UploadRejected as exc:
            context["rejected"] = str(exc)
        else:
            context["plan"] = plan
            if plan.valid:
                token = secrets.token_urlsafe(16)
                request.session[UPLOAD_SESSION_KEY] = {
                    "token": token,
                    "committee": actor.committee.pk,
                    "rows": [row.as_session() for row in plan.rows],
                }
                context["token"] = token
    return render(request, "study/appstat_upload.html", context)


@login_required
def appstat_export_view(request):
    """The selected year's figures as an xlsx that can be edited and uploaded again."""
    year = selected_year(request)
    stats = selectors.appstats_visible_to(request.actor).filter(month__year=year).select_related("branch")
    data = appstat_upload.export_workbook(stats.order_by("month", F("branch__name").asc(nulls_first=True)))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="xuexiqiangguo-{year}.xlsx"'
    return response


def _confirm(request):
    actor = request.actor
    pending = request.session.get(UPLOAD_SESSION_KEY)
    if (
        not pending
        or pending.get("committee") != actor.committee.pk
        or not secrets.compare_digest(str(pending.get("token")), request.POST.get("token", ""))
    ):
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("study:appstat_upload")
    plan = appstat_upload.plan_from_session(committee=actor.committee, items=pending["rows"])
    if not plan.valid:
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("study:appstat_upload")
    try:
        counts = services.appstat_upload_apply(actor=actor, plan=plan)
    except IntegrityError:  # someone added the same month meanwhile; nothing was written
        messages.error(request, _("数据已被他人同时修改，未写入任何数据，请重新上传。"))
        return redirect("study:appstat_upload")
    del request.session[UPLOAD_SESSION_KEY]
    messages.success(
        request,
        _("已导入：新增 %(create)s 条，更新 %(update)s 条，不变 %(unchanged)s 条。") % counts,
    )
    return redirect("study:appstat_list")
