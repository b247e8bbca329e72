"""Record lists: sort by a column, filter by a date range, export the list
being looked at as xlsx (same filters, same scope), jump to a page."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f

pytestmark = pytest.mark.django_db
d = datetime.date


def titles(html: str) -> list[str]:
    """The 会议名称 column of the meeting list, top to bottom."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row)[1] for row in body.split("<tr>")[1:]]


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def meetings(world):
    for day, title in [(d(2020, 3, 1), "丙会"), (d(2020, 1, 5), "甲会"), (d(2020, 7, 9), "乙会"), (d(2019, 5, 5), "旧会")]:
        f.CommitteeMeetingFactory(committee=world.committee, date=day, title=title)
    f.CommitteeMeetingFactory(committee=world.other_committee, date=d(2020, 2, 2), title="外局会")


def test_sort_by_a_column_both_ways_and_only_whitelisted(world, client_for, meetings):
    c = client_for(world.office)
    url = reverse("responsibility:meeting_list") + "?year=2020"
    assert titles(c.get(url).content.decode()) == ["乙会", "丙会", "甲会"]  # newest first
    assert titles(c.get(url + "&sort=date").content.decode()) == ["甲会", "丙会", "乙会"]
    assert titles(c.get(url + "&sort=-date").content.decode()) == ["乙会", "丙会", "甲会"]
    html = c.get(url + "&sort=title").content.decode()
    assert titles(html) == sorted(["甲会", "乙会", "丙会"])
    # The header of the sorted column links to the other direction, keeping the year.
    assert 'href="?year=2020&amp;sort=-title"' in html and 'aria-sort="ascending"' in html
    # A field that is not a column (or a made-up one) is ignored: the usual order.
    for odd in ("agenda", "committee__name", "-password", "%27"):
        response = c.get(url + f"&sort={odd}")
        assert response.status_code == 200 and titles(response.content.decode()) == ["乙会", "丙会", "甲会"]


def test_sorting_ties_keep_a_stable_order_across_pages(world, client_for):
    for i in range(25):
        f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 5, 5), title=f"会{i:02d}")
    c = client_for(world.office)
    url = reverse("responsibility:meeting_list") + "?year=2020&sort=date"
    first = titles(c.get(url).content.decode())
    second = titles(c.get(url + "&page=2").content.decode())
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)


def test_date_range_filters_and_combines_with_search(world, client_for, meetings):
    c = client_for(world.office)
    url = reverse("responsibility:meeting_list") + "?year=2020"
    html = c.get(url + "&date_from=2020-02-01&date_to=2020-06-30").content.decode()
    assert titles(html) == ["丙会"] and "共 1 条" in html
    assert titles(c.get(url + "&date_from=2020-02-01").content.decode()) == ["乙会", "丙会"]
    assert titles(c.get(url + "&date_from=2020-02-01&q=乙").content.decode()) == ["乙会"]
    # A date that does not parse is ignored rather than an error.
    response = c.get(url + "&date_from=2020-13-45&date_to=abc")
    assert response.status_code == 200 and len(titles(response.content.decode())) == 3


def test_export_is_the_filtered_sorted_list(world, client_for, meetings):
    c = client_for(world.office)
    url = reverse("responsibility:meeting_list") + "?year=2020&date_from=2020-02-01&sort=date&export=xlsx"
    rows = workbook_rows(c.get(url))
    assert rows[0] == ("日期", "会议名称", "意识形态专题", "主持人")
    assert [(r[0].date(), r[1]) for r in rows[1:]] == [(d(2020, 3, 1), "丙会"), (d(2020, 7, 9), "乙会")]
    # The list offers the same query with export=xlsx.
    html = c.get(reverse("responsibility:meeting_list") + "?year=2020&q=会").content.decode()
    assert 'href="?year=2020&amp;q=%E4%BC%9A&amp;export=xlsx"' in html


def test_export_holds_only_what_a_branch_secretary_sees(world, client_for):
    f.MonthlyTaskFactory(committee=world.committee, branch=world.branch, month=d(2020, 3, 1), task="本支部任务")
    f.MonthlyTaskFactory(committee=world.committee, branch=world.other_branch, month=d(2020, 3, 1), task="他支部任务")
    f.MonthlyTaskFactory(committee=world.committee, branch=None, month=d(2020, 3, 1), task="党委任务")
    f.MonthlyTaskFactory(committee=world.other_committee, month=d(2020, 3, 1), task="外局任务")
    url = reverse("responsibility:task_list") + "?year=2020&export=xlsx"
    secretary = {r[1] for r in workbook_rows(client_for(world.branch_secretary).get(url))[1:]}
    office = {r[1] for r in workbook_rows(client_for(world.office).get(url))[1:]}
    assert secretary == {"本支部任务", "党委任务"}
    assert office == {"本支部任务", "他支部任务", "党委任务"}


def test_export_shows_talk_summaries_only_to_who_may_read_them(world, client_for):
    from portal.models import Person

    leader = Person.objects.get(user=world.leader)  # the committee secretary
    other_leader = f.person_with_user(world.committee, "deputy", role="leader", is_committee_member=True)
    deputy = Person.objects.get(user=other_leader)
    f.TalkFactory(committee=world.committee, talker=leader, date=d(2020, 4, 1), summary="书记的要点")
    f.TalkFactory(committee=world.committee, talker=deputy, date=d(2020, 4, 2), summary="副职的要点")
    url = reverse("responsibility:talk_list") + "?year=2020&export=xlsx&sort=date"

    def summaries(user):
        rows = workbook_rows(client_for(user).get(url))
        assert rows[0][-1] == "谈话要点"
        return [r[-1] for r in rows[1:]]

    assert summaries(world.office) == ["书记的要点", "副职的要点"]
    assert summaries(world.leader) == ["书记的要点", "副职的要点"]  # the committee secretary
    assert summaries(other_leader) == [None, "副职的要点"]  # only their own
    assert summaries(world.branch_secretary) == [None, None]


def test_export_writes_formula_like_text_as_text(world, client_for):
    f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 3, 1), title='=HYPERLINK("http://x","y")')
    f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 3, 2), title="+1+1")
    f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 3, 3), title="@SUM(A1)")
    f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 3, 4), title="-2")
    response = client_for(world.office).get(reverse("responsibility:meeting_list") + "?year=2020&export=xlsx&sort=date")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [sheet.cell(row=i, column=2) for i in range(2, 6)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2"]
    assert all(c.data_type == "s" for c in cells)


def test_page_jump_keeps_the_filters(world, client_for):
    for i in range(45):
        f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 5, 5), title=f"会{i:02d}", is_ideology=i % 2 == 0)
    c = client_for(world.office)
    url = reverse("responsibility:meeting_list") + "?year=2020&is_ideology=1&sort=title"
    html = c.get(url).content.decode()
    assert "共 23 条" in html and "1 / 2" in html
    # The jump form carries every current parameter but the page.
    form = html.split('class="d-flex align-items-center gap-1 page-jump"', 1)[1].split("</form>", 1)[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert hidden == {"year": "2020", "is_ideology": "1", "sort": "title"}
    assert 'name="page"' in form and 'max="2"' in form
    page2 = c.get(url + "&page=2").content.decode()
    assert titles(page2) == [f"会{i:02d}" for i in range(40, 45, 2)]
    for odd in ("0", "-1", "999", "abc"):
        assert c.get(url + f"&page={odd}").status_code == 200


def test_figure_lists_its_records_within_the_actors_scope_and_year(world, client_for, monkeypatch):
    """``?figure=<key>`` lists the records behind a figure of portal.figures,
    intersected with what the user sees and the year being viewed."""
    from portal import figures
    from responsibility.models import MonthlyTask

    def open_tasks(committee, year):
        return MonthlyTask.objects.filter(committee=committee, month__year=year, done_on__isnull=True)

    figure = figures.Figure("open_tasks", "未销号任务", "responsibility:task_list", open_tasks)
    monkeypatch.setitem(figures.FIGURES, "open_tasks", figure)
    for branch, task, done in [(world.branch, "本支部未销号", None), (world.branch, "本支部已销号", d(2020, 3, 9)),
                               (world.other_branch, "他支部未销号", None)]:
        f.MonthlyTaskFactory(committee=world.committee, branch=branch, month=d(2020, 3, 1), task=task, done_on=done)
    f.MonthlyTaskFactory(committee=world.committee, branch=world.branch, month=d(2019, 3, 1), task="去年未销号")
    url = reverse("responsibility:task_list") + "?year=2020&figure=open_tasks"

    def listed(user, query=url):
        html = client_for(user).get(query).content.decode()
        return {t for t in ("本支部未销号", "本支部已销号", "他支部未销号", "去年未销号") if t in html}

    assert listed(world.office) == {"本支部未销号", "他支部未销号"}
    assert listed(world.branch_secretary) == {"本支部未销号"}
    assert listed(world.office, url.replace("&figure=open_tasks", "")) == {"本支部未销号", "本支部已销号", "他支部未销号"}
    # An unknown figure, or one about another record type, lists nothing rather than everything.
    assert listed(world.office, url.replace("open_tasks", "nope")) == set()
    meetings = reverse("responsibility:meeting_list") + "?year=2020&figure=open_tasks"
    assert client_for(world.office).get(meetings).status_code == 200
