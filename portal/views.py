from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors
from .middleware import COMMITTEE_SESSION_KEY
from .models import Committee
from .registry import DASHBOARD_PANELS
from .rules import require
from .years import SESSION_KEY as YEAR_SESSION_KEY
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


@login_required
@require_POST
def switch_committee(request):
    """A superuser looks at another committee (as its office) until they switch again."""
    require(request.actor, "portal.switch_committee")
    value = request.POST.get("committee", "")
    committee = Committee.objects.filter(pk=value).first() if value.isdigit() else None
    if committee is None:
        raise Http404
    request.session[COMMITTEE_SESSION_KEY] = committee.pk
    request.session.pop(YEAR_SESSION_KEY, None)  # the new committee's latest year with data
    messages.success(request, _("已切换到%(name)s。") % {"name": committee.name})
    return redirect("dashboard")
