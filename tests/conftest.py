"""Shared fixtures: one committee with two branches and a user per role, and a
second committee whose user must never see the first one's records."""

import os
import time

# Tests read static files through the finders, not a collected manifest.
os.environ.setdefault("STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls made from the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402

from tests import factories as f  # noqa: E402


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Jobs run in-process, in the test's own thread when its transaction
    commits (portal.jobs), unless a test asks for the real worker (the fault
    tests) or the embedded runner's threads (the browser tests)."""
    from portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    settings.PORTAL_JOBS_INLINE = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with the production hasher made every user fixture ~100 ms."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _seal_dir(settings, tmp_path):
    """Each test seals with a key of its own, never the installation's var/seal."""
    settings.SEAL_DIR = tmp_path / "seal"


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_open(django_db_setup, django_db_blocker):
    """When the run ends, only this thread is connected to the test database.
    A thread that used the ORM and left its connection open (a job thread, a
    helper thread) kept a session on it, and dropping the database then
    failed: "database test_portal_... is being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 10  # a subprocess stopped just now: its session is still ending
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT pid, state, left(query, 200) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            others = cursor.fetchall()
            if not others or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    assert not others, f"connections left open on the test database (pid, state, last query): {others}"


@dataclass
class World:
    committee: object
    branch: object  # branch A, the "own" branch
    other_branch: object  # branch B
    office: object  # users
    leader: object  # the committee secretary (第一责任人)
    branch_secretary: object  # secretary of branch A
    other_secretary: object  # secretary of branch B
    outsider: object  # office user of another committee
    other_committee: object
    other_committee_branch: object
    no_person: object  # logged in, linked to nothing


@pytest.fixture
def world(db) -> World:
    committee = f.CommitteeFactory(slug="alpha", name="甲局党委", short_name="局党委", unit_name="甲局机关")
    branch = f.BranchFactory(committee=committee, name="第一党支部")
    other_branch = f.BranchFactory(committee=committee, name="第二党支部")
    office = f.person_with_user(committee, "office", role="office", branch=branch)
    leader = f.person_with_user(
        committee, "leader", role="leader", branch=branch, is_committee_member=True, is_secretary=True
    )
    sec = f.person_with_user(committee, "sec_a", role="branch_secretary", branch=branch)
    other_sec = f.person_with_user(committee, "sec_b", role="branch_secretary", branch=other_branch)
    branch.secretary = sec.person
    branch.save()
    other_branch.secretary = other_sec.person
    other_branch.save()
    other_committee = f.CommitteeFactory(slug="beta", name="乙局党委")
    other_committee_branch = f.BranchFactory(committee=other_committee, name="乙局第一党支部")
    outsider = f.person_with_user(other_committee, "outsider", role="office", branch=other_committee_branch)
    no_person = f.UserFactory(username="nobody")
    return World(
        committee=committee,
        branch=branch,
        other_branch=other_branch,
        office=office,
        leader=leader,
        branch_secretary=sec,
        other_secretary=other_sec,
        outsider=outsider,
        other_committee=other_committee,
        other_committee_branch=other_committee_branch,
        no_person=no_person,
    )


@dataclass
class Hierarchy:
    """The world under a provincial committee: 甲局 (``world.committee``) and its sibling
    乙局 (``world.other_committee``, whose office is ``world.outsider``) are its children,
    and 甲局 has a county station of its own below it."""

    world: World
    province: object
    province_office: object  # users of the province
    assessor: object
    station: object  # child of 甲局 (grandchild of the province)
    unrelated: object  # a committee outside the tree


@pytest.fixture
def hierarchy(world) -> Hierarchy:
    province = f.CommitteeFactory(slug="province", name="省中心党委", short_name="省中心党委")
    province_office = f.person_with_user(province, "p_office", role="office")
    assessor = f.person_with_user(province, "p_assessor", role="assessor")
    station = f.CommitteeFactory(slug="station", name="丙站党委", parent=world.committee)
    world.committee.parent = world.other_committee.parent = province
    world.committee.save()
    world.other_committee.save()
    unrelated = f.CommitteeFactory(slug="unrelated", name="丁局党委")
    return Hierarchy(world, province, province_office, assessor, station, unrelated)


def appoint_world_signers(world, year: int) -> None:
    """leader countersigns, each branch's secretary signs, the letters of ``year``."""
    f.appoint_signers(
        world.committee,
        year,
        first=world.leader,
        branches={world.branch: world.branch_secretary, world.other_branch: world.other_secretary},
    )


@pytest.fixture
def signers(world) -> World:
    """The world with its 2020 letter signers appointed in 责任分工."""
    appoint_world_signers(world, 2020)
    return world


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return make


def postgresql_only(reason: str) -> None:
    """Skip on SQLite where the test needs what only PostgreSQL does (say why)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL only: {reason}")


def service_required(name: str):
    """Skip locally when a real service is missing; fail in CI (CI=true)."""
    message = f"{name} is not available (set DATABASE_URL/REDIS_URL)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
