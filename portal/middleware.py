from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from .access import NoCommittee, actor_for

COMMITTEE_SESSION_KEY = "portal_committee"  # the committee a superuser picked


class ActorMiddleware:
    """Puts ``request.actor`` on every request and answers users without a committee.

    An authenticated user who is not linked to a person of a committee gets a
    page telling them to ask the administrator instead of a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user, request.session.get(COMMITTEE_SESSION_KEY)))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoCommittee):
            return render(request, "portal/no_committee.html", status=403)
        return None
