from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors
from .registry import DASHBOARD_PANELS
from .years import selected_year


@login_required
def dashboard(request):
    actor = request.actor
    year = selected_year(request)
    panels = []
    for panel in DASHBOARD_PANELS:
        panels.extend(panel(request, actor, year))
    return render(
        request,
        "portal/dashboard.html",
        {"year": year, "counts": selectors.record_counts(actor, year), "panels": panels},
    )
