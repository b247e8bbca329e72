"""The exported workbook is cell for cell what the ledger engine wrote before it
was split into the portal engine and each app's sheets (issue 10).

The expectations in ``expected/`` were written by the engine as it stood
before that change (commit "Pin the exported ledger workbook…"): the demo's
2020 workbook as the office and as a leader exports it, a committee holding
every kind of row (offline, draft and online letters, inspected branches,
channel checks, formula-like text) and the empty template. Each compares
values, cell types, number formats, quote prefixes, widths and the frozen
pane, sheet by sheet. Regenerate one only for an intended change of the
format or of the demo data, and say so in the commit.
"""

import datetime
import inspect
import json
from pathlib import Path

import factory
import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.ledger.exporter import ledger_export, ledger_template
from portal.models import Committee
from responsibility.models import LetterSignature, ResponsibilityLetter
from tests import factories as f

from .helpers import populate
from .snapshot import workbook_snapshot

EXPECTED = Path(__file__).parent / "expected"


def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text())


def assert_same(data: bytes, name: str) -> None:
    got, want = workbook_snapshot(data), expected(name)
    assert list(got) == list(want)
    for sheet in want:
        assert got[sheet] == want[sheet], sheet


def populated() -> Committee:
    """``populate`` with factory sequences reset, plus an online-signed letter."""
    for _, cls in inspect.getmembers(f, inspect.isclass):
        if issubclass(cls, factory.Factory) and cls is not factory.Factory:
            cls.reset_sequence(0, force=True)
    committee = f.CommitteeFactory(slug="src", name="源局党委", short_name="局党委", unit_name="源局机关")
    populate(committee)
    branch = f.BranchFactory(committee=committee, name="测站党支部")
    letter = f.ResponsibilityLetterFactory(committee=committee, branch=branch, year=2020)
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(status="complete")
    signed_at = timezone.make_aware(datetime.datetime(2020, 1, 21, 10))
    for role, name in [("branch", "王站长"), ("committee", "张书记")]:
        user = f.UserFactory(username=f"signer-{role}")
        LetterSignature.objects.create(
            letter=letter, role=role, signer=user, signer_name=name, signed_at=signed_at, image=b"", body_sha256=""
        )
    return committee


@pytest.mark.django_db
def test_demo_workbook_is_unchanged():
    call_command("seed_demo", verbosity=0)
    demo = Committee.objects.get(slug="demo")
    assert_same(ledger_export(committee=demo, year=2020, include_summaries=True), "demo-2020-office")
    assert_same(ledger_export(committee=demo, year=2020, include_summaries=False), "demo-2020-leader")


@pytest.mark.django_db
def test_workbook_of_every_kind_of_row_is_unchanged():
    assert_same(ledger_export(committee=populated(), year=2020, include_summaries=True), "populate-2020")


def test_template_is_unchanged():
    assert_same(ledger_template(), "template")
