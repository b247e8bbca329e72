import datetime

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_dashboard_shows_study_and_publicity_figures_to_the_office(world, client_for):
    c = world.committee
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 6, 19), is_ideology=True)
    f.StudySessionFactory(committee=c, date=datetime.date(2020, 7, 19))
    f.StudyAppStatFactory(committee=c, month=datetime.date(2020, 1, 1), activity_rate=97, avg_score="45.5")
    f.ArticleFactory(committee=c, level="central")
    f.InternalBulletinFactory(committee=c)
    body = client_for(world.office).get(reverse("dashboard") + "?year=2020").content.decode()
    assert "党委理论学习中心组学习 2 次" in body and "以“意识形态”为主题：6月" in body
    assert "最低活跃率 97%" in body and "日人均积分 45.50" in body
    assert "在省部级及以上媒体发布 1 篇文章" in body and "发布 1 期《形势分析报告》" in body


def test_branch_secretary_dashboard_has_no_committee_figures(world, client_for):
    f.StudySessionFactory(committee=world.committee)
    body = client_for(world.branch_secretary).get(reverse("dashboard") + "?year=2020").content.decode()
    assert "study-panel" not in body and "publicity-panel" not in body
