"""Property: for generated records, export → import into an empty committee →
export gives the same cells (bounded to a few examples to keep CI fast)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.ledger.exporter import ledger_export
from portal.ledger.importer import ledger_import
from portal.models import Committee
from publicity.models import Article
from study.models import StudyAppStat
from tests import factories as f

from .helpers import cells

# Letters, digits, punctuation and symbols, plus the characters a spreadsheet
# would treat as the start of a formula.
TEXT = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "P", "S")) | st.sampled_from("=+-@ \t"),
    max_size=30,
).map(str.strip)
REQUIRED_TEXT = TEXT.filter(bool)
DATES = st.dates(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
RATES = st.decimals(Decimal(0), Decimal(100), places=2)
SCORES = st.decimals(Decimal(0), Decimal(9999), places=2)

talks = st.lists(
    # Nobody talks with themselves (Talk.clean refuses it on every path).
    st.tuples(DATES, st.integers(0, 2), st.integers(0, 2), TEXT.map(lambda s: s[:50]), TEXT).filter(lambda t: t[1] != t[2]),
    max_size=6,
    unique_by=lambda t: (t[0], t[1], t[2]),
)
stats = st.lists(st.tuples(st.integers(1, 12), RATES, SCORES), max_size=4, unique_by=lambda t: t[0])
articles = st.lists(
    st.tuples(DATES, REQUIRED_TEXT, REQUIRED_TEXT, st.sampled_from(Article.Level.values)),
    max_size=4,
    unique_by=lambda t: (t[0], t[1]),
)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(titles=st.lists(TEXT, min_size=3, max_size=3), talks=talks, stats=stats, articles=articles)
def test_generated_records_round_trip(titles, talks, stats, articles):
    with transaction.atomic():
        committee = f.CommitteeFactory(slug="gen")
        branch = f.BranchFactory(committee=committee, name="支部")
        people = [
            f.PersonFactory(committee=committee, name=f"人{i}", title=title, branch=branch, is_committee_member=i == 0)
            for i, title in enumerate(titles)
        ]
        for date, talker, talkee, kind, summary in talks:
            f.TalkFactory(committee=committee, date=date, talker=people[talker], talkee=people[talkee], kind=kind, summary=summary)
        for month, rate, score in stats:
            StudyAppStat.objects.create(
                committee=committee, month=datetime.date(2020, month, 1), activity_rate=rate, avg_score=score
            )
        for date, title, outlet, level in articles:
            f.ArticleFactory(committee=committee, date=date, title=title, outlet=outlet[:100], level=level)
        first = ledger_export(committee=committee, year=2020, include_summaries=True)
        result = ledger_import(committee_slug="gen-copy", file=io.BytesIO(first), dry_run=False)
        assert result.applied, [str(e) for e in result.errors]
        second = ledger_export(committee=Committee.objects.get(slug="gen-copy"), year=2020, include_summaries=True)
        assert cells(first) == cells(second)
        again = ledger_import(committee_slug="gen-copy", file=io.BytesIO(first), dry_run=False)
        assert all(s.create == s.update == 0 for s in again.sheets)
        transaction.set_rollback(True)
