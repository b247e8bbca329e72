"""A committee's superior committee (上级党委): set through one service, from the
command line or the admin, never into a cycle, every change in its history."""

import datetime
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from portal.models import Committee
from portal.services import committee_set_parent
from tests import factories as f
from tests.security.processes import database_url, subprocess_env

pytestmark = pytest.mark.django_db

SWITCH = reverse("committee_switch")
MEETINGS = reverse("responsibility:meeting_list") + "?year=2020"


def parent_of(committee):
    return Committee.objects.get(pk=committee.pk).parent


def test_set_and_clear_parent_logged_in_history(hierarchy):
    h = hierarchy
    county = f.CommitteeFactory(slug="county", name="戊站党委")
    committee_set_parent(committee=county, parent=h.station, user=h.province_office)
    assert parent_of(county) == h.station
    assert h.province.pk in {c.pk for c in Committee.objects.get(pk=county.pk).ancestors()}
    committee_set_parent(committee=county, parent=None)
    assert parent_of(county) is None
    reasons = list(county.history.order_by("-history_id").values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["解除上级党委", "设置上级党委：丙站党委"]
    assert county.history.order_by("-history_id")[1].history_user == h.province_office


@pytest.mark.parametrize("case", ["self", "child", "grandchild"])
def test_cycles_are_refused_and_nothing_changes(hierarchy, case):
    h = hierarchy
    target = {"self": h.province, "child": h.world.committee, "grandchild": h.station}[case]
    versions = h.province.history.count()
    with pytest.raises(ValidationError) as refused:
        committee_set_parent(committee=h.province, parent=target)
    message = " ".join(refused.value.messages)
    assert ("自己" in message) if case == "self" else ("循环" in message and target.name in message)
    assert parent_of(h.province) is None and h.province.history.count() == versions


def run(*args):
    env = subprocess_env(DATABASE_URL=database_url())
    return subprocess.run(
        [sys.executable, "manage.py", "set_parent", *args], cwd=settings.BASE_DIR, capture_output=True, text=True,
        timeout=120, env=env,
    )


def test_command_sets_detaches_and_refuses(hierarchy):
    h = hierarchy
    call_command("set_parent", "--committee", "beta", "--parent", "station")
    assert parent_of(h.world.other_committee) == h.station
    call_command("set_parent", "--committee", "beta", "--parent", "")
    assert parent_of(h.world.other_committee) is None
    with pytest.raises(CommandError, match="没有标识为“nosuch”的党委"):
        call_command("set_parent", "--committee", "nosuch", "--parent", "")
    with pytest.raises(CommandError, match="循环"):
        call_command("set_parent", "--committee", "province", "--parent", "station")
    assert parent_of(h.province) is None


@pytest.mark.django_db(transaction=True)
def test_command_exit_codes_and_one_line_reasons(hierarchy):
    ok = run("--committee", "beta", "--parent", "alpha")
    assert ok.returncode == 0, ok.stderr
    assert "乙局党委的上级党委已设为甲局党委" in ok.stdout
    for args, reason in ((("--committee", "nosuch", "--parent", ""), "没有标识为“nosuch”的党委"),
                         (("--committee", "alpha", "--parent", "nosuch"), "没有标识为“nosuch”的党委"),
                         (("--committee", "alpha", "--parent", "beta"), "循环"),
                         (("--committee", "alpha", "--parent", "alpha"), "自己")):
        bad = run(*args)
        assert bad.returncode != 0 and reason in bad.stderr, (args, bad.stderr)
        assert len(bad.stderr.strip().splitlines()) == 1, bad.stderr
    assert parent_of(hierarchy.world.committee) == hierarchy.province


@pytest.fixture
def admin_client(client_for):
    user = f.UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return client_for(user), user


def admin_form(committee, parent):
    return {"slug": committee.slug, "name": committee.name, "short_name": committee.short_name,
            "unit_name": committee.unit_name, "superiors": committee.superiors, "parent": parent.pk if parent else ""}


def test_admin_form_refuses_a_cycle_and_logs_a_parent(hierarchy, admin_client):
    h = hierarchy
    c, root = admin_client
    url = reverse("admin:portal_committee_change", args=[h.province.pk])
    response = c.post(url, admin_form(h.province, h.station))
    assert response.status_code == 200 and "循环" in response.content.decode()
    assert parent_of(h.province) is None
    county = f.CommitteeFactory(slug="county", name="戊站党委")
    response = c.post(reverse("admin:portal_committee_change", args=[county.pk]), admin_form(county, h.station))
    assert response.status_code == 302
    assert parent_of(county) == h.station
    latest = county.history.order_by("-history_id").first()
    assert latest.history_change_reason == "设置上级党委：丙站党委" and latest.history_user == root


def test_a_detached_descendant_is_no_longer_viewed(hierarchy, client_for):
    h = hierarchy
    meeting(h.world.committee, "甲局的会")
    c = switched(client_for(h.province_office), h.world.committee)
    assert "甲局的会" in c.get(MEETINGS).content.decode()
    committee_set_parent(committee=h.world.committee, parent=None)
    page = c.get(MEETINGS).content.decode()
    assert "甲局的会" not in page and "正在以只读方式查看" not in page




def test_committee_page_names_parent_and_children(hierarchy, client_for):
    h, w = hierarchy, hierarchy.world
    page = client_for(w.office).get(reverse("committee")).content.decode()
    assert '<dd class="col-sm-10 committee-parent">省中心党委</dd>' in page
    assert "丙站党委" in page
    province = client_for(h.province_office).get(reverse("committee")).content.decode()
    assert '<dd class="col-sm-10 committee-parent">—</dd>' in province
    children = re.search(r'committee-children">(.*?)</dd>', province).group(1)
    assert sorted(children.split("、")) == sorted(["甲局党委", "乙局党委"])  # direct children only


def meeting(committee, title):
    return f.CommitteeMeetingFactory(committee=committee, title=title, date=datetime.date(2020, 3, 1))


def switched(client, committee):
    assert client.post(SWITCH, {"committee": committee.pk}).status_code == 302
    return client
