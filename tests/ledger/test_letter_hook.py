"""The 责任书 sheet goes through one pair of functions (responsibility.ledger
letter_row_plan / letter_row_apply), which hand every row to the letter services."""

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


def test_plan_gives_the_action(alpha):
    assert letter_ledger.letter_row_plan(None, SIGNED) == "create"
    draft = f.ResponsibilityLetterFactory(committee=alpha, year=2020, title="责任书")
    awaiting = {**SIGNED, "offline_signed_on": None, "offline_signer": "", "status": "待签订"}
    assert letter_ledger.letter_row_plan(draft, awaiting) == "unchanged"
    assert letter_ledger.letter_row_plan(draft, {**awaiting, "title": "新标题"}) == "update"
    assert letter_ledger.letter_row_plan(draft, SIGNED) == "update"  # signed on paper later


@pytest.mark.parametrize("status", ["issued", "signed", "complete"])
def test_plan_refuses_to_change_a_letter_handled_online(alpha, status):
    letter = f.ResponsibilityLetterFactory(committee=alpha, year=2020, title="责任书")
    ResponsibilityLetter.objects.filter(pk=letter.pk).update(status=status)
    letter.refresh_from_db()
    with pytest.raises(RowRefused) as refused:
        letter_ledger.letter_row_plan(letter, {**SIGNED, "title": "改过的标题"})
    assert refused.value.column == "标题" and "在线签署" in refused.value.reason


def test_plan_never_reverts_a_letter_signed_on_paper(alpha):
    """Issue 11 #5: 已签订 → 待签订 in a workbook is an error, not a way back to a draft."""
    assert run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]]).applied
    letter = ResponsibilityLetter.objects.get()
    result = run([[2020, "一支部", "责任书", None, None, "待签订"]])
    assert not result.applied and [(e.row, e.column) for e in result.errors] == [(2, "签订日期")]
    assert "线下签订" in result.errors[0].reason
    letter.refresh_from_db()
    assert (letter.status, letter.offline, letter.offline_signer) == ("complete", True, "甲")
    assert len(letter.body_sha256) == 64


def test_plan_refuses_an_awaiting_letter_with_a_signing_date():
    with pytest.raises(RowRefused):
        letter_ledger.letter_row_plan(None, {**SIGNED, "status": "待签订"})


def test_the_sheet_plans_and_writes_only_through_the_hook(alpha, monkeypatch):
    planned, applied = [], []
    plan, apply = letter_ledger.letter_row_plan, letter_ledger.letter_row_apply

    def spy_plan(letter, values):
        planned.append((letter, values["branch"]))
        return plan(letter, values)

    def spy_apply(letter, values, **kwargs):
        applied.append(values["branch"].name)
        return apply(letter, values, **kwargs)

    monkeypatch.setattr(letter_ledger, "letter_row_plan", spy_plan)
    monkeypatch.setattr(letter_ledger, "letter_row_apply", spy_apply)
    assert run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]], dry_run=True).ok
    assert planned == [(None, "一支部")] and applied == []
    assert run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]]).applied
    assert applied == ["一支部"]
    assert ResponsibilityLetter.objects.get().status == "complete"


def test_a_refusal_of_the_hook_is_a_row_error(alpha, monkeypatch):
    def refuse(letter, values):
        raise RowRefused("状态", "已签署的责任书不会被台账改回")

    monkeypatch.setattr(letter_ledger, "letter_row_plan", refuse)
    result = run([[2020, "一支部", "责任书", "2020-01-20", "甲", "已签订"]])
    assert [(e.sheet, e.row, e.column, e.reason) for e in result.errors] == [("责任书", 2, "状态", "已签署的责任书不会被台账改回")]
    assert not ResponsibilityLetter.objects.exists()
