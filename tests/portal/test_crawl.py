"""Walk the demo portal as office and as a branch secretary, following links
and trying odd query strings on each list: no page may answer 5xx."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

SKIP = ("/logout", "/admin", "/pdf", "download", "/files/", "/export", "/template")
ODD = ["?page=9999", "?page=abc", "?branch=abc", "?branch=99999", "?kind=zzz", "?q=%3Cscript%3E", "?figure=nope",
       "?figure=sessions_by_kind%3A%3Cx%3E"]


def crawl(client: Client, limit: int) -> tuple[set[str], list]:
    seen: set[str] = set()
    todo, failures = ["/?year=2020"], []
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if not any(part in href for part in SKIP) and href not in seen:
                    todo.append(href)
    return seen, failures


@pytest.mark.parametrize("username", ["office", "branch1"])
def test_no_page_of_the_demo_answers_5xx(username):
    call_command("seed_demo")
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    seen, failures = crawl(client, limit=150)
    assert len(seen) > 60
    lists = sorted({url.split("?")[0] for url in seen if url.split("?")[0].endswith("/") and url.count("/") == 3})
    for base in lists:
        for query in ODD:
            response = client.get(base + query)
            if response.status_code >= 500:
                failures.append((base + query, response.status_code))
    assert len(lists) >= 10
    assert failures == []


def test_no_page_of_the_demo_answers_5xx_to_the_province_viewing_it():
    """The province's office, switched to the demo bureau, reads it read-only: no 5xx
    and no page that offers a write it would refuse."""
    from portal.models import Committee

    call_command("seed_demo")
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="province"))
    assert client.post("/committee/", {"committee": Committee.objects.get(slug="demo").pk}).status_code == 302
    assert "正在以只读方式查看：××市水文水资源勘测局党委" in client.get("/").content.decode()
    seen, failures = crawl(client, limit=150)
    assert len(seen) > 40
    refused = [url for url in seen if client.get(url).status_code == 403]
    assert failures == [] and refused == []
