"""The binder page, its status JSON and the download, for each role."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from reports.binder import services
from tests import factories as f

from .binder_helpers import INDEX, make_evidence

PAGE = reverse("reports:binder", args=[2020])
BUILD = reverse("reports:binder_build", args=[2020])
STATUS = reverse("reports:binder_status", args=[2020])


@pytest.fixture
def built(world, django_capture_on_commit_callbacks):
    make_evidence(world)
    with django_capture_on_commit_callbacks(execute=True):
        build, _ = services.binder_request(committee=world.committee, year=2020, user=world.office)
    build.refresh_from_db()
    assert build.status == "done", build.error
    return build


@pytest.fixture
def member(world):
    return f.person_with_user(world.committee, "member", role="member", branch=world.branch)


def download_url(build) -> str:
    return reverse("reports:binder_download", args=[build.pk])


@pytest.mark.parametrize("role", ["office", "leader"])
def test_office_and_leaders_build_follow_and_download(world, client_for, role, django_capture_on_commit_callbacks):
    make_evidence(world)
    client = client_for(getattr(world, role))
    page = client.get(PAGE)
    assert page.status_code == 200 and "生成佐证材料包" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(BUILD, HTTP_ACCEPT="application/json")
    assert answer.status_code == 202 and answer.json()["created"] is True
    status = client.get(STATUS).json()
    assert status["status"] == "done" and status["progress"] == 100
    response = client.get(status["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "佐证材料" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert INDEX in zipfile.ZipFile(io.BytesIO(data)).namelist()


@pytest.mark.parametrize("role", ["branch_secretary", "member"])
def test_secretaries_and_members_get_403_everywhere(world, client_for, built, member, role):
    client = client_for(member if role == "member" else world.branch_secretary)
    for url in (PAGE, STATUS, download_url(built)):
        assert client.get(url).status_code == 403, url
    assert client.post(BUILD).status_code == 403
    from reports.models import BinderBuild

    assert BinderBuild.objects.count() == 1  # the refused POST queued nothing


def test_another_committee_gets_404_for_the_binder_and_sees_only_its_own(world, client_for, built):
    client = client_for(world.outsider)
    assert client.get(download_url(built)).status_code == 404
    status = client.get(STATUS).json()  # the outsider's own committee: nothing built
    assert status["status"] is None and status["download_url"] is None


def test_anonymous_is_sent_to_login(client, built):
    for url in (PAGE, STATUS, download_url(built)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_get_on_build_is_refused_and_csrf_is_on(world, built):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(BUILD).status_code == 405
    assert client.post(BUILD).status_code == 403  # no CSRF token


def test_the_report_page_links_the_binder_for_who_may_build(world, client_for):
    from reports import services as report_services

    report = report_services.report_for_year(committee=world.committee, year=2020, user=world.office)
    report_services.report_finalise(report=report, user=world.office)  # a branch secretary reads a final report
    url = reverse("reports:detail", args=[2020])
    assert PAGE in client_for(world.leader).get(url).content.decode()
    page = client_for(world.branch_secretary).get(url)
    assert page.status_code == 200 and PAGE not in page.content.decode()


def test_a_bad_year_is_404(world, client_for):
    assert client_for(world.office).get(reverse("reports:binder", args=[1999])).status_code == 404


@pytest.mark.parametrize("role, descendant, may", [
    ("office", False, True), ("leader", False, True), ("assessor", False, False), ("branch_secretary", False, False),
    ("office", True, True), ("assessor", True, True), ("leader", True, False), ("member", True, False),
])
def test_the_rule_lets_the_superior_office_and_assessors_read_a_descendant(world, role, descendant, may):
    """The binder rules on real actors: a superior committee's office and assessors,
    viewing the committee below theirs, may build and download; its other roles may not."""
    from portal.access import actor_for
    from portal.rules import allowed

    home = world.committee
    if descendant:
        home = f.CommitteeFactory(slug="province-binder", name="省中心党委")
        world.committee.parent = home
        world.committee.save(update_fields=["parent"])
    branch = world.branch if role == "branch_secretary" else None
    user = f.person_with_user(home, f"binder-{role}", role=role, branch=branch)
    if role == "branch_secretary":
        world.branch.secretary = user.person
        world.branch.save(update_fields=["secretary"])
    actor = actor_for(user, world.committee.pk)
    if descendant and role not in ("office", "assessor"):
        assert actor.committee == home  # cannot even view the committee below
        return
    assert actor.committee == world.committee and actor.home == home
    assert allowed(actor, "binder.build") is may and allowed(actor, "binder.download") is may
