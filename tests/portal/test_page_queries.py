"""A page costs the same number of queries at the demo's volume of records and
at ten times it (reports.volume: many-to-many rows included): the dashboard
(its figures computed, then from the cache), every list, the detail page of a
record of each type, and the HTML report page (compiled, then from the cache),
for the office and for a branch secretary."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from portal.models import Branch
from portal.registry import RECORD_TYPES
from reports.volume import seed_volume
from tests import factories as f
from tests.reports.conftest import rolled_back

YEAR = 2020
ROLES = ("office", "branch_secretary")
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def volumes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two committees, 1x and 10x, each with an office user and a branch secretary."""
    with rolled_back(django_db_blocker, tmp_path_factory, "page-volumes"):
        made = {}
        for factor in (1, 10):
            committee = seed_volume(f"pages-{factor}", factor, YEAR)
            branch = Branch.objects.filter(committee=committee).order_by("id").first()
            made[factor] = {
                "committee": committee,
                "users": {role: f.person_with_user(committee, f"{role}-{factor}", role=role, branch=branch)
                          for role in ROLES},
            }
        yield made


def detail_paths(committee) -> dict[str, str]:
    """The detail page of the first record of the year of each type with pages."""
    paths = {}
    for rt in RECORD_TYPES.values():
        try:
            rt.url("detail", 1)
        except NoReverseMatch:
            continue
        first = rt.in_year(rt.model.objects.filter(committee=committee), YEAR).order_by("pk").first()
        if first is not None:
            paths[rt.key] = rt.url("detail", first.pk)
    return paths


def list_paths() -> dict[str, str]:
    paths = {}
    for rt in RECORD_TYPES.values():
        try:
            paths[rt.key] = reverse(rt.list_url) + f"?year={YEAR}" if rt.list_url else None
        except NoReverseMatch:
            continue
    return {key: path for key, path in paths.items() if path}


def queries(client, path: str, warm: bool = True) -> int:
    """The queries of a request; after one request to the same page when ``warm`` (the
    process's own caches, e.g. content types, are filled once whatever the volume)."""
    if warm:
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


def page_queries(volume, role: str) -> dict[str, int]:
    client = Client()
    client.force_login(volume["users"][role], backend="django.contrib.auth.backends.ModelBackend")
    client.get(f"/?year={YEAR}")  # the session's first request picks the year
    counts = {}
    for name, path in [("dashboard", f"/?year={YEAR}")] + ([("report", reverse("reports:detail", args=[YEAR]))]
                                                         if role == "office" else []):
        client.get(path)
        cache.clear()
        counts[f"{name} (computed)"] = queries(client, path, warm=False)
        counts[f"{name} (cached)"] = queries(client, path, warm=False)
    for key, path in list_paths().items():
        counts[f"list {key}"] = queries(client, path)
    for key, path in detail_paths(volume["committee"]).items():
        counts[f"detail {key}"] = queries(client, path)
    return counts


@pytest.mark.parametrize("role", ROLES)
def test_query_counts_are_the_same_at_ten_times_the_records(volumes, django_db_blocker, role):
    with django_db_blocker.unblock():
        one, ten = page_queries(volumes[1], role), page_queries(volumes[10], role)
    assert set(one) == set(ten) and len([k for k in one if k.startswith("detail")]) >= 15, sorted(one)
    assert {k: (one[k], ten[k]) for k in one if one[k] != ten[k]} == {}
    if role == "office":  # the committee's figures: a branch secretary's dashboard has none of them
        assert one["dashboard (cached)"] < one["dashboard (computed)"]
        assert one["report (cached)"] < one["report (computed)"]
