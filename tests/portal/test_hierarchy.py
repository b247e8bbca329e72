"""A superior committee's office and assessors view its descendants, read-only
(ASSESSMENT.md, "The hierarchy"); nobody else switches, and nothing leaks sideways.

Every URL as each visitor of the tree: tests/security/test_hierarchy_matrix.py.
"""

import datetime
import io

import openpyxl
import pytest
import rules
from django.urls import reverse

from portal.access import actor_for
from portal.middleware import COMMITTEE_SESSION_KEY
from portal.rules import allowed
from tests import factories as f

pytestmark = pytest.mark.django_db

SWITCH = reverse("committee_switch")
MEETINGS = reverse("responsibility:meeting_list") + "?year=2020"


def meeting(committee, title):
    return f.CommitteeMeetingFactory(committee=committee, title=title, date=datetime.date(2020, 3, 1))


def switched(client, committee):
    response = client.post(SWITCH, {"committee": committee.pk})
    assert response.status_code == 302
    return client


# -- switching -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["province_office", "assessor"])
def test_office_and_assessor_switch_to_any_descendant(hierarchy, client_for, who):
    h = hierarchy
    meeting(h.world.committee, "甲局的会")
    meeting(h.station, "丙站的会")
    meeting(h.province, "省中心的会")
    c = client_for(getattr(h, who))
    page = c.get(MEETINGS).content.decode()
    # The menu: home and every descendant (grandchildren too), nothing else.
    for name in ("省中心党委", "甲局党委", "乙局党委", "丙站党委"):
        assert f'>{name}</button>' in page
    assert "丁局党委" not in page
    assert page.index(">省中心党委</button>") < page.index(">甲局党委</button>")  # home first, though created last
    if who == "province_office":
        assert "省中心的会" in page and "正在以只读方式查看" not in page

    for committee, own, others in ((h.world.committee, "甲局的会", ("丙站的会", "省中心的会")),
                                   (h.station, "丙站的会", ("甲局的会", "省中心的会"))):
        page = switched(c, committee).get(MEETINGS).content.decode()
        assert own in page and not any(o in page for o in others)
        assert f"正在以只读方式查看：{committee.name}" in page
        assert f"当前党委：<strong>{committee.name}</strong>" in page

    # Back home: the banner's button posts the home committee.
    page = switched(c, h.province).get(MEETINGS).content.decode()
    assert "正在以只读方式查看" not in page


def test_switching_refuses_parent_sibling_and_unrelated(hierarchy, client_for):
    h, w = hierarchy, hierarchy.world
    meeting(w.committee, "甲局的会")
    # 甲局's office views its own station, but never upwards or sideways.
    c = client_for(w.office)
    for target in (h.province, w.other_committee, h.unrelated):
        assert c.post(SWITCH, {"committee": target.pk}).status_code == 404
    assert c.session.get(COMMITTEE_SESSION_KEY) is None
    assert "甲局的会" in c.get(MEETINGS).content.decode()
    # A committee with no descendants offers no switch at all.
    sibling = client_for(w.outsider)
    assert "切换党委" not in sibling.get(reverse("dashboard")).content.decode()
    assert sibling.post(SWITCH, {"committee": w.committee.pk}).status_code == 403
    # Only the office and assessors: a leader of the province reads no child.
    leader = client_for(f.person_with_user(h.province, "p_leader", role="leader", is_committee_member=True))
    assert leader.post(SWITCH, {"committee": w.committee.pk}).status_code == 403
    # Bad input, and a foreign committee, answer 404 and change nothing.
    p = switched(client_for(h.province_office), w.committee)
    for value in ("", "abc", "-1", "999999", str(h.unrelated.pk)):
        assert p.post(SWITCH, {"committee": value}).status_code == 404
    assert p.session[COMMITTEE_SESSION_KEY] == w.committee.pk
    assert p.get(SWITCH).status_code == 405


def test_switch_needs_csrf(hierarchy):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(hierarchy.province_office, backend="django.contrib.auth.backends.ModelBackend")
    assert c.post(SWITCH, {"committee": hierarchy.world.committee.pk}).status_code == 403
    assert COMMITTEE_SESSION_KEY not in c.session


# -- read-only: every rule that writes refuses ---------------------------------------------

# The rules that only read (or only navigate); every other rule writes and must be false
# for a read-only actor. A new rule lands in the second group unless named here.
READ_RULES = {
    "portal.switch_committee",
    "portal.attachments.read",
    "ledger.export",
    "ledger.export_summaries",
    "reports.list",
    "reports.view",
    "reports.download",
    "responsibility.read_all_talk_summaries",
    "responsibility.read_talk_summary",
    # the assessment's reading rules (its writes refuse a viewer: reports/assessment/rules.py)
    "assessment.nav",
    "assessment.mine",
    "assessment.rubrics",
    "assessment.read",
    # packing the evidence binder changes no record (ASSESSMENT.md: the assessors ask for it)
    "binder.build",
    "binder.download",
}


def _read_only_actors(h):
    viewing = actor_for(h.province_office, h.world.committee.pk)
    assessor_viewing = actor_for(h.assessor, h.world.committee.pk)
    assessor_home = actor_for(h.assessor)
    assert viewing.committee == h.world.committee and viewing.home == h.province
    return {"office viewing": viewing, "assessor viewing": assessor_viewing, "assessor at home": assessor_home}


def test_every_write_rule_refuses_a_read_only_actor(hierarchy):
    h = hierarchy
    records = [f.CommitteeMeetingFactory(committee=h.world.committee), f.TalkFactory(committee=h.world.committee)]
    names = sorted(rules.rulesets.default_rules)
    assert "responsibility.meeting.change" in names  # record types registered their rules
    for label, actor in _read_only_actors(h).items():
        assert actor.read_only
        writes = [n for n in names if n not in READ_RULES]
        granted = [n for n in writes for obj in (None, *records) if rules.test_rule(n, actor, obj)]
        assert not granted, f"{label} may write: {granted}"
    # The same rules do allow the province office at home (so the check above can fail).
    home = actor_for(h.province_office)
    assert not home.read_only
    assert allowed(home, "responsibility.meeting.add") and allowed(home, "portal.trash")


def test_read_only_actors_read_what_the_design_lists(hierarchy):
    h = hierarchy
    from reports.models import AnnualReport

    report = AnnualReport.objects.create(committee=h.world.committee, year=2020)
    for label, actor in _read_only_actors(h).items():
        for name in ("ledger.export", "reports.list", "reports.download"):
            assert allowed(actor, name), (label, name)
        assert allowed(actor, "reports.view", report), label
        assert not allowed(actor, "ledger.export_summaries"), label
        assert not allowed(actor, "responsibility.read_all_talk_summaries"), label


def test_pages_offer_no_edit_to_a_read_only_actor(hierarchy, client_for):
    h = hierarchy
    m = meeting(h.world.committee, "甲局的会")
    c = switched(client_for(h.province_office), h.world.committee)
    detail = c.get(reverse("responsibility:meeting_detail", args=[m.pk])).content.decode()
    assert "甲局的会" in detail
    assert reverse("responsibility:meeting_update", args=[m.pk]) not in detail
    listing = c.get(MEETINGS).content.decode()
    assert reverse("responsibility:meeting_create") not in listing
    before = m.title
    response = c.post(reverse("responsibility:meeting_update", args=[m.pk]), {"title": "改过的"})
    assert response.status_code == 403
    m.refresh_from_db()
    assert m.title == before
    assert c.post(reverse("responsibility:meeting_delete", args=[m.pk])).status_code == 403
    m.refresh_from_db()
    assert m.deleted_at is None


# -- talk summaries never cross committees -------------------------------------------------


def test_talk_summary_rule_checks_the_committee(hierarchy):
    h, w = hierarchy, hierarchy.world
    talk = f.TalkFactory(committee=w.committee, summary="甲局的谈话要点")
    own_office = actor_for(w.office)
    assert allowed(own_office, "responsibility.read_talk_summary", talk)
    others = (actor_for(w.outsider), actor_for(h.province_office, w.committee.pk), actor_for(h.assessor, w.committee.pk))
    for actor in others:
        assert not allowed(actor, "responsibility.read_talk_summary", talk)


@pytest.mark.parametrize("who", ["province_office", "assessor"])
def test_talk_summary_never_shown_to_a_superior_committee(hierarchy, client_for, who):
    h, w = hierarchy, hierarchy.world
    talk = f.TalkFactory(committee=w.committee, date=datetime.date(2020, 5, 6), summary="甲局的谈话要点")
    f.attach(talk, w.office, "谈话记录.pdf")
    c = switched(client_for(getattr(h, who)), w.committee)
    detail = c.get(reverse("responsibility:talk_detail", args=[talk.pk]))
    assert detail.status_code == 200 and "甲局的谈话要点" not in detail.content.decode()
    assert talk.talkee.name in detail.content.decode()  # they see that the talk happened
    listing = c.get(reverse("responsibility:talk_list") + "?year=2020&q=谈话要点").content.decode()
    assert "甲局的谈话要点" not in listing and talk.talkee.name not in listing  # no search by the summary
    export = c.get(reverse("ledger:export_download") + "?year=2020")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.content), read_only=True)
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert talk.talkee.name in " ".join(cells) and not any("甲局的谈话要点" in v for v in cells)
    # The talk's attachments are as confidential as its summary.
    assert "谈话记录.pdf" not in detail.content.decode()
    # The office of 甲局 itself does see it (the test can fail).
    own = client_for(w.office).get(reverse("responsibility:talk_detail", args=[talk.pk])).content.decode()
    assert "甲局的谈话要点" in own and "谈话记录.pdf" in own


# -- what the viewer's own account keeps -----------------------------------------------------


def test_notifications_stay_the_users_own_while_viewing_a_child(hierarchy, client_for):
    from portal.models import Person
    from portal.notifications import notify

    h = hierarchy
    me = Person.objects.get(user=h.province_office)
    notify(committee=h.province, recipients=[me], message="省中心的通知", link="/", kind="t", key="t1")
    c = switched(client_for(h.province_office), h.world.committee)
    assert "省中心的通知" in c.get(reverse("notifications")).content.decode()
