"""The demo's 2020 records behind section 1 of the sample report."""

import datetime

import pytest
from django.core.management import call_command

from portal.models import Committee
from responsibility import selectors, services
from responsibility.letter_pdf import png_data_url
from responsibility.models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return Committee.objects.get(slug="demo")


def test_meetings_and_talks_match_the_sample(demo):
    meetings = CommitteeMeeting.objects.filter(committee=demo, date__year=2020)
    assert meetings.filter(is_ideology=True).count() == 2 and meetings.count() > 2
    assert selectors.committee_talks(demo, 2020).count() == 81
    assert Talk.objects.filter(committee=demo, talker__is_committee_member=False).exists()
    assert sum(r["count"] for r in selectors.talks_per_member(demo, 2020)) == 81


def test_letters_signed_online_by_every_branch(demo):
    letters = ResponsibilityLetter.objects.filter(committee=demo, year=2020)
    assert letters.count() == 3 and all(letter.status == "complete" for letter in letters)
    progress = selectors.letter_progress(demo, 2020)
    assert progress["signed"] == progress["total"] == 3 and progress["awaiting"] == 0
    for letter in letters:
        assert services.body_hash(letter.body) == letter.body_sha256
        roles = {s.role: s for s in letter.signatures.all()}
        assert set(roles) == {"branch", "committee"}
        assert roles["branch"].signer_name == letter.branch.secretary.name
        for signature in roles.values():
            services.decode_signature(png_data_url(signature.image))  # real, non-empty PNGs


def test_analyses_documents_tasks_inspections_assignments(demo):
    analyses = TrendAnalysis.objects.filter(committee=demo, year=2020)
    assert analyses.count() == 3 * 4
    assert analyses.filter(is_special_survey=True, survey_topic__contains="后疫情").count() == 3
    assert not any(a.is_late for a in analyses)
    kinds = list(WorkDocument.objects.filter(committee=demo, date__year=2020).values_list("kind", flat=True))
    assert kinds.count("list") == 2 and kinds.count("plan") == 1 and kinds.count("study_plan") == 1
    tasks = MonthlyTask.objects.filter(committee=demo, month__year=2020)
    ideology = tasks.filter(is_ideology=True)
    assert ideology.count() > 12 and tasks.filter(done_on__isnull=True).count() == 0
    late = [t for t in tasks if t.done_on >= (t.month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)]
    assert 0 < len(late) < tasks.count() // 10
    forms = set(Inspection.objects.filter(committee=demo).values_list("form", flat=True))
    assert {"meeting", "research"} <= forms
    assignments = Assignment.objects.filter(committee=demo, year=2020)
    assert assignments.get(kind="first").person.name == "张建国"
    assert assignments.get(kind="direct").person.name == "李卫东"
    assert assignments.filter(kind="branch").count() == 3 and assignments.filter(kind="dual").count() >= 3
