"""Record forms: the viewed year pre-fills new records, "保存并继续新增",
errors in plain Chinese once at the field, duplicates link to the record;
the trash names who deleted what and links to its history."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.crud import default_date
from portal.models import Department
from responsibility.models import CommitteeMeeting, TrendAnalysis
from tests import factories as f

pytestmark = pytest.mark.django_db
d = datetime.date


def field_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else None


def test_default_date_lies_in_the_viewed_year():
    today = d(2024, 2, 29)
    assert default_date(2024, today) == today
    assert default_date(2023, today) == d(2023, 2, 28)  # a common year has no 29 February
    assert default_date(2020, today) == d(2020, 2, 29)
    assert default_date(2023, d(2024, 7, 9)) == d(2023, 7, 9)
    assert default_date(2030, today) == d(2030, 1, 1)  # never a day not yet come


def test_new_record_takes_the_year_being_viewed(world, client_for):
    c = client_for(world.office)
    c.get(reverse("responsibility:meeting_list") + "?year=2020")  # the year selector / list filter
    html = c.get(reverse("responsibility:meeting_create")).content.decode()
    assert field_value(html, "date") == f"{default_date(2020):%Y-%m-%d}"
    html = c.get(reverse("responsibility:task_create")).content.decode()
    assert field_value(html, "month") == f"{default_date(2020):%Y-%m}"
    for name in ("responsibility:analysis_create", "responsibility:assignment_create", "publicity:rolemodel_create"):
        html = c.get(reverse(name)).content.decode()
        assert field_value(html, "year") == "2020", name
    # The query string still wins (the analysis matrix links a missing cell).
    html = c.get(reverse("responsibility:analysis_create") + "?year=2019&quarter=3").content.decode()
    assert field_value(html, "year") == "2019"


def test_save_and_continue_returns_an_empty_form_on_the_same_day(world, client_for):
    c = client_for(world.office)
    data = {"date": "2020-05-06", "title": "党委会（五月）", "_addanother": "1"}
    response = c.post(reverse("responsibility:meeting_create"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("responsibility:meeting_create") + "?year=2020&date=2020-05-06"
    html = c.get(response["Location"]).content.decode()
    assert "请继续新增" in html and field_value(html, "date") == "2020-05-06" and field_value(html, "title") is None
    # Plain "保存" goes to the record.
    response = c.post(reverse("responsibility:meeting_create"), {"date": "2020-05-07", "title": "党委会（又一次）"})
    meeting = CommitteeMeeting.objects.get(title="党委会（又一次）")
    assert response["Location"] == reverse("responsibility:meeting_detail", args=[meeting.pk])
    assert "保存并继续新增" in c.get(reverse("study:handout_create")).content.decode()


def test_too_long_title_is_said_plainly_once(world, client_for):
    response = client_for(world.office).post(
        reverse("responsibility:meeting_create"), {"date": "2020-05-06", "title": "长" * 201}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("会议名称最多200个字。") == 1
    assert "确保该变量" not in body and "字符" not in body


def test_duplicate_is_one_error_at_the_field_linking_the_record(world, client_for):
    existing = f.TrendAnalysisFactory(committee=world.committee, branch=world.branch, year=2020, quarter=2)
    data = {"branch": world.branch.pk, "year": 2020, "quarter": 2, "date": "2020-06-20", "topic": "重复"}
    response = client_for(world.office).post(reverse("responsibility:analysis_create"), data)
    body = response.content.decode()
    assert response.status_code == 200 and body.count("不能重复录入") == 1
    link = reverse("responsibility:analysis_detail", args=[existing.pk])
    assert f'<a href="{link}">' in body
    assert "quarter" in response.context["form"].errors  # at the field, not above the form
    assert TrendAnalysis.objects.count() == 1


def test_trash_names_the_person_the_date_and_links_the_history(world, client_for):
    c = client_for(world.office)
    meeting = f.CommitteeMeetingFactory(committee=world.committee, date=d(2020, 4, 3), title="删掉的会")
    assignment = f.AssignmentFactory(committee=world.committee, year=2020)
    dept = f.DepartmentFactory(committee=world.committee, branch=world.branch, name="删掉的科室")
    for name, obj in (("responsibility:meeting_delete", meeting), ("responsibility:assignment_delete", assignment),
                      ("portal:department_delete", dept)):
        assert c.post(reverse(name, args=[obj.pk])).status_code == 302
    html = c.get(reverse("trash")).content.decode()
    office_name = world.office.person.name
    assert html.count(f'<td class="trash-deleter">{office_name}</td>') == 3
    assert '<td class="trash-date">2020-04-03</td>' in html  # the meeting's date
    assert '<td class="trash-date">2020年</td>' in html  # the assignment's year
    assert '<td class="trash-date">—</td>' in html  # a department has no date
    history = reverse("responsibility:meeting_history", args=[meeting.pk])
    assert f'href="{history}"' in html
    # The history of a trashed record opens for the office, and shows the deletion.
    page = c.get(history)
    assert page.status_code == 200 and "移入回收站" in page.content.decode()
    assert Department.all_objects.get(pk=dept.pk).deleted_by == world.office
    # Others still may not read it.
    assert client_for(world.leader).get(history).status_code == 403
    assert client_for(world.outsider).get(history).status_code == 404


def test_trashed_record_history_stays_scoped_to_the_branch(world, client_for):
    other = f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch, year=2020, quarter=1)
    TrendAnalysis.all_objects.filter(pk=other.pk).update(deleted_at=timezone.now())
    url = reverse("responsibility:analysis_history", args=[other.pk])
    assert client_for(world.branch_secretary).get(url).status_code == 404
    assert client_for(world.office).get(url).status_code == 200
