"""Helpers for ledger tests: a committee with one record of every sheet,
workbooks written cell by cell, and workbooks read back as plain values."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
from django.db.models import Q

from portal.models import Branch, Person
from publicity.models import Article, InternalBulletin
from responsibility.models import CommitteeMeeting, ResponsibilityLetter, Talk, TrendAnalysis
from study.models import StudyAppStat, StudySession
from tests import factories as f


def xlsx(sheets: dict[str, list[list]]) -> io.BytesIO:
    """A workbook whose sheets hold exactly these rows (row 1 = headers)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def cells(data: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [tuple(c for c in row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def populate(committee, year=2020) -> dict:
    """One or more records for every sheet of the ledger, in ``year``."""
    b1 = f.BranchFactory(committee=committee, name="机关第一党支部", member_count=12)
    b2 = f.BranchFactory(committee=committee, name="机关第二党支部", member_count=8)
    chief = f.PersonFactory(committee=committee, name="张书记", title="党委书记", branch=b1, is_committee_member=True)
    deputy = f.PersonFactory(committee=committee, name="李副书记", title="党委副书记", branch=b1, is_committee_member=True)
    staff = f.PersonFactory(committee=committee, name="王科员", title="=SUM(A1)", branch=b2, is_party_member=False)
    b1.secretary = deputy
    b1.save()
    f.DepartmentFactory(committee=committee, name="办公室", branch=b1, head=staff)
    f.AssignmentFactory(committee=committee, year=year, person=chief, kind="first", scope="全面")
    f.WorkDocumentFactory(committee=committee, date=datetime.date(year, 2, 1), kind="plan", title="意识形态工作方案")
    f.CommitteeMeetingFactory(committee=committee, date=datetime.date(year, 3, 5), title="党委会", is_ideology=True, host=chief, agenda="-研究意识形态")
    f.CommitteeMeetingFactory(committee=committee, date=datetime.date(year, 9, 5), title="党委会", is_ideology=False)
    letter = f.ResponsibilityLetterFactory(committee=committee, branch=b1, year=year)
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(
        offline=True, status="complete", offline_signed_on=datetime.date(year, 3, 1), offline_signer="李副书记"
    )
    f.ResponsibilityLetterFactory(committee=committee, branch=b2, year=year)
    f.MonthlyTaskFactory(committee=committee, month=datetime.date(year, 4, 1), branch=b2, done_on=datetime.date(year, 4, 20))
    inspection = f.InspectionFactory(committee=committee, date=datetime.date(year, 5, 6), findings="@问题")
    inspection.branches.set([b2, b1])
    f.TalkFactory(committee=committee, date=datetime.date(year, 6, 1), talker=chief, talkee=staff, summary="要点一")
    f.TalkFactory(committee=committee, date=datetime.date(year, 6, 2), talker=staff, talkee=deputy, summary="要点二")
    f.TrendAnalysisFactory(committee=committee, branch=b1, year=year, quarter=2, is_special_survey=True, survey_topic="后疫情")
    f.TrendAnalysisFactory(committee=committee, branch=b2, year=year, quarter=2)
    f.StudySessionFactory(committee=committee, date=datetime.date(year, 6, 10), is_ideology=True, host=chief)
    f.StudySessionFactory(committee=committee, date=datetime.date(year, 7, 10), kind="party_day", branch=b2, headcount=None)
    f.StudyAppStatFactory(committee=committee, month=datetime.date(year, 1, 1), activity_rate=Decimal("98.50"), avg_score=Decimal("45.20"))
    f.StudyAppStatFactory(committee=committee, month=datetime.date(year, 2, 1), activity_rate=Decimal("0.50"), avg_score=Decimal("44"), branch=b1)
    f.MaterialHandoutFactory(committee=committee, date=datetime.date(year, 8, 1))
    f.ArticleFactory(committee=committee, date=datetime.date(year, 8, 2), level="central")
    f.ArticleFactory(committee=committee, date=datetime.date(year, 8, 3), level="city")
    f.InternalBulletinFactory(committee=committee, date=datetime.date(year, 8, 4), issue_no="1")
    channel = f.ChannelFactory(committee=committee, kind="wechat", name="党员微信群", admin="王科员")
    f.ChannelCheckFactory(committee=committee, channel=channel, date=datetime.date(year, 5, 1))
    f.RoleModelFactory(committee=committee, year=year, person=staff)
    f.ActivityFactory(committee=committee, date=datetime.date(year, 10, 1), kind="festival", title="中秋联欢")
    # Another year's records stay out of the export.
    f.TalkFactory(committee=committee, date=datetime.date(year - 1, 6, 1), talker=chief, talkee=staff)
    return {"branches": [b1, b2], "chief": chief, "staff": staff}


def figures(committee, year=2020) -> dict:
    """The counts behind the annual report's headline figures."""
    central = StudySession.objects.filter(committee=committee, date__year=year, kind="central_group")
    unit_stats = StudyAppStat.objects.filter(committee=committee, month__year=year, branch__isnull=True)
    return {
        "ideology_meetings": CommitteeMeeting.objects.filter(committee=committee, date__year=year, is_ideology=True).count(),
        "member_talks": Talk.objects.filter(committee=committee, date__year=year, talker__is_committee_member=True).count(),
        "analyses": TrendAnalysis.objects.filter(committee=committee, year=year).count(),
        "branches": Branch.objects.filter(committee=committee).count(),
        "letters_signed": ResponsibilityLetter.objects.filter(committee=committee, year=year, status="complete").count(),
        "central_group": central.count(),
        "ideology_months": sorted({d.month for d in central.filter(is_ideology=True).values_list("date", flat=True)}),
        "app_rates": sorted(unit_stats.values_list("activity_rate", "avg_score")),
        "articles_high": Article.objects.filter(committee=committee, date__year=year)
        .filter(Q(level="central") | Q(level="provincial"))
        .count(),
        "bulletins": sorted(
            InternalBulletin.objects.filter(committee=committee, date__year=year).values_list("series", "issue_no")
        ),
        "committee_members": sorted(
            Person.objects.filter(committee=committee, is_committee_member=True).values_list("name", flat=True)
        ),
    }


def post_and_run(client, capture, url, data):
    """POST to a page that queues an import job, run the job as the tests'
    setup does (at commit, in this thread) and follow to where it leads."""
    with capture(execute=True):
        response = client.post(url, data)
    while response.status_code == 302 and "/jobs/" in response["Location"]:
        response = client.get(response["Location"])
    return response
