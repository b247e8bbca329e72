"""Sessions end after SESSION_COOKIE_AGE seconds without a request.

Renewing the session on every request (SESSION_SAVE_EVERY_REQUEST) cost one
UPDATE and commit per page view — a write on every read, and under load a
round trip and a WAL flush on each. A session is instead renewed by the first
request once SESSION_RENEW_SECONDS have passed since its last renewal (or
whenever it changes anyway), so it expires between AGE - RENEW and AGE
seconds after the last request. Pages tell the expiry warning the lower
bound, so the warning never comes late.
"""

from __future__ import annotations

import time

from django.conf import settings

RENEWED_KEY = "_portal_renewed"


def renew_interval() -> int:
    """At most a tenth of the session's age, so a short session still renews in time."""
    return min(settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE // 10)


def guaranteed_age() -> int:
    """Seconds a session surely lasts after any request."""
    return settings.SESSION_COOKIE_AGE - renew_interval()


def renew(session) -> None:
    """Save the session with a fresh expiry at the end of this request."""
    session[RENEWED_KEY] = int(time.time())


class SessionRenewalMiddleware:
    """Renews a session that has one, at most once per renew_interval()
    (SessionMiddleware saves it, as it saves any modified session). Sits after
    SessionMiddleware, so it runs first on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        renewed = session.get(RENEWED_KEY, 0)
        if session.is_empty():  # a stale cookie: nothing to renew, and no session to create
            return response
        if session.modified or time.time() - renewed >= renew_interval():
            renew(session)
        return response
