"""The demo bureau's 2020 study records (section 2 of the sample report).

Idempotent: every row is found by its natural key before it is created, and
attendees are only set on the rows created in this run.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import MaterialHandout, StudyAppStat, StudySession

YEAR = 2020
K = StudySession.Kind

# "全年共开展了11次党委理论学习中心组学习，其中6月份召开了以“意识形态”为主题的…":
# eleven sessions (none in February, the first epidemic month), June's on ideology.
CENTRAL_GROUP = [
    (1, 16, "学习习近平新时代中国特色社会主义思想和党的十九届四中全会精神", False),
    (3, 20, "学习习近平总书记关于统筹推进疫情防控和经济社会发展的重要讲话精神", False),
    (4, 24, "学习《习近平谈治国理政》有关论述", False),
    (5, 29, "学习全国两会精神", False),
    (6, 19, "学习习近平总书记关于意识形态工作的重要论述，研究部署意识形态工作", True),
    (7, 17, "学习习近平总书记“七一”重要讲话精神，巩固“不忘初心、牢记使命”主题教育成果", False),
    (8, 21, "学习习近平总书记关于治水的重要论述", False),
    (9, 18, "学习《中国共产党党和国家机关基层组织工作条例》", False),
    (10, 23, "学习《习近平谈治国理政》第三卷", False),
    (11, 13, "学习党的十九届五中全会精神", False),
    (12, 18, "学习《中共中央关于制定国民经济和社会发展第十四个五年规划和二O三五年远景目标的建议》", False),
]

PARTY_DAY_THEMES = [
    "重温入党誓词", "学习抗疫先进事迹", "学雷锋志愿服务", "学习《习近平谈治国理政》",
    "“不忘初心、牢记使命”专题学习", "庆祝建党99周年", "学习“两学一做”常态化制度化要求", "防汛抗洪一线党员先锋岗",
    "学习新修订的《中国共产党纪律处分条例》", "庆祝新中国成立71周年", "学习党的十九届五中全会公报", "学习宪法",
]

# (kind, months, day, theme) — "三会一课" of every branch.
BRANCH_ROUTINE = [
    (K.GENERAL_MEETING, (3, 6, 9, 12), 10, "支部党员大会（第{q}季度）"),
    (K.BRANCH_COMMITTEE, tuple(range(1, 13)), 5, "支委会（{m}月）"),
    (K.GROUP_MEETING, (3, 6, 9, 12), 12, "党小组会（第{q}季度）"),
    (K.PARTY_LECTURE, (3, 6, 9, 12), 25, "支部书记讲党课（第{q}季度）"),
]

# Unit-level 学习强国 figures: 100 % every month, daily averages of 45 or more
# whose mean (45.7) the report rounds down to "45分以上".
UNIT_SCORES = ["45.2", "45.6", "46.1", "45.3", "45.8", "45.1", "45.5", "46.3", "45.4", "45.9", "45.7", "46.5"]

HANDOUTS = [
    (datetime.date(YEAR, 11, 10), "《中共中央关于制定国民经济和社会发展第十四个五年规划和二O三五年远景目标的建议》", MaterialHandout.Scope.MEMBER),
    (datetime.date(YEAR, 11, 20), "《党的十九届五中全会〈建议〉学习辅导百问》", MaterialHandout.Scope.MEMBER),
    (datetime.date(YEAR, 7, 1), "《习近平谈治国理政（第三卷）》", MaterialHandout.Scope.BRANCH),
    (datetime.date(YEAR, 7, 1), "《光辉的历程》", MaterialHandout.Scope.BRANCH),
]


def seed(org) -> None:
    _central_group(org)
    for branch in org.branches:
        _branch_sessions(org, branch)
    _app_stats(org)
    _handouts(org)


def _session(org, *, date, kind, theme, branch=None, host=None, attendees=(), is_ideology=False, content=""):
    session, created = StudySession.objects.get_or_create(
        committee=org.committee,
        date=date,
        kind=kind,
        theme=theme,
        defaults={
            "branch": branch,
            "host": host,
            "is_ideology": is_ideology,
            "content": content,
            "created_by": org.office_user,
        },
    )
    if created and attendees:
        session.attendees.set(attendees)
    return session


def _central_group(org) -> None:
    members = org.committee_members
    for month, day, theme, ideology in CENTRAL_GROUP:
        _session(
            org,
            date=datetime.date(YEAR, month, day),
            kind=K.CENTRAL_GROUP,
            theme=theme,
            host=org.secretary,
            attendees=members,
            is_ideology=ideology,
            content=theme,
        )


def _branch_sessions(org, branch) -> None:
    people = [p for p in org.people.values() if p.branch_id == branch.pk]
    host = branch.secretary
    for month, theme in enumerate(PARTY_DAY_THEMES, start=1):
        _session(
            org,
            date=datetime.date(YEAR, month, 20),
            kind=K.PARTY_DAY,
            theme=f"{branch.name}主题党日：{theme}",
            branch=branch,
            host=host,
            attendees=people,
            is_ideology=month == 6,
        )
    for kind, months, day, template in BRANCH_ROUTINE:
        for month in months:
            theme = template.format(q=(month - 1) // 3 + 1, m=month)
            _session(
                org,
                date=datetime.date(YEAR, month, day),
                kind=kind,
                theme=f"{branch.name}{theme}",
                branch=branch,
                host=host,
                attendees=people,
            )


def _app_stats(org) -> None:
    for month, score in enumerate(UNIT_SCORES, start=1):
        _stat(org, month, None, Decimal("100"), Decimal(score))
    for index, branch in enumerate(org.branches):
        for month, score in enumerate(UNIT_SCORES, start=1):
            _stat(org, month, branch, Decimal("100"), Decimal(score) + Decimal(index - 1) / 2)


def _stat(org, month: int, branch, rate: Decimal, score: Decimal) -> None:
    StudyAppStat.objects.get_or_create(
        committee=org.committee,
        month=datetime.date(YEAR, month, 1),
        branch=branch,
        defaults={"activity_rate": rate, "avg_score": score, "created_by": org.office_user},
    )


def _handouts(org) -> None:
    members = sum(1 for p in org.people.values() if p.is_party_member)
    for date, title, scope in HANDOUTS:
        quantity = members if scope == MaterialHandout.Scope.MEMBER else len(org.branches)
        MaterialHandout.objects.get_or_create(
            committee=org.committee,
            date=date,
            title=title,
            defaults={"scope": scope, "quantity": quantity, "created_by": org.office_user},
        )
