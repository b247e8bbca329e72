"""The month page of 党建任务月销单 (with 销号) and the quarterly analysis matrix."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import get_readable
from portal.rules import allowed, require
from portal.years import MAX_YEAR, MIN_YEAR, selected_year

from .. import selectors, services
from ..models import MonthlyTask


def _parse_month(value: str) -> datetime.date:
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404("月份无效") from None
    if not MIN_YEAR <= month.year <= MAX_YEAR:
        raise Http404("月份无效")
    return month


def _default_month(request: HttpRequest) -> datetime.date:
    today = timezone.localdate()
    year = selected_year(request)
    return today.replace(day=1) if year == today.year else datetime.date(year, 1, 1)


def _shift(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@login_required
def task_month(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    month = _parse_month(request.GET["month"]) if request.GET.get("month") else _default_month(request)
    groups = selectors.tasks_of_month(actor, month)
    today = timezone.localdate()
    for group in groups:
        for task in group["tasks"]:
            task.may_tick = allowed(actor, "responsibility.tick_off", task) and not task.done_on
            task.overdue = task.is_overdue(today)
    context = {
        "month": month,
        "groups": groups,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
        "may_create": allowed(actor, "responsibility.task.add"),
    }
    return render(request, "responsibility/task_month.html", context)


@login_required
@require_POST
def task_tick_off(request: HttpRequest, pk) -> HttpResponse:
    actor = request.actor
    task = get_readable(actor, MonthlyTask.objects.all(), pk)
    require(actor, "responsibility.tick_off", task, _("只有党委办公室或责任支部的支部书记可以销号。"))
    try:
        ticked = services.task_tick_off(actor=actor, task=task)
    except services.Refused as exc:
        messages.error(request, exc.message)
    else:
        if ticked:
            messages.success(request, _("已销号：%(task)s") % {"task": task.task})
        else:
            messages.info(request, _("该任务此前已销号。"))
    return redirect(f"{reverse('responsibility:task_month')}?month={task.month:%Y-%m}")


@login_required
def analysis_matrix(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    year = selected_year(request)
    rows = selectors.analysis_matrix(actor, year)
    context = {"year": year, "rows": rows, "may_create": allowed(actor, "responsibility.analysis.add"), "quarters": [1, 2, 3, 4]}
    return render(request, "responsibility/analysis_matrix.html", context)



