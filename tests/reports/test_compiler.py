import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from reports import renderers
from reports.compiler import compile_report
from reports.volume import seed_volume
from study.models import StudySession
from tests import factories as f

from .conftest import EXPECTED, rolled_back, squash


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
    branches = {row["branch"]: row for row in ctx["appendix"]["branches"]["rows"]}
    assert branches["第二党支部"]["quarters"] == [None, None, None, None] and not branches["第二党支部"]["signed"]
    assert branches["第一党支部"]["signed"] and branches["第一党支部"]["quarters"][3] is None


def test_the_appendix_counts_by_month_kind_and_branch(year_data):
    """Summaries only: the records themselves are in the ledger workbook."""
    appendix = compile_report(year_data.committee, 2020)["appendix"]
    by_month = appendix["by_month"]
    column = {c["key"]: i for i, c in enumerate(by_month["columns"])}
    meetings = [row["counts"][column["responsibility.meeting"]] for row in by_month["rows"]]
    assert meetings == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]  # 2019 and 2021 meetings and another committee's left out
    assert by_month["columns"][column["study.session"]]["total"] == 4
    assert by_month["columns"][column["responsibility.talk"]]["total"] == 5  # every talk of the year, in the workbook
    sessions = appendix["sessions"]
    assert [c["key"] for c in sessions["columns"]] == ["central_group", "party_day"]
    assert [row["total"] for row in sessions["rows"]][2:9] == [1, 1, 0, 1, 0, 0, 1]
    assert sessions["total"] == 4
    branches = appendix["branches"]
    first = next(row for row in branches["rows"] if row["branch"] == "第一党支部")
    assert dict(zip([c["key"] for c in branches["columns"]], first["counts"]))["study.session"] == 1
    assert branches["own"][0] == 3  # the central group's sessions belong to no branch
    assert appendix["ledger_filename"] == "alpha-台账-2020.xlsx"


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


# -- volumes: 1x, 10x and 100x the demo's records (last: the module's seeding outlives its tests) --


@pytest.fixture(scope="module")
def volumes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Committees with 1x, 10x and 100x the demo's yearly records (reports.volume), with
    many-to-many rows (sessions' attendees, inspections' branches); seeded once for the
    module, in a transaction rolled back afterwards."""
    with rolled_back(django_db_blocker, tmp_path_factory, "volumes"):
        yield {factor: seed_volume(f"vol-{factor}", factor) for factor in (1, 10, 100)}


def test_query_count_is_flat_from_demo_volume_to_a_hundred_times(volumes, django_db_blocker):
    counts = []
    with django_db_blocker.unblock():
        for committee in (volumes[1], volumes[100]):
            with CaptureQueriesContext(connection) as queries:
                ctx = compile_report(committee, 2020)
            counts.append(len(queries))
        attendees = StudySession.attendees.through.objects.filter(studysession__committee=volumes[100]).count()
    assert counts[0] == counts[1], counts
    assert ctx["figures"]["talks"]["value"] == 8100
    assert ctx["figures"]["central_group"]["value"] == 1100
    assert attendees == 4 * 11900


def test_the_pdf_stops_growing_with_the_records(volumes, django_db_blocker):
    """Named items and branch rows stop at their bounds, the appendix counts:
    ten times more records than 10x (already past every bound) add no page."""
    pages = {}
    with django_db_blocker.unblock():
        for factor in (10, 100):
            pdf = renderers.render_pdf_bytes(renderers.render_html_document(compile_report(volumes[factor], 2020)))
            pages[factor] = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages[100] <= pages[10] <= 12, pages
