import datetime

import pytest

from portal.access import actor_for
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
    qs = selectors.articles_visible_to(actor_for(world.office))
    assert selectors.article_counts_by_level(qs, 2020) == {
        "central": 1,
        "provincial": 1,
        "city": 1,
        "county": 0,
        "internal": 0,
    }
    assert selectors.high_level_article_count(qs, 2020) == 2
    assert selectors.high_level_article_count(qs, 2019) == 1
    assert selectors.high_level_article_count(qs, 2021) == 1


def test_bulletin_and_activity_counts(world):
    c = world.committee
    f.InternalBulletinFactory(committee=c, date=datetime.date(2020, 1, 1))
    f.InternalBulletinFactory(committee=c, date=datetime.date(2020, 12, 31))
    f.InternalBulletinFactory(committee=c, date=datetime.date(2021, 1, 1))
    f.InternalBulletinFactory(committee=c, series="《工作简报》", date=datetime.date(2020, 5, 1))
    qs = selectors.bulletins_visible_to(actor_for(world.office))
    assert selectors.bulletin_counts_by_series(qs, 2020) == {"《形势分析报告》": 2, "《工作简报》": 1}
    f.ActivityFactory(committee=c, kind=Activity.Kind.FESTIVAL, date=datetime.date(2020, 12, 31))
    f.ActivityFactory(committee=c, kind=Activity.Kind.FESTIVAL, date=datetime.date(2019, 12, 31))
    counts = selectors.activity_counts_by_kind(selectors.activities_visible_to(actor_for(world.office)), 2020)
    assert counts["festival"] == 1 and counts["constitution"] == 0


def test_demo_reproduces_the_sample_figures():
    from django.core.management import call_command

    from portal.models import Committee
    from publicity.models import Channel, InternalBulletin, RoleModel

    call_command("seed_demo")
    c = Committee.objects.get(slug="demo")
    articles = Article.objects.filter(committee=c)
    assert selectors.high_level_article_count(articles, 2020) == 9
    assert articles.filter(date__year=2020).count() > 9
    bulletins = InternalBulletin.objects.filter(committee=c)
    assert selectors.bulletin_counts_by_series(bulletins, 2020) == {"《形势分析报告》": 3}
    board = Channel.objects.get(committee=c, kind=Channel.Kind.BOARD)
    assert board.location == "办公大楼一层" and "爱国卫生运动" in board.themes
    assert {ch.kind for ch in Channel.objects.filter(committee=c) if ch.checks.exists()} == {"board", "qq", "wechat"}
    assert RoleModel.objects.filter(committee=c, year=2020, honour="勤廉兼优").count() == 1
    activities = Activity.objects.filter(committee=c, date__year=2020)
    titles = " ".join(activities.values_list("title", flat=True))
    for word in ["宪法宣传周", "湖北省博物馆", "峒山社区", "七夕", "中秋", "重阳", "抗疫小视频"]:
        assert word in titles
