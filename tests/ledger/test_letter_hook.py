"""The 责任书 sheet goes through one pair of functions (responsibility.ledger
letter_row_plan / letter_row_apply), so the letter services can take them over."""

import datetime

import pytest

from portal.ledger.importer import ledger_import
from portal.ledger.sheets import RowRefused
from responsibility import ledger as letter_ledger
from responsibility.models import ResponsibilityLetter
from tests import factories as f

from .helpers import xlsx

HEADER = ["年度", "支部", "标题", "签订日期", "支部签字人", "状态"]


@pytest.fixture
def alpha(db):
    committee = f.CommitteeFactory(slug="alpha")
    f.BranchFactory(committee=committee, name="一支部")
    return committee


def run(rows, dry_run=False):
    return ledger_import(committee_slug="alpha", file=xlsx({"责任书": [HEADER, *rows]}), dry_run=dry_run)


SIGNED = {"year": 2020, "branch": "一支部", "title": "责任书", "offline_signed_on": datetime.date(2020, 1, 20), "offline_signer": "甲", "status": "已签订"}


@pytest.mark.parametrize(
    "status, changed, expected",
    [(None, False, "create"), ("draft", False, "unchanged"), ("draft", True, "update"), ("complete", True, "update")],
)
def test_plan_gives_the_action(status, changed, expected):
    letter = ResponsibilityLetter(status=status, offline=status == "complete") if status else None
    assert letter_ledger.letter_row_plan(letter, SIGNED, changed=changed) == expected


@pytest.mark.parametrize("status", ["issued", "signed", "complete"])
def test_plan_refuses_to_change_a_letter_handled_online(status):
    with pytest.raises(RowRefused) as refused:
        letter_ledger.letter_row_plan(ResponsibilityLetter(status=status, offline=False), SIGNED, changed=True)
    assert refused.value.column == "状态" and "在线签署" in refused.value.reason
    # Unchanged rows of such letters pass (an export re-imported).
    assert letter_ledger.letter_row_plan(ResponsibilityLetter(status=status), SIGNED, changed=False) == "unchanged"


def test_plan_refuses_an_awaiting_letter_with_a_signing_date():
    with pytest.raises(RowRefused):
        letter_ledger.letter_row_plan(None, {**SIGNED, "status": "待签订"}, changed=True)


def test_the_sheet_plans_and_writes_only_through_the_hook(alpha, monkeypatch):
    planned, applied = [], []
    plan, apply = letter_ledger.letter_row_plan, letter_ledger.letter_row_apply

    def spy_plan(letter, values, *, changed):
        planned.append((letter, values["branch"], changed))
        return plan(letter, values, changed=changed)

    def spy_apply(letter, values, **kwargs):
        applied.append(values["branch"].name)
        return apply(letter, values, **kwargs)

    monkeypatch.setattr(letter_ledger, "letter_row_plan", spy_plan)
    monkeypatch.setattr(letter_ledger, "letter_row_apply", spy_apply)
    assert run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]], dry_run=True).ok
    assert planned == [(None, "一支部", False)] and applied == []
    assert run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]]).applied
    assert applied == ["一支部"]
    assert ResponsibilityLetter.objects.get().status == "complete"


def test_a_refusal_of_the_hook_is_a_row_error(alpha, monkeypatch):
    def refuse(letter, values, *, changed):
        raise RowRefused("状态", "已签署的责任书不会被台账改回")

    monkeypatch.setattr(letter_ledger, "letter_row_plan", refuse)
    result = run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]])
    assert [(e.sheet, e.row, e.column, e.reason) for e in result.errors] == [("责任书", 2, "状态", "已签署的责任书不会被台账改回")]
    assert not ResponsibilityLetter.objects.exists()
