"""Every counted figure of the demo report links to a list showing exactly
the records behind it (the office can check each number)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from portal.models import Committee
from reports.compiler import compile_report

pytestmark = pytest.mark.django_db


def listed_total(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    match = re.search(r"共\s*(\d+)\s*条", response.content.decode())
    assert match, f"no total on {url}"
    return int(match.group(1))


def test_each_figure_link_lists_exactly_its_records():
    call_command("seed_demo")
    committee = Committee.objects.get(slug="demo")
    figures = compile_report(committee, 2020)["figures"]
    office = Client()
    office.force_login(get_user_model().objects.get(username="office"))
    checked = []
    for key, figure in figures.items():
        if key == "app" or not figure["url"] or not figure["recorded"]:
            continue  # the 学习强国 figure is a rate, not a count of rows
        assert listed_total(office, figure["url"]) == figure["value"], (key, figure["url"])
        checked.append(key)
    assert {"meetings", "letters", "talks", "analyses", "central_group", "articles"} <= set(checked)
    assert any(key.startswith("bulletin_") for key in checked)
