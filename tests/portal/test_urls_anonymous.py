"""Every URL pattern of the portal sends an anonymous visitor to the login page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# session_extend answers the expiry warning's script: 401 JSON when the session is gone.
PUBLIC = {"login", "logout", "password_reset", "session_extend"}


def iter_patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns == "admin":
                continue
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def concrete_path(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "x", route)
    route = re.sub(r"<path:[^>]+>", "x/y", route)
    route = re.sub(r"<[^>]+>", "1", route)
    return "/" + route


ALL = sorted(set(iter_patterns()))


def test_url_walk_finds_the_portal():
    names = {name for name, _ in ALL}
    assert "dashboard" in names and "portal:person_list" in names


@pytest.mark.django_db
@pytest.mark.parametrize("name,route", ALL, ids=[n or r for n, r in ALL])
def test_anonymous_is_sent_to_login(client, name, route):
    if name in PUBLIC:
        return
    path = concrete_path(route)
    response = client.get(path)
    assert response.status_code == 302, (path, response.status_code)
    assert response["Location"].startswith("/login/"), response["Location"]
