"""Issue 13 item 2: a likely duplicate is flagged, not silently saved; it is
saved once the user confirms it ("仍然保存"). Exact duplicates under a unique
rule stay hard errors."""

import datetime

import pytest
from django.urls import reverse

from portal.similar import near_identical, normalise
from publicity.models import Article
from responsibility.models import Talk, TrendAnalysis
from study.models import StudySession
from tests import factories as f

pytestmark = pytest.mark.django_db
d = datetime.date


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("学习《条例》（一）", "学习 条例 (一)", True),  # punctuation, spaces, full-width brackets
        ("ＡＢＣ党课", "abc党课", True),  # full-width letters, case
        ("学习贯彻党的十九届五中全会精神专题党课", "学习贯彻党的十九届五中全会精神专题党课！", True),
        ("学习贯彻党的十九届五中全会精神专题党课", "学习贯彻党的十九届五中全会精神党课", True),  # ratio ≥ 0.9
        ("党课一", "党课二", False),
        ("中心组学习（第一次）", "主题党日活动", False),
    ],
)
def test_near_identical(a, b, same):
    assert near_identical(a, b) is same


def test_normalise_keeps_letters_and_digits_only():
    assert normalise(" 《学习 强国》：２０２０！ ") == "学习强国2020"


def article(**extra):
    return {"date": "2020-07-01", "title": "学习《条例》（一）", "outlet": "中国水利报", "level": "provincial", **extra}


def test_a_likely_duplicate_asks_and_links_then_saves_when_confirmed(world, client_for):
    existing = f.ArticleFactory(committee=world.committee, date=d(2020, 7, 1), title="学习 条例 (一)")
    c = client_for(world.office)
    response = c.post(reverse("publicity:article_create"), article())
    assert response.status_code == 200
    form = response.context["form"]
    [message] = form.errors["title"]
    assert message.startswith("可能重复") and f'href="{reverse("publicity:article_detail", args=[existing.pk])}"' in message
    page = response.content.decode()
    assert page.count("可能重复") == 1 and "仍然保存" in page
    assert Article.objects.count() == 1
    response = c.post(reverse("publicity:article_create"), article(_confirm_duplicate=str(existing.pk)))
    assert response.status_code == 302
    assert Article.objects.count() == 2


def test_a_confirmation_covers_only_the_records_the_user_saw(world, client_for):
    first = f.ArticleFactory(committee=world.committee, date=d(2020, 7, 1), title="学习《条例》（一）")
    f.ArticleFactory(committee=world.committee, date=d(2020, 7, 1), title="学习条例（一）")  # entered meanwhile
    response = client_for(world.office).post(reverse("publicity:article_create"), article(_confirm_duplicate=str(first.pk)))
    assert response.status_code == 200 and "可能重复" in response.context["form"].errors["title"][0]
    assert Article.objects.count() == 2


def test_records_that_merely_look_alike_are_saved_at_once(world, client_for):
    f.ArticleFactory(committee=world.committee, date=d(2020, 7, 1), title="学习《条例》（一）")
    c = client_for(world.office)
    assert c.post(reverse("publicity:article_create"), article(date="2020-07-02")).status_code == 302  # another day
    assert c.post(reverse("publicity:article_create"), article(title="学习《条例》（二）")).status_code == 302
    # Three branches holding the same 主题党日 on the same day is the usual case.
    f.StudySessionFactory(committee=world.committee, kind="party_day", branch=world.branch, theme="主题党日", date=d(2020, 6, 1))
    data = {"date": "2020-06-01", "kind": "party_day", "branch": world.other_branch.pk, "theme": "主题党日", "headcount": "8"}
    assert c.post(reverse("study:session_create"), data).status_code == 302
    data["branch"] = world.branch.pk
    assert "可能重复" in c.post(reverse("study:session_create"), data).context["form"].errors["theme"][0]
    assert StudySession.objects.count() == 2


def test_the_same_talk_pair_on_the_same_day_asks_either_way_round(world, client_for):
    leader, secretary = world.leader.person, world.branch_secretary.person
    talk = f.TalkFactory(committee=world.committee, date=d(2020, 5, 1), talker=leader, talkee=secretary)
    c = client_for(world.office)
    data = {"date": "2020-05-01", "talker": secretary.pk, "talkee": leader.pk, "kind": "谈心"}
    response = c.post(reverse("responsibility:talk_create"), data)
    assert response.status_code == 200
    [message] = response.context["form"].non_field_errors()
    assert "可能重复" in message and reverse("responsibility:talk_detail", args=[talk.pk]) in message
    assert c.post(reverse("responsibility:talk_create"), {**data, "_confirm_duplicate": str(talk.pk)}).status_code == 302
    assert Talk.objects.count() == 2


def test_editing_other_fields_does_not_ask_again(world, client_for):
    f.ArticleFactory(committee=world.committee, date=d(2020, 7, 1), title="学习《条例》（一）")
    twin = f.ArticleFactory(committee=world.committee, date=d(2020, 7, 1), title="学习条例（一）")
    response = client_for(world.office).post(reverse("publicity:article_update", args=[twin.pk]), article(title=twin.title, author="新作者"))
    assert response.status_code == 302
    assert Article.objects.get(pk=twin.pk).author == "新作者"


def test_an_exact_duplicate_stays_a_hard_error_whatever_is_confirmed(world, client_for):
    existing = f.TrendAnalysisFactory(committee=world.committee, branch=world.branch, year=2020, quarter=2, date=d(2020, 6, 20))
    data = {"branch": world.branch.pk, "year": 2020, "quarter": 2, "date": "2020-06-21", "_confirm_duplicate": str(existing.pk)}
    response = client_for(world.office).post(reverse("responsibility:analysis_create"), data)
    assert response.status_code == 200 and "已经录入，不能重复录入" in str(response.context["form"].errors)
    assert "仍然保存" not in response.content.decode()
    assert TrendAnalysis.objects.count() == 1
