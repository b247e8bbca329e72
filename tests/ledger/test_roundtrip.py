"""Export → import into an empty committee → export gives the same cells,
the same report figures, and a second import changes nothing."""

import io

import pytest
from django.core.management import call_command

from portal.ledger.exporter import ledger_export
from portal.ledger.importer import ledger_import
from portal.ledger.sheets import SHEETS
from portal.models import Committee
from responsibility.models import Talk
from tests import factories as f

from .helpers import cells, figures, populate


def roundtrip(committee, year, slug="copy"):
    first = ledger_export(committee=committee, year=year, include_summaries=True)
    result = ledger_import(committee_slug=slug, file=io.BytesIO(first), dry_run=False)
    assert result.ok, [str(e) for e in result.errors] or result.refused
    copy = Committee.objects.get(slug=slug)
    second = ledger_export(committee=copy, year=year, include_summaries=True)
    return first, second, copy, result


@pytest.mark.django_db
def test_roundtrip_gives_same_cells_and_figures():
    committee = f.CommitteeFactory(slug="src", name="源局党委", short_name="局党委", unit_name="源局机关")
    populate(committee)
    first, second, copy, result = roundtrip(committee, 2020)
    assert result.committee_created
    assert [name for name in cells(first)] == [s.name for s in SHEETS]
    assert cells(first) == cells(second)
    assert figures(committee) == figures(copy)
    assert figures(copy)["member_talks"] == 1 and figures(copy)["ideology_meetings"] == 1
    # The other year's talk is not part of the 2020 workbook.
    assert Talk.objects.filter(committee=copy).count() == 2


@pytest.mark.django_db
def test_reimport_changes_nothing_and_counts_unchanged():
    committee = f.CommitteeFactory(slug="src")
    populate(committee)
    data = ledger_export(committee=committee, year=2020, include_summaries=True)
    before = {m.__name__: m.all_objects.count() for m in [s.model for s in SHEETS if s.model]}
    result = ledger_import(committee_slug="src", file=io.BytesIO(data), dry_run=False)
    assert result.ok
    assert all(s.create == 0 and s.update == 0 for s in result.sheets), result.sheets
    assert sum(s.unchanged for s in result.sheets) > 20
    after = {m.__name__: m.all_objects.count() for m in [s.model for s in SHEETS if s.model]}
    assert before == after


@pytest.mark.django_db
def test_demo_roundtrip():
    call_command("seed_demo", verbosity=0)
    demo = Committee.objects.get(slug="demo")
    first, second, copy, _ = roundtrip(demo, 2020)
    assert cells(first) == cells(second)
    assert figures(demo) == figures(copy)
