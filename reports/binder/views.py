"""The binder page: build button, progress (polled like the report build), download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.rules import require
from portal.years import parse_year

from . import selectors, services

REFUSED = gettext_lazy("只有党委办公室、班子成员和上级考核人员可以生成和下载佐证材料包。")


def _reader(request, year) -> tuple:
    year = parse_year(year)  # 404 outside 2000–2100
    require(request.actor, "binder.build", message=REFUSED)
    return request.actor, year


@login_required
@require_GET
def binder(request, year: int):
    actor, year = _reader(request, year)
    status = selectors.binder_status(actor.committee, year)
    return render(request, "reports/binder.html", {"year": year, "binder": status, "committee": actor.committee})


@login_required
@require_POST
def binder_build(request, year: int):
    actor, year = _reader(request, year)
    _build, created = services.binder_request(committee=actor.committee, year=year, user=request.user)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"created": created, **selectors.binder_status(actor.committee, year)}, status=202)
    messages.info(request, _("已开始生成佐证材料包。") if created else _("佐证材料包正在生成中，已加入当前任务。"))
    return redirect("reports:binder", year=year)


@login_required
@require_GET
def binder_status(request, year: int):
    actor, year = _reader(request, year)
    return JsonResponse(selectors.binder_status(actor.committee, year))


@login_required
@require_GET
def binder_download(request, pk: int):
    actor = request.actor
    build = selectors.binder_for_download(actor, pk)
    if build is None or not build.file:
        raise Http404
    require(actor, "binder.download", message=REFUSED)
    try:
        handle = build.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = _("%(committee)s%(year)s年度佐证材料.zip") % {"committee": build.committee.name, "year": build.year}
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")
