from django.urls import NoReverseMatch, reverse

from .access import NoCommittee, viewable_committees
from .notifications import unread_count
from .registry import NAV_AREAS
from .rules import allowed
from .years import selected_year, year_choices


def portal(request):
    """Navigation context: the actor and the selected year, when there is one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated or not hasattr(request, "actor"):
        return {}
    try:
        actor = request.actor
        actor.committee  # noqa: B018 - forces the lazy actor
    except NoCommittee:
        return {}
    try:
        year = selected_year(request)
    except Exception:  # a bad ?year= is answered by the view with 404
        year = None
    return {
        "actor": actor,
        "current_year": year,
        "year_choices": year_choices(year) if year else [],
        "nav_areas": nav_areas(actor),
        "committees": committees_to_switch(actor),
        "unread_notifications": unread_count(actor),
    }


def committees_to_switch(actor) -> list:
    """The committees the actor may switch to, their own first (none: no menu)."""
    if not allowed(actor, "portal.switch_committee"):
        return []
    committees = viewable_committees(actor).only("id", "name", "short_name")
    return sorted(committees, key=lambda c: c.pk != actor.home.pk)  # a stable sort keeps the id order


def nav_areas(actor) -> list[dict]:
    """The menu of one actor: areas and links they may not open are left out."""
    areas = []
    for area in sorted(NAV_AREAS.values(), key=lambda a: a.order):
        if area.rule is not None and not allowed(actor, area.rule):
            continue
        links = []
        for label, url_name, *rule in area.links:
            if rule and not allowed(actor, rule[0]):
                continue
            try:
                links.append((label, reverse(url_name)))
            except NoReverseMatch:  # an area whose page is not built yet
                continue
        if links:
            areas.append({"label": area.label, "links": links})
    return areas
