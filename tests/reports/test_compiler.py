import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.compiler import compile_report
from reports.volume import seed_volume
from tests import factories as f

from .conftest import EXPECTED, squash


def sentences(ctx) -> list[str]:
    """Every figure sentence of the body."""
    text = ctx["text"]
    return [s["text"] for key, s in text.items() if key != "activities"] + [s["text"] for s in text["activities"]]


def test_every_figure_computed_from_records(year_data):
    ctx = compile_report(year_data.committee, 2020)
    text = "".join(sentences(ctx))
    for sentence in EXPECTED:
        assert sentence in text, sentence
    assert ctx["figures"]["meetings"]["value"] == 2
    assert ctx["figures"]["talks"]["value"] == 4
    assert ctx["figures"]["central_group"]["ideology_months"] == [6, 9]
    per_member = {p["name"]: p["count"] for p in ctx["appendix"]["talks"]}
    assert set(ctx["appendix"]["talks"][0]) == {"id", "name", "title", "count", "url"}  # never summaries
    assert per_member == {"leader": 3, "副书记": 1}
    assert ctx["text"]["surveys"]["text"] == "，并针对“后疫情”时期党员干部思想动态，进行了专题调研分析"
    assert ctx["appendix"]["matrix"][1]["quarters"] == [None, None, None, None]


def test_no_model_instances_leak_into_the_context(year_data):
    from django.db.models import Model

    def walk(value):
        assert not isinstance(value, Model), value
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(compile_report(year_data.committee, 2020))


def test_full_activity_rate_and_single_ideology_month(world):
    c = world.committee
    for m in range(1, 13):
        f.StudyAppStatFactory(committee=c, month=datetime.date(2020, m, 1), activity_rate=100, avg_score=45.9)
    f.StudySessionFactory(committee=c, kind="central_group", date=datetime.date(2020, 6, 1), is_ideology=True)
    ctx = compile_report(c, 2020)
    assert ctx["figures"]["app"]["sentence"] == "我局学员活跃率长期保持在100%，日人均分基本达到45分以上"
    assert "其中6月份召开了以“意识形态”为主题的党委理论学习中心组学习" in ctx["figures"]["central_group"]["sentence"]


def test_letters_all_signed_omit_the_unsigned_clause(world):
    for b in (world.branch, world.other_branch):
        f.ResponsibilityLetterFactory(committee=world.committee, branch=b, year=2020, status="complete")
    assert compile_report(world.committee, 2020)["figures"]["letters"]["sentence"] == "2个党支部签订了意识形态工作责任书"


def test_year_without_records_says_none_were_recorded(world):
    ctx = compile_report(world.committee, 2015)
    assert ctx["has_data"] is False
    text = "".join(sentences(ctx))
    assert "0次" not in text and "0篇" not in text and "0期" not in text
    assert "未记录" in ctx["figures"]["meetings"]["sentence"]
    assert all(not fig["recorded"] for fig in ctx["figures"].values())
    for key in ("tasks", "inspections", "handouts", "channels", "role_models"):
        assert "未记录" in ctx["text"][key]["text"], key
    assert [s["text"] for s in ctx["text"]["activities"]] == ["本年度未记录宣传教育和文明创建活动。"]
    assert ctx["text"]["article_levels"]["text"] == ctx["text"]["session_kinds"]["text"] == ""


def test_year_over_year_only_when_previous_year_has_data(year_data):
    ctx = compile_report(year_data.committee, 2020)
    assert ctx["previous_year"] == 2019
    meetings = next(r for r in ctx["yoy"] if r["label"] == "党委专题研究意识形态工作")
    assert (meetings["value"], meetings["previous"]) == (2, 1)
    assert compile_report(year_data.committee, 2019 - 5)["previous_year"] is None


def test_suggestions_come_from_the_records(year_data):
    ctx = compile_report(year_data.committee, 2020)
    joined = "".join(ctx["suggestions"])
    assert "第一党支部第4季度思想动态分析未开展或未记录" in joined
    assert "第二党支部尚未签订2020年度意识形态工作责任书" in joined
    assert "7月份“学习强国”学员活跃率未达到100%" in joined
    # 3 articles at 省部级+ in 2020 against 1 in 2019: no "fewer articles" suggestion
    assert "少于上年" not in joined


@pytest.mark.django_db
def test_query_count_is_flat_from_demo_volume_to_ten_times():
    small = seed_volume("vol-1", 1)
    large = seed_volume("vol-10", 10)
    counts = []
    for committee in (small, large):
        with CaptureQueriesContext(connection) as queries:
            ctx = compile_report(committee, 2020)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert ctx["figures"]["talks"]["value"] == 810
    assert ctx["figures"]["central_group"]["value"] == 110


def test_figure_sentences_have_no_stray_whitespace(year_data):
    for sentence in sentences(compile_report(year_data.committee, 2020)):
        assert squash(sentence) == sentence


def test_ideology_tasks_with_none_closed_on_time_say_so_in_words(world):
    c, d = world.committee, datetime.date
    f.MonthlyTaskFactory(committee=c, month=d(2020, 3, 1), is_ideology=False, done_on=d(2020, 3, 2))
    assert compile_report(c, 2020)["text"]["tasks"]["text"] == "全年列入月销单任务1项，其中未列入意识形态工作任务"
    f.MonthlyTaskFactory(committee=c, month=d(2020, 4, 1), is_ideology=True, done_on=d(2020, 5, 1))
    f.MonthlyTaskFactory(committee=c, month=d(2020, 5, 1), is_ideology=True)
    assert compile_report(c, 2020)["text"]["tasks"]["text"] == "全年列入月销单任务3项，其中意识形态工作任务2项，均未按月销号"
