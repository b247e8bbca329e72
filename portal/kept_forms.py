"""Nothing typed is lost: a form posted after the session expired, or posted
too large, is kept server-side and offered again in the same form.

The posted fields are kept in the visitor's session under a one-time token,
for the user who typed them only: after an expiry that is the user of the
expired session, read from its row. The form page is then opened with
``?_restore=<token>``; the middleware takes the kept fields out of the session
and static/js/session.js fills them in. Nothing is ever submitted
automatically. Passwords, drawn signatures and files are never kept, and what
is kept is bounded (KEPT_MAX_BYTES per form, KEPT_MAX_FORMS per session).
"""

from __future__ import annotations

import re
import secrets
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "kept_forms"
TOKEN_PARAM = "_restore"
KEPT_MAX_BYTES = 200 * 1024
KEPT_MAX_FORMS = 3
NEVER_KEPT = re.compile(r"csrfmiddlewaretoken|password|signature", re.IGNORECASE)
UNREADABLE = ["*"]


def read_post(request: HttpRequest) -> list[str] | None:
    """Parse a POST body now. None when it is within Django's bounds; else the
    names of the fields dropped so the rest fits (a url-encoded form), or
    UNREADABLE when nothing of it can be read (a multipart body whose text
    fields are too large)."""
    try:
        request.POST  # noqa: B018 - Django parses lazily and raises here
        return None
    except RequestDataTooBig:
        pass
    if request.content_type != "application/x-www-form-urlencoded" or request._read_started:
        return UNREADABLE
    # Django refused before reading anything; the whole body is already bounded
    # by portal.limits (PORTAL_MAX_REQUEST_BYTES).
    text = request.read().decode(request.encoding or settings.DEFAULT_CHARSET, "replace")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    except ValueError:
        return UNREADABLE
    kept, dropped = _fit(pairs, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    post = QueryDict(mutable=True)
    for name, value in kept:
        post.appendlist(name, value)
    post._mutable = False
    request._post, request._files = post, MultiValueDict()
    return dropped


def _fit(pairs: list[tuple[str, str]], limit: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Drop the largest fields until the rest fits in ``limit`` bytes."""
    size = lambda pair: len(pair[0].encode()) + len(pair[1].encode())  # noqa: E731
    total = sum(map(size, pairs))
    dropped: list[str] = []
    for pair in sorted(pairs, key=size, reverse=True):
        if total <= limit:
            break
        total -= size(pair)
        dropped.append(pair[0])
    return [pair for pair in pairs if pair[0] not in dropped], dropped


def owner(request: HttpRequest) -> int | None:
    """Whose form this is: the user, or after an expiry the expired session's user."""
    if request.user.is_authenticated:
        return request.user.pk
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key or not isinstance(request.session, DatabaseSessionStore):
        return None
    row = request.session.get_model_class().objects.filter(session_key=key).first()
    if row is None:  # logged out (the row is deleted) or long gone
        return None
    user_id = request.session.decode(row.session_data).get("_auth_user_id")
    return int(user_id) if user_id else None


def keep(request: HttpRequest, user_id: int, dropped: list[str] = ()) -> str | None:
    """Keep the posted fields for ``user_id``; returns the one-time token, or
    None when nothing worth keeping was posted."""
    pairs = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if not NEVER_KEPT.search(name) and not value.startswith("data:")
    ]
    if not any(value.strip() for _name, value in pairs):
        return None
    pairs, too_big = _fit(pairs, KEPT_MAX_BYTES)
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    token = secrets.token_urlsafe(16)
    forms = dict(request.session.get(SESSION_KEY, {}))
    forms[token] = {
        "user": user_id,
        "action": request.path,
        "data": data,
        "dropped": sorted(set(dropped) | set(too_big)),
        "at": time.time(),
    }
    newest = sorted(forms.items(), key=lambda item: item[1]["at"])[-KEPT_MAX_FORMS:]
    request.session[SESSION_KEY] = dict(newest)
    return token


def take(request: HttpRequest, token: str) -> dict | None:
    """The kept form of this token, once, and only for the user who typed it."""
    forms = dict(request.session.get(SESSION_KEY, {}))
    entry = forms.pop(token, None)
    if entry is None:
        return None
    request.session[SESSION_KEY] = forms
    if entry["user"] != request.user.pk:
        return None
    return {"action": entry["action"], "data": entry["data"], "dropped": entry["dropped"]}


def form_page(request: HttpRequest, token: str | None = None) -> str:
    """Where the form was typed (the page that posted it, on this site), with
    the token that offers the kept fields again."""
    page = request.path
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        parts = urlsplit(referer)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
    if token is None:
        return page
    query = [(k, v) for k, v in parse_qsl(urlsplit(page).query, keep_blank_values=True) if k != TOKEN_PARAM]
    return urlsplit(page).path + "?" + urlencode([*query, (TOKEN_PARAM, token)])
