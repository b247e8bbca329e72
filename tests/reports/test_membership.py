"""Membership and roles by year: a year's committee members, branches and branch
secretaries are what that year's 责任分工 says, in the report, the dashboard and the
evidence lists alike; today's flags stand in only for a year that names none."""

import datetime

import pytest
from django.urls import reverse

from portal import figures
from portal.access import actor_for
from portal.services import record_trash
from reports.compiler import compile_report
from responsibility import selectors
from responsibility.models import Assignment
from tests import factories as f

from .conftest import page_text

pytestmark = pytest.mark.django_db


def assign(world, person, kind, *, year=2020, branch=None, member=False):
    return Assignment.objects.create(committee=world.committee, year=year, person=person, kind=kind, branch=branch,
                                     committee_member=member)


@pytest.fixture
def year_2020(world):
    """2020's 责任分工: leader 第一责任人, 王委员 a member with 一岗双责, 钱科长 一岗双责 as a
    department head (not a member), the two branches' secretaries; talks by each."""
    c, d = world.committee, datetime.date
    member = f.PersonFactory(committee=c, name="王委员", is_committee_member=True, branch=world.branch)
    head = f.PersonFactory(committee=c, name="钱科长", branch=world.branch)
    assign(world, world.leader.person, "first")
    assign(world, member, "dual", member=True)
    assign(world, head, "dual")
    assign(world, world.branch_secretary.person, "branch", branch=world.branch)
    assign(world, world.other_secretary.person, "branch", branch=world.other_branch)
    for talker, n in ((world.leader.person, 3), (member, 2), (head, 4)):
        for i in range(n):
            f.TalkFactory(committee=c, talker=talker, date=d(2020, 3, i + 1))
    for branch in (world.branch, world.other_branch):
        f.ResponsibilityLetterFactory(committee=c, branch=branch, year=2020, status="complete")
        f.TrendAnalysisFactory(committee=c, branch=branch, year=2020, quarter=1)
    world.member, world.head = member, head
    return world


def figures_2020(world) -> dict:
    c = world.committee
    return {key: figures.value(key, c, 2020)
            for key in ("committee_talks", "letters_signed", "analyses_expected", "analyses_done")}


def reshuffle(world) -> None:
    """Today: 王委员 left (no longer a member, moved to the trash), 钱科长 joined the committee,
    the second branch was merged away (trashed) and a new branch set up, the secretaries changed."""
    office = actor_for(world.office)
    world.member.is_committee_member = False
    world.member.save()
    record_trash(actor=office, record=world.member)
    world.head.is_committee_member = True
    world.head.save()
    record_trash(actor=office, record=world.other_branch)
    f.BranchFactory(committee=world.committee, name="新成立党支部")
    world.branch.secretary = world.head
    world.branch.save()


def test_a_years_members_and_branches_are_its_assignments_not_todays_flags(year_2020, client_for):
    before = figures_2020(year_2020)
    assert before == {"committee_talks": 5, "letters_signed": 2, "analyses_expected": 8, "analyses_done": 2}
    sentences = compile_report(year_2020.committee, 2020)["text"]
    reshuffle(year_2020)
    assert figures_2020(year_2020) == before
    after = compile_report(year_2020.committee, 2020)
    assert {k: after["text"][k]["text"] for k in ("talks", "letters", "analyses")} == {
        k: sentences[k]["text"] for k in ("talks", "letters", "analyses")
    }
    assert {p["name"]: p["count"] for p in after["appendix"]["talks"]} == {"leader": 3, "王委员": 2}
    assert [r["branch"] for r in after["appendix"]["branches"]["rows"]] == ["第一党支部", "第二党支部"]
    roster = after["roster"]
    assert roster["members"] == ["leader", "王委员"] and roster["members_recorded"] and roster["branches_recorded"]
    assert [(b["name"], b["secretaries"], b["trashed"]) for b in roster["branches"]] == [
        ("第一党支部", ["sec_a"], False), ("第二党支部", ["sec_b"], True)]
    # The evidence list behind "班子成员共开展了5次交心谈心" lists exactly those talks.
    listed = client_for(year_2020.office).get(figures.url("committee_talks", 2020)).content.decode()
    assert "共5条" in page_text(listed)
    # The dashboard's letter progress counts the year's branches too.
    progress = selectors.letter_progress(year_2020.committee, 2020)
    assert (progress["signed"], progress["total"]) == (2, 2)


def test_a_new_year_follows_its_own_assignments(year_2020):
    """In 2021 钱科长 sits on the committee: his 2021 talks count, his 2020 ones never do."""
    c = year_2020.committee
    assign(year_2020, year_2020.head, "dual", year=2021, member=True)
    f.TalkFactory(committee=c, talker=year_2020.head, date=datetime.date(2021, 5, 1))
    f.TalkFactory(committee=c, talker=year_2020.member, date=datetime.date(2021, 5, 2))
    assert figures.value("committee_talks", c, 2021) == 1
    assert figures.value("committee_talks", c, 2020) == 5


def test_without_assignments_todays_list_stands_in_and_the_page_says_so(year_data, client_for):
    roster = selectors.year_roster(year_data.committee, 2020)
    assert not roster["members_recorded"] and not roster["branches_recorded"]
    assert roster["members"] == ["leader", "副书记"]
    html = page_text(client_for(year_data.office).get(reverse("reports:detail", args=[2020])).content.decode())
    assert "2020年度“责任分工”中没有班子成员，暂按当前的班子成员统计" in html
    assert "2020年度“责任分工”中没有支部书记，暂按当前的党支部统计" in html
    assert "以该年度“责任分工”为准" in html


def test_the_report_page_names_the_years_members_and_branches(year_2020, client_for):
    reshuffle(year_2020)
    html = page_text(client_for(year_2020.office).get(reverse("reports:detail", args=[2020])).content.decode())
    assert "班子成员leader、王委员" in html
    assert "第二党支部（书记：sec_b）（现已撤销或合并）" in html
    assert "没有班子成员" not in html and "新成立党支部" not in html


def test_the_first_and_direct_holders_always_sit_on_the_committee(world):
    row = Assignment(committee=world.committee, year=2020, person=world.leader.person, kind="direct")
    row.full_clean()
    assert row.committee_member and row.counts_as_member
    dual = Assignment(committee=world.committee, year=2020, person=world.leader.person, kind="dual")
    assert not dual.counts_as_member


def test_a_talk_counts_for_whoever_sat_on_the_committee_that_year(year_2020, client_for):
    """Talks by non-members are recorded (issue 13) but only the year's members' talks are counted."""
    reshuffle(year_2020)  # 王委员 left since (trashed); 钱科长 joined since
    office = client_for(year_2020.office)
    url = reverse("responsibility:talk_create")
    data = {"date": "2020-06-01", "talkee": year_2020.office.person.pk, "kind": "谈心", "summary": "x"}
    before = figures.value("committee_talks", year_2020.committee, 2020)
    assert office.post(url, {**data, "talker": year_2020.head.pk}).status_code == 302
    assert figures.value("committee_talks", year_2020.committee, 2020) == before
    assert office.post(url, {**data, "talker": year_2020.leader.person.pk}).status_code == 302
    assert figures.value("committee_talks", year_2020.committee, 2020) == before + 1
