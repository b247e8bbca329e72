"""Property (issue 13 item 1): for any record, the record form and the ledger
import agree — both accept it, or both refuse it at the same place (the
form's field is the workbook's column)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.access import actor_for
from portal.ledger.importer import ledger_import
from portal.ledger.sheets import ledger_sheets
from portal.registry import RECORD_TYPES
from publicity.models import Activity
from study.models import MaterialHandout, StudySession

from .rules_helpers import form_data, ledger_file

TODAY = datetime.date.today()
DATES = st.dates(datetime.date(1995, 1, 1), TODAY + datetime.timedelta(days=60))
MONTHS = DATES.map(lambda day: day.replace(day=1))
PEOPLE = st.sampled_from(["leader", "sec_a", "office"])
BRANCH = st.sampled_from([None, "第一党支部"])
TITLES = st.sampled_from(["学习", "  党委会 ", "", "中心组学习（第一次）"])
COUNTS = st.one_of(st.none(), st.integers(-1, 3))
SURVEYS = st.sampled_from([(False, ""), (True, ""), (True, "后疫情")])


def record(key, sheet, **fields):
    return st.fixed_dictionaries(fields).map(lambda values: (key, sheet, values))


def analysis(values):
    flag, topic = values.pop("survey")
    return {**values, "is_special_survey": flag, "survey_topic": topic}


RECORDS = st.one_of(
    record("responsibility.talk", "谈心谈话", date=DATES, talker=PEOPLE, talkee=PEOPLE, kind=st.sampled_from(["", "谈心"])),
    record("responsibility.meeting", "党委会议", date=DATES, title=TITLES, is_ideology=st.booleans()),
    record("responsibility.task", "月销单", month=MONTHS, task=TITLES, branch=BRANCH, done_on=st.one_of(st.none(), DATES)),
    record(
        "responsibility.analysis", "思想动态分析",
        branch=st.just("第一党支部"), year=st.integers(2019, 2021), quarter=st.integers(1, 4), date=DATES, survey=SURVEYS,
    ).map(lambda r: (r[0], r[1], analysis(r[2]))),
    record(
        "study.session", "学习活动",
        date=DATES, kind=st.sampled_from(StudySession.Kind.values), branch=BRANCH, theme=TITLES, headcount=COUNTS,
    ),
    record("study.handout", "学习资料", date=DATES, title=TITLES, scope=st.sampled_from(MaterialHandout.Scope.values), quantity=COUNTS),
    record(
        "study.appstat", "学习强国",
        month=MONTHS, activity_rate=st.decimals(Decimal(-5), Decimal(105), places=2), avg_score=st.decimals(Decimal(0), Decimal(99), places=2),
    ),
    record("publicity.article", "宣传稿件", date=DATES, title=TITLES, outlet=st.just("中国水利报"), level=st.just("city")),
    record("publicity.activity", "活动", date=DATES, kind=st.sampled_from(Activity.Kind.values), title=TITLES, participants=COUNTS),
)


def form_verdict(world, key, values) -> tuple[bool, set[str]]:
    rt = RECORD_TYPES[key]
    form = rt.form(form_data(rt, values, world.committee), actor=actor_for(world.office))
    sheet = next(s for s in ledger_sheets() if s.model is rt.model)
    return form.is_valid(), {sheet.header_of(name) for name in form.errors}


def import_verdict(sheet, values) -> tuple[bool, set[str]]:
    result = ledger_import(committee_slug="alpha", file=ledger_file(sheet, values), dry_run=True)
    assert not result.refused, result.refused
    return result.ok, {error.column for error in result.errors}


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=RECORDS)
def test_forms_and_the_import_accept_and_refuse_the_same_records_at_the_same_place(world, case):
    key, sheet, values = case
    assert form_verdict(world, key, values) == import_verdict(sheet, values), values
