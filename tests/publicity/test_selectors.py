import datetime

import pytest
from django.utils import timezone

from portal import figures
from publicity import selectors
from publicity.models import Activity, Article
from tests import factories as f

pytestmark = pytest.mark.django_db
L = Article.Level


def test_article_counts_per_level_respect_year_boundaries(world):
    c = world.committee
    f.ArticleFactory(committee=c, date=datetime.date(2019, 12, 31), level=L.CENTRAL)
    f.ArticleFactory(committee=c, date=datetime.date(2020, 1, 1), level=L.CENTRAL)
    f.ArticleFactory(committee=c, date=datetime.date(2020, 12, 31), level=L.PROVINCIAL)
    f.ArticleFactory(committee=c, date=datetime.date(2020, 6, 1), level=L.CITY)
    f.ArticleFactory(committee=c, date=datetime.date(2021, 1, 1), level=L.PROVINCIAL)
    f.ArticleFactory(committee=world.other_committee, date=datetime.date(2020, 6, 1), level=L.CENTRAL)
    assert selectors.article_counts_by_level(c, 2020) == {
        "central": 1,
        "provincial": 1,
        "city": 1,
        "county": 0,
        "internal": 0,
    }
    assert list(selectors.article_counts_by_level(c, 2020)) == ["central", "provincial", "city", "county", "internal"]
    assert selectors.articles_provincial_plus(c, 2020).count() == 2
    assert selectors.articles_provincial_plus(c, 2019).count() == 1
    assert selectors.articles_provincial_plus(c, 2021).count() == 1


def test_bulletin_and_activity_counts(world):
    c = world.committee
    f.InternalBulletinFactory(committee=c, date=datetime.date(2020, 1, 1))
    f.InternalBulletinFactory(committee=c, date=datetime.date(2020, 12, 31))
    f.InternalBulletinFactory(committee=c, date=datetime.date(2021, 1, 1))
    f.InternalBulletinFactory(committee=c, series="《工作简报》", date=datetime.date(2020, 5, 1))
    assert selectors.bulletin_counts_by_series(c, 2020) == {"《形势分析报告》": 2, "《工作简报》": 1}
    assert figures.value("bulletin_issues", c, 2020) == 3
    assert figures.value("bulletin_issues_of_series:《工作简报》", c, 2020) == 1
    f.ActivityFactory(committee=c, kind=Activity.Kind.FESTIVAL, date=datetime.date(2020, 12, 31))
    f.ActivityFactory(committee=c, kind=Activity.Kind.FESTIVAL, date=datetime.date(2019, 12, 31))
    assert figures.value("activities_by_kind:festival", c, 2020) == 1
    assert figures.value("activities_by_kind:constitution", c, 2020) == 0
    assert figures.value("activities", c, 2020) == 1


def test_channels_supervised_in_the_year_by_live_checks(world):
    c = world.committee
    checked, late, trashed, never = (f.ChannelFactory(committee=c) for _ in range(4))
    f.ChannelCheckFactory(committee=c, channel=checked, date=datetime.date(2020, 12, 31))
    f.ChannelCheckFactory(committee=c, channel=checked, date=datetime.date(2020, 3, 1))
    f.ChannelCheckFactory(committee=c, channel=late, date=datetime.date(2021, 1, 1))
    f.ChannelCheckFactory(committee=c, channel=trashed, date=datetime.date(2020, 3, 1), deleted_at=timezone.now())
    assert list(selectors.channels_supervised(c, 2020)) == [checked]
    assert set(selectors.channels(c, 2020)) == {checked, late, trashed, never}


def test_demo_reproduces_the_sample_figures():
    from django.core.management import call_command

    from portal.models import Committee
    from publicity.models import Channel, RoleModel

    call_command("seed_demo")
    c = Committee.objects.get(slug="demo")
    assert selectors.articles_provincial_plus(c, 2020).count() == 9
    assert selectors.articles(c, 2020).count() > 9
    assert selectors.bulletin_counts_by_series(c, 2020) == {"《形势分析报告》": 3}
    board = Channel.objects.get(committee=c, kind=Channel.Kind.BOARD)
    assert board.location == "办公大楼一层" and "爱国卫生运动" in board.themes
    assert {ch.kind for ch in selectors.channels_supervised(c, 2020)} == {"board", "qq", "wechat"}
    assert RoleModel.objects.filter(committee=c, year=2020, honour="勤廉兼优").count() == 1
    activities = Activity.objects.filter(committee=c, date__year=2020)
    titles = " ".join(activities.values_list("title", flat=True))
    for word in ["宪法宣传周", "湖北省博物馆", "峒山社区", "七夕", "中秋", "重阳", "抗疫小视频"]:
        assert word in titles
