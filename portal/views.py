from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications, selectors
from .access import committee_to_view
from .middleware import COMMITTEE_SESSION_KEY
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
    """View another committee until switching again: a superuser as its office,
    a superior committee's office or assessor read-only (portal.access)."""
    require(request.actor, "portal.switch_committee")
    committee = committee_to_view(request.actor, request.POST.get("committee", ""))
    request.session[COMMITTEE_SESSION_KEY] = committee.pk
    request.session.pop(YEAR_SESSION_KEY, None)  # the new committee's latest year with data
    messages.success(request, _("已切换到%(name)s。") % {"name": committee.name})
    # A page of that committee to land on (the assessment's evidence links); only our own paths.
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("dashboard")


# -- notifications: each person's own ------------------------------------------------

NOTIFICATIONS_PER_PAGE = 20


def _own_notification(request, pk):
    """One of the user's own notifications; anyone else's answers 404 (not even confirmed to exist)."""
    found = notifications.notifications_of(request.actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def notification_list(request):
    page = Paginator(notifications.notifications_of(request.actor), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark it read and go to the page it is about (which checks its own permissions)."""
    notification = _own_notification(request, pk)
    notifications.notification_read(actor=request.actor, notification=notification)
    return redirect(notifications.safe_link(notification) or "notifications")


@login_required
@require_POST
def notification_read(request, pk):
    notifications.notification_read(actor=request.actor, notification=_own_notification(request, pk))
    return redirect(_list_page(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications.notifications_read_all(actor=request.actor)
    if count:
        messages.success(request, _("已将%(n)s条通知标为已读。") % {"n": count})
    return redirect(_list_page(request))


def _list_page(request) -> str:
    page = request.POST.get("page", "")
    return reverse("notifications") + (f"?page={page}" if page.isdigit() else "")
