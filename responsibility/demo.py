"""The demo bureau's 2020 responsibility records (section 1 of the sample report).

"党委专题研究了2次意识形态工作" → two flagged committee meetings among others;
"局党委班子成员共开展了81次交心谈心" → 81 talks by committee members (talks by
others are seeded too and must not count); "每季度开展一次思想动态分析…“后疫情”"
→ every branch's four analyses with a special survey; the work documents the
report names; 月销单 tasks with ideology items; inspections by meeting and by
research; letters signed online by every branch and countersigned.

Idempotent: each kind of record is created in bulk only when the committee has
none for 2020 yet; letters are found by (branch, year, version).
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from pathlib import Path

from django.conf import settings

from portal.chains import chain_append

from .models import (
    LETTER_EVENTS_CHAIN,
    Assignment,
    CommitteeMeeting,
    Inspection,
    LetterEvent,
    LetterSignature,
    MonthlyTask,
    ResponsibilityLetter,
    Talk,
    TrendAnalysis,
    WorkDocument,
)
from .services import body_hash, letter_template

YEAR = 2020
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, minute, tzinfo=TZ)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


MEETINGS = [
    (1, 10, "党委会：研究部署2020年党建和党风廉政建设工作", False),
    (2, 3, "党委会：研究部署新冠肺炎疫情防控工作", False),
    (3, 12, "党委会：专题研究意识形态工作，审议《2020年意识形态工作方案》和两个责任清单", True),
    (4, 16, "党委会：研究复工复产和防汛准备工作", False),
    (5, 21, "党委会：研究干部教育培训工作", False),
    (7, 9, "党委会：专题研究意识形态工作，分析研判上半年意识形态形势", True),
    (8, 13, "党委会：研究防汛抗洪总结表彰工作", False),
    (10, 15, "党委会：研究党的十九届五中全会精神学习安排", False),
    (12, 17, "党委会：研究年度考核和民主生活会准备工作", False),
]

# "局党委班子成员共开展了81次交心谈心": talks per committee member, in org order.
MEMBER_TALKS = {"张建国": 20, "李卫东": 18, "王志强": 15, "刘红梅": 14, "陈明": 14}
OTHER_TALKS = [("赵敏", "郑华"), ("赵敏", "冯洁"), ("孙丽", "钱程"), ("周涛", "许静"), ("吴刚", "朱琳")]
TALK_KINDS = ["谈心谈话", "思想动态谈话", "提醒谈话", "任职谈话"]

DOCUMENTS = [
    (d(3, 12), WorkDocument.Kind.PLAN, "2020年意识形态工作方案"),
    (d(3, 12), WorkDocument.Kind.LIST, "局党委意识形态工作主体责任清单"),
    (d(3, 12), WorkDocument.Kind.LIST, "班子成员意识形态工作“一岗双责”责任清单"),
    (d(1, 14), WorkDocument.Kind.STUDY_PLAN, "2020年党委理论学习中心组学习计划"),
]

BRANCH_TASKS = ["组织开展本月意识形态专题学习", "开展支部主题党日活动", "报送本月“学习强国”学习情况"]
COMMITTEE_TASKS = ["召开党委理论学习中心组学习会", "检查宣传栏和网络阵地管理情况"]
# (month, branch index) of the two tasks closed after their month.
LATE_TASKS = {(2, 1), (8, 2)}

INSPECTIONS = [
    (d(6, 30), Inspection.Form.MEETING, (0, 1, 2), "上半年意识形态工作推进会督导：个别支部学习记录不够完整。", "已补齐学习记录，规范台账。", d(7, 20)),
    (d(9, 10), Inspection.Form.RESEARCH, (2,), "赴基层测站调研督导：测站职工微信群管理需加强。", "明确群管理员，建立群规。", d(9, 30)),
    (d(11, 5), Inspection.Form.RESEARCH, (1,), "赴机关第二党支部调研督导：思想动态分析针对性有待提高。", "结合“后疫情”时期思想动态开展专题分析。", d(11, 30)),
    (d(12, 22), Inspection.Form.MEETING, (0, 1, 2), "年终意识形态工作责任制落实情况督导检查。", "", None),
]

ANALYSIS_DATES = {1: d(4, 8), 2: d(7, 7), 3: d(10, 12), 4: d(12, 28)}
SURVEY_QUARTER = 2


def seed(org) -> None:
    _assignments(org)
    _documents(org.committee, org.office_user)
    _meetings(org)
    _talks(org)
    _analyses(org)
    _tasks(org)
    _inspections(org)
    _letters(org)


def _has(model, org, **filters) -> bool:
    return model.all_objects.filter(committee=org.committee, **filters).exists()


def _base(org, when: datetime.datetime) -> dict:
    return {"committee": org.committee, "created_by": org.office_user, "created_at": when}


def _assignments(org) -> None:
    if _has(Assignment, org, year=YEAR):
        return
    p = org.people
    rows = [
        (p["张建国"], Assignment.Kind.FIRST, "全局意识形态工作"),
        (p["李卫东"], Assignment.Kind.DIRECT, "协助书记统筹协调、推动落实意识形态工作"),
        (p["王志强"], Assignment.Kind.DUAL, "分管水情科、站网科"),
        (p["刘红梅"], Assignment.Kind.DUAL, "分管纪检、财务科"),
        (p["陈明"], Assignment.Kind.DUAL, "分管水资源科、基层测站"),
    ]
    for name in ("赵敏", "钱程", "何平", "韩磊", "蒋勇", "杨帆", "秦峰"):
        rows.append((p[name], Assignment.Kind.DUAL, p[name].title))
    rows = [(person, kind, scope, None) for person, kind, scope in rows]
    # The branch secretaries sign their branch's letter (张建国, 第一责任人, countersigns).
    for name, branch in zip(("孙丽", "周涛", "吴刚"), org.branches):
        rows.append((p[name], Assignment.Kind.BRANCH, p[name].title, branch))
    Assignment.objects.bulk_create(
        [
            # The demo's people sat on the committee in 2020 as their flags say today.
            Assignment(year=YEAR, person=person, kind=kind, scope=scope, branch=branch,
                       committee_member=person.is_committee_member, **_base(org, at(1, 8)))
            for person, kind, scope, branch in rows
        ]
    )


def _documents(committee, office) -> None:
    if WorkDocument.all_objects.filter(committee=committee, date__year=YEAR).exists():
        return
    WorkDocument.objects.bulk_create(
        [
            WorkDocument(committee=committee, created_by=office, created_at=at(day.month, day.day), date=day, kind=kind, title=title)
            for day, kind, title in DOCUMENTS
        ]
    )


def _meetings(org) -> None:
    if _has(CommitteeMeeting, org, date__year=YEAR):
        return
    CommitteeMeeting.objects.bulk_create(
        [
            CommitteeMeeting(date=d(m, day), title=title, is_ideology=flag, host=org.secretary, agenda=title.split("：", 1)[1], **_base(org, at(m, day, 17)))
            for m, day, title, flag in MEETINGS
        ]
    )


def _talks(org) -> None:
    if _has(Talk, org, date__year=YEAR):
        return
    talkees = [p for p in org.people.values() if not p.is_committee_member]
    talks, n = [], 0
    for talker_name, count in MEMBER_TALKS.items():
        for i in range(count):
            month, day = i % 12 + 1, 3 + (n * 7) % 25
            talkee = talkees[n % len(talkees)]
            talks.append(
                Talk(
                    date=d(month, day),
                    talker=org.people[talker_name],
                    talkee=talkee,
                    kind=TALK_KINDS[n % len(TALK_KINDS)],
                    summary=f"与{talkee.name}同志交流思想和工作情况，了解疫情期间家庭困难，鼓励其发挥党员作用。",
                    **_base(org, at(month, day, 16)),
                )
            )
            n += 1
    for i, (talker, talkee) in enumerate(OTHER_TALKS):
        talks.append(
            Talk(date=d(2 * i + 2, 18), talker=org.people[talker], talkee=org.people[talkee], kind="谈心谈话",
                 summary="了解思想动态。", **_base(org, at(2 * i + 2, 18, 16)))
        )
    Talk.objects.bulk_create(talks)


def _analyses(org) -> None:
    if _has(TrendAnalysis, org, year=YEAR):
        return
    rows = []
    for branch in org.branches:
        for quarter, day in ANALYSIS_DATES.items():
            survey = quarter == SURVEY_QUARTER
            rows.append(
                TrendAnalysis(
                    branch=branch,
                    year=YEAR,
                    quarter=quarter,
                    date=day,
                    topic="“后疫情”时期党员干部思想动态专题调研分析" if survey else f"第{quarter}季度党员干部思想动态分析",
                    findings="党员干部思想总体稳定，对疫情防控和复工复产认识到位；个别职工存在焦虑情绪。",
                    measures="加强谈心谈话和人文关怀，及时回应职工关切。",
                    is_special_survey=survey,
                    survey_topic="后疫情" if survey else "",
                    **_base(org, at(day.month, day.day, 15)),
                )
            )
    TrendAnalysis.objects.bulk_create(rows)


def _tasks(org) -> None:
    if _has(MonthlyTask, org, month__year=YEAR):
        return
    secretaries = {b.pk: b.secretary.user for b in org.branches}
    rows = []
    for month in range(1, 13):
        first = d(month, 1)
        for title in COMMITTEE_TASKS:
            rows.append(MonthlyTask(month=first, task=title, branch=None, is_ideology=True, done_on=d(month, 25), done_by=org.office_user, **_base(org, at(month, 1))))
        for index, branch in enumerate(org.branches):
            for j, title in enumerate(BRANCH_TASKS):
                late = j == 0 and (month, index) in LATE_TASKS
                done = (first.replace(day=28) + datetime.timedelta(days=10)) if late else d(month, 20 + index)
                rows.append(
                    MonthlyTask(month=first, task=title, branch=branch, is_ideology=j != 1, done_on=done,
                                done_by=secretaries[branch.pk], **_base(org, at(month, 1)))
                )
    MonthlyTask.objects.bulk_create(rows)


def _inspections(org) -> None:
    if _has(Inspection, org, date__year=YEAR):
        return
    for day, form, branch_indexes, findings, rectification, closed in INSPECTIONS:
        inspection = Inspection.objects.create(
            date=day, form=form, findings=findings, rectification=rectification, closed_on=closed,
            **_base(org, at(day.month, day.day, 17)),
        )
        inspection.branches.set([org.branches[i] for i in branch_indexes])


# -- letters signed online -----------------------------------------------------------

UKAI_FONTS = [Path("/usr/share/fonts/truetype/arphic/ukai.ttc"), Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")]


def signature_png(name: str) -> bytes:
    """A handwriting-like image of the name (AR PL UKai when installed, strokes otherwise)."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    font_path = next((p for p in UKAI_FONTS if p.exists()), None)
    if font_path is not None:
        font = ImageFont.truetype(str(font_path), 72)
        draw.text((20, 18), name, font=font, fill=(20, 20, 60, 255))
    else:
        seed = sum(ord(c) for c in name)
        points = [(20 + i * 16, 60 + ((seed * (i + 3)) % 50) - 25) for i in range(20)]
        draw.line(points, fill=(20, 20, 60, 255), width=4, joint="curve")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _letters(org) -> None:
    secretary = org.secretary
    for index, branch in enumerate(org.branches):
        if ResponsibilityLetter.all_objects.filter(committee=org.committee, branch=branch, year=YEAR, version=1).exists():
            continue
        title, body = letter_template(committee=org.committee, branch=branch, year=YEAR, duties="")
        issued = at(1, 15, 9)
        letter = ResponsibilityLetter.objects.create(
            branch=branch, year=YEAR, title=title, body=body, body_sha256=body_hash(body),
            status=ResponsibilityLetter.Status.COMPLETE, issued_at=issued, **_base(org, at(1, 14, 9)),
        )
        branch_person = branch.secretary
        signed = at(1, 16 + index, 10)
        countersigned = at(1, 21, 15, index)
        LetterSignature.objects.bulk_create(
            [
                LetterSignature(letter=letter, role=LetterSignature.Role.BRANCH, signer=branch_person.user, signer_name=branch_person.name,
                                signed_at=signed, ip="10.0.0.2", user_agent="demo", image=signature_png(branch_person.name), body_sha256=letter.body_sha256),
                LetterSignature(letter=letter, role=LetterSignature.Role.COMMITTEE, signer=secretary.user, signer_name=secretary.name,
                                signed_at=countersigned, ip="10.0.0.1", user_agent="demo", image=signature_png(secretary.name), body_sha256=letter.body_sha256),
            ]
        )
        office_name = next(p.name for p in org.people.values() if p.user_id == org.office_user.pk)
        events = [
            (LetterEvent.Kind.CREATED, org.office_user, office_name, at(1, 14, 9), ""),
            (LetterEvent.Kind.ISSUED, org.office_user, office_name, issued, f"SHA-256 {letter.body_sha256}"),
            (LetterEvent.Kind.VIEWED, branch_person.user, branch_person.name, signed - datetime.timedelta(minutes=5), ""),
            (LetterEvent.Kind.SIGNED, branch_person.user, branch_person.name, signed, f"SHA-256 {letter.body_sha256}"),
            (LetterEvent.Kind.VIEWED, secretary.user, secretary.name, countersigned - datetime.timedelta(minutes=3), ""),
            (LetterEvent.Kind.COUNTERSIGNED, secretary.user, secretary.name, countersigned, f"SHA-256 {letter.body_sha256}"),
        ]
        for kind, user, name, when, detail in events:
            event = LetterEvent.objects.create(letter=letter, kind=kind, actor=user, actor_name=name, at=when, detail=detail)
            chain_append(chain_key=LETTER_EVENTS_CHAIN, link=event)
