import datetime
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests import factories as f


def squash(text: str) -> str:
    """Whitespace ignored: PDF text extraction and HTML line breaks differ."""
    return re.sub(r"\s+", "", text)


def page_text(html: str) -> str:
    """What a reader sees of a page: tags (e.g. the figure links inside a sentence) and whitespace removed."""
    return squash(re.sub(r"<[^>]+>", "", html))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, whitespace and the page numbers ("— 2 —") removed."""
    import io

    from pypdf import PdfReader

    return re.sub(r"—\d+—", "", squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)))


@contextmanager
def rolled_back(django_db_blocker, tmp_path_factory, name: str):
    """Database work of a module-scoped fixture (made once for its module): in a
    transaction rolled back afterwards, with media and seal directories of its own as
    tests/conftest.py gives each test."""
    files = tmp_path_factory.mktemp(name)
    with override_settings(MEDIA_ROOT=files / "media", SEAL_DIR=files / "seal"), django_db_blocker.unblock(), \
            transaction.atomic():
        yield
        transaction.set_rollback(True)


def demo_context() -> dict:
    """The compiled 2020 report of the demo bureau (seed_demo)."""
    from portal.models import Committee
    from reports.selectors import report_context, report_of_year

    call_command("seed_demo", verbosity=0)
    committee = Committee.objects.get(slug="demo")
    return report_context(committee, 2020, report_of_year(committee, 2020))


@pytest.fixture
def year_data(world):
    """2020 records of committee alpha, with decoys that must not count:
    records just outside the year, another committee's, talks by non-members,
    branch-level 学习强国 rows."""
    c, other = world.committee, world.other_committee
    leader = world.leader.person
    member2 = f.PersonFactory(committee=c, name="副书记", is_committee_member=True, branch=world.branch)
    plain = f.PersonFactory(committee=c, name="普通党员", branch=world.branch)
    d = datetime.date
    for day in (d(2020, 1, 1), d(2020, 12, 31)):
        f.CommitteeMeetingFactory(committee=c, date=day, is_ideology=True)
    f.CommitteeMeetingFactory(committee=c, date=d(2020, 5, 1), is_ideology=False)
    f.CommitteeMeetingFactory(committee=c, date=d(2019, 12, 31), is_ideology=True)
    f.CommitteeMeetingFactory(committee=c, date=d(2021, 1, 1), is_ideology=True)
    f.CommitteeMeetingFactory(committee=other, date=d(2020, 6, 1), is_ideology=True)

    for i in range(3):
        f.TalkFactory(committee=c, talker=leader, talkee=plain, date=d(2020, 3, i + 1))
    f.TalkFactory(committee=c, talker=member2, talkee=plain, date=d(2020, 12, 31))
    f.TalkFactory(committee=c, talker=plain, talkee=member2, date=d(2020, 4, 1))  # non-member talker
    f.TalkFactory(committee=c, talker=leader, talkee=plain, date=d(2019, 12, 31))
    f.TalkFactory(committee=other)

    f.ResponsibilityLetterFactory(committee=c, branch=world.branch, year=2020, status="complete")
    f.ResponsibilityLetterFactory(committee=c, branch=world.other_branch, year=2020, status="issued")
    f.ResponsibilityLetterFactory(committee=c, branch=world.other_branch, year=2019, status="complete")

    for q in (1, 2, 3):
        f.TrendAnalysisFactory(committee=c, branch=world.branch, year=2020, quarter=q,
                               is_special_survey=q == 2, survey_topic="后疫情" if q == 2 else "")
    f.TrendAnalysisFactory(committee=c, branch=world.other_branch, year=2019, quarter=4)

    for month, ideology in ((3, False), (6, True), (9, True)):
        f.StudySessionFactory(committee=c, kind="central_group", date=d(2020, month, 10), is_ideology=ideology)
    f.StudySessionFactory(committee=c, kind="central_group", date=d(2021, 1, 5), is_ideology=True)
    f.StudySessionFactory(committee=c, kind="party_day", branch=world.branch, date=d(2020, 4, 1), is_ideology=True)
    f.StudySessionFactory(committee=other, kind="central_group", date=d(2020, 4, 1))

    for m in range(1, 13):
        f.StudyAppStatFactory(committee=c, month=d(2020, m, 1), activity_rate=Decimal("98.5") if m == 7 else 100,
                              avg_score=Decimal("44.5") if m % 2 else Decimal("45"))
    f.StudyAppStatFactory(committee=c, branch=world.branch, month=d(2020, 7, 1), activity_rate=50, avg_score=10)
    f.StudyAppStatFactory(committee=c, month=d(2019, 7, 1), activity_rate=10, avg_score=1)

    for level in ("provincial", "provincial", "central", "city"):
        f.ArticleFactory(committee=c, level=level, date=d(2020, 8, 1))
    f.ArticleFactory(committee=c, level="provincial", date=d(2019, 8, 1))
    f.ArticleFactory(committee=other, level="central", date=d(2020, 8, 1))

    for i in range(3):
        f.InternalBulletinFactory(committee=c, series="《形势分析报告》", issue_no=f"2020-{i}", date=d(2020, 2 + i, 1))
    f.InternalBulletinFactory(committee=c, series="工作简报", issue_no="1", date=d(2020, 10, 1))
    f.InternalBulletinFactory(committee=c, series="工作简报", issue_no="2019-1", date=d(2019, 10, 1))
    # Monthly tasks: "按月销号" counts ideology tasks closed within their month, nothing else.
    for month, done_on, ideology in (
        (d(2020, 3, 1), d(2020, 3, 20), True),
        (d(2020, 4, 1), d(2020, 5, 2), True),  # closed late
        (d(2020, 5, 1), None, True),  # still open
        (d(2020, 12, 1), d(2020, 12, 31), True),
        (d(2020, 6, 1), d(2020, 6, 10), False),  # on time, but not an ideology task
        (d(2020, 7, 1), d(2020, 7, 10), False),
        (d(2019, 12, 1), d(2019, 12, 2), True),
    ):
        f.MonthlyTaskFactory(committee=c, month=month, done_on=done_on, is_ideology=ideology)
    f.MonthlyTaskFactory(committee=other, month=d(2020, 3, 1), done_on=d(2020, 3, 2))
    for day, form in ((d(2020, 3, 1), "meeting"), (d(2020, 9, 1), "meeting"), (d(2020, 10, 1), "check")):
        f.InspectionFactory(committee=c, date=day, form=form)
    f.InspectionFactory(committee=c, date=d(2019, 3, 1), form="research")
    f.MaterialHandoutFactory(committee=c, title="习近平谈治国理政（第三卷）", scope="branch")
    f.ActivityFactory(committee=c, kind="constitution", title="宪法宣传周学习会")
    f.ActivityFactory(committee=c, kind="party_building", title="参观湖北省博物馆")
    return world


EXPECTED = [
    "党委专题研究了2次意识形态工作",
    "1个党支部签订了意识形态工作责任书，1个党支部尚未签订",
    "局党委班子成员共开展了4次交心谈心",
    "思想动态分析应开展8次，实际开展3次",
    "全年共开展了3次党委理论学习中心组学习，其中6、9月份召开了以“意识形态”为主题的党委理论学习中心组学习",
    "学员活跃率保持在98.5%以上，日人均分基本达到44分以上",
    "全年列入月销单任务6项，其中意识形态工作任务4项，按月销号2项",
    "利用会议和调研等形式开展督导检查3次（专项检查1次、会议督导2次）",
    "全年共发布宣传稿件4篇，其中中央级1篇、省部级2篇、市级1篇，",
    "在省部级及以上媒体上发布3篇文章",
    "发布了3期《形势分析报告》",
    "发布了1期《工作简报》",
]
