"""A committee with the demo bureau's yearly volume of records, times ``factor``.

Used by the query-count test and ``bench/report.py`` to show that compiling a
report costs the same number of queries for 1×, 10× and 100× the records.
One "unit" is what the sample report describes for a year: 2 special meetings
among 12, 81 talks by 5 committee members, 12 quarterly analyses, 11
central-group sessions and 108 branch sessions, 9 articles at 省部级 and above,
3 bulletin issues, a dozen activities; every session has attendees and every
inspection its branches (many-to-many rows). Rows are bulk-created (no history
rows), which is fine for read benchmarks.
"""

from __future__ import annotations

import datetime
import random

from portal.models import Branch, Committee, Person
from publicity.models import Activity, Article, Channel, ChannelCheck, InternalBulletin, RoleModel
from responsibility.models import (
    Assignment,
    CommitteeMeeting,
    Inspection,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
    body_hash,
)
from study.models import MaterialHandout, StudyAppStat, StudySession

BRANCH_KINDS = ["party_day", "general_meeting", "branch_committee", "group_meeting", "party_lecture"]


def seed_volume(slug: str, factor: int = 1, year: int = 2020, *, name: str = "", unit_name: str = "") -> Committee:
    rnd = random.Random(f"{slug}-{factor}")
    committee = Committee.objects.create(
        slug=slug, name=name or f"{slug}局党委", short_name="局党委", unit_name=unit_name or f"{slug}局机关",
        superiors="省中心党委和水务局党组",
    )
    branches = [Branch.objects.create(committee=committee, name=f"第{i + 1}党支部") for i in range(3 * factor)]
    members = [
        Person.objects.create(committee=committee, name=f"班子成员{i + 1}", is_committee_member=True, is_secretary=i == 0,
                              branch=branches[i % len(branches)])
        for i in range(5)
    ]
    staff = Person.objects.bulk_create(
        Person(committee=committee, name=f"职工{i + 1}", branch=branches[i % len(branches)]) for i in range(15 * factor)
    )

    def day(i: int) -> datetime.date:
        return datetime.date(year, i % 12 + 1, i % 27 + 1)

    def bulk(model, rows):
        model.objects.bulk_create(rows, batch_size=500)

    bulk(Assignment, [Assignment(committee=committee, year=year, person=m, kind=k, committee_member=True)
                      for m, k in zip(members, ["first", "direct", "dual", "dual", "dual"])])
    bulk(WorkDocument, [WorkDocument(committee=committee, date=day(i), kind="plan", title=f"工作方案{i}")
                        for i in range(3 * factor)])
    bulk(CommitteeMeeting, [CommitteeMeeting(committee=committee, date=day(i), title=f"党委会{i}", is_ideology=i % 6 == 0)
                            for i in range(12 * factor)])
    bulk(MonthlyTask, [MonthlyTask(committee=committee, month=day(i).replace(day=1), task=f"任务{i}",
                                   is_ideology=i % 2 == 0, done_on=day(i)) for i in range(24 * factor)])
    inspections = Inspection.objects.bulk_create(
        Inspection(committee=committee, date=day(i), form="meeting") for i in range(4 * factor)
    )
    bulk(Inspection.branches.through, [Inspection.branches.through(inspection=x, branch=b)
                                       for i, x in enumerate(inspections) for b in around(branches, i, 2)])
    bulk(Talk, [Talk(committee=committee, date=day(i), talker=members[i % 5], talkee=rnd.choice(staff), summary="要点")
                for i in range(81 * factor)])
    bulk(TrendAnalysis, [TrendAnalysis(committee=committee, branch=b, year=year, quarter=q, date=datetime.date(year, q * 3, 20),
                                       is_special_survey=q == 2, survey_topic="后疫情" if q == 2 else "")
                         for b in branches for q in (1, 2, 3, 4)])
    # Complete as paper letters (no online signatures to make up), their body hashed as at issue.
    bulk(ResponsibilityLetter, [ResponsibilityLetter(committee=committee, branch=b, year=year, title="责任书", body="正文",
                                                     body_sha256=body_hash("正文"), status="complete", offline=True,
                                                     offline_signed_on=datetime.date(year, 3, 1),
                                                     offline_signer=f"{b.name}书记") for b in branches])
    sessions = [StudySession(committee=committee, date=day(i), kind="central_group", theme=f"中心组学习{i}",
                             is_ideology=i == 5) for i in range(11 * factor)]
    sessions += [StudySession(committee=committee, date=day(i), kind=BRANCH_KINDS[i % 5], theme=f"支部学习{i}",
                              branch=branches[i % len(branches)]) for i in range(108 * factor)]
    sessions = StudySession.objects.bulk_create(sessions, batch_size=500)
    # Many-to-many rows too: every session has attendees (a selector that read them
    # one session at a time would show in the query count).
    people = members + staff
    bulk(StudySession.attendees.through, [StudySession.attendees.through(studysession=s, person=p)
                                          for i, s in enumerate(sessions) for p in around(people, i, 4)])
    bulk(StudyAppStat, [StudyAppStat(committee=committee, month=datetime.date(year, m, 1), activity_rate=100, avg_score=45 + m % 3)
                        for m in range(1, 13)])
    bulk(StudyAppStat, [StudyAppStat(committee=committee, branch=b, month=datetime.date(year, m, 1), activity_rate=100,
                                     avg_score=45) for b in branches for m in range(1, 13)])
    bulk(MaterialHandout, [MaterialHandout(committee=committee, date=day(i), title=f"《读本{i}》", scope="member" if i % 2 else "branch")
                           for i in range(4 * factor)])
    bulk(Article, [Article(committee=committee, date=day(i), title=f"稿件{i}", outlet="中国水利报",
                           level=["provincial", "central", "city"][i % 3]) for i in range(14 * factor)])
    bulk(InternalBulletin, [InternalBulletin(committee=committee, series="《形势分析报告》", issue_no=f"{i + 1}", date=day(i))
                            for i in range(3 * factor)])
    channels = Channel.objects.bulk_create(Channel(committee=committee, kind="board", name=f"宣传栏{i}") for i in range(3 * factor))
    bulk(ChannelCheck, [ChannelCheck(committee=committee, channel=c, date=day(i)) for i, c in enumerate(channels)])
    bulk(RoleModel, [RoleModel(committee=committee, year=year, person=staff[i], honour="勤廉兼优") for i in range(factor)])
    bulk(Activity, [Activity(committee=committee, date=day(i), kind=["constitution", "party_building", "festival"][i % 3],
                             title=f"活动{i}", place="局机关") for i in range(12 * factor)])
    return committee


def around(items: list, start: int, n: int) -> list:
    """``n`` different items from ``start`` on, wrapping round."""
    return [items[(start + k) % len(items)] for k in range(min(n, len(items)))]
