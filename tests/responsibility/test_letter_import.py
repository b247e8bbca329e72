"""The ledger's 责任书 rows go through the letter services (issue 10 #3, issue 11 #5):
the plan is pure, and a letter that was issued, signed online or signed on paper
is never changed or reverted by a workbook."""

import datetime

import pytest
from django.utils import timezone

from responsibility import services
from responsibility.models import LetterEvent, ResponsibilityLetter, body_hash

Status = ResponsibilityLetter.Status
SIGNED, AWAITING = services.LETTER_SIGNED, services.LETTER_AWAITING
DAY = datetime.date(2020, 1, 20)


def row(world, **values):
    base = {"year": 2020, "branch": world.branch, "title": "2020年度责任书（一支部）"}
    base.update(values)
    return services.LetterRow(**base)


def plan(letter, r):
    return services.letter_row_plan(letter=letter, row=r)


def kinds(letter):
    return list(letter.events.values_list("kind", flat=True))


def snapshot(letter):
    letter = ResponsibilityLetter.all_objects.get(pk=letter.pk)
    cells = services.letter_row_cells(letter)
    return (letter.status, letter.offline, letter.body, letter.body_sha256, cells, letter.events.count())


@pytest.fixture
def paper(world, actors):
    """A letter recorded from a workbook as signed on paper."""
    return services.letter_row_apply(actor=actors.office, letter=None, row=row(world, signed_on=DAY, signer="书记甲", status=SIGNED))


# -- planning -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "action", "column"),
    [
        ({"status": AWAITING}, "create", ""),
        ({"status": ""}, "create", ""),
        ({"signed_on": DAY, "signer": "甲", "status": SIGNED}, "create", ""),
        ({"signed_on": DAY, "signer": "甲", "status": ""}, "create", ""),  # a date means 已签订
        ({"signer": "甲", "status": SIGNED}, "refuse", "签订日期"),
        ({"signed_on": DAY, "status": SIGNED}, "refuse", "支部签字人"),
        ({"signed_on": DAY, "status": AWAITING}, "refuse", "状态"),
        ({"signer": "甲", "status": AWAITING}, "refuse", "状态"),
        ({"status": "作废"}, "refuse", "状态"),
        ({"title": "  ", "status": AWAITING}, "refuse", "标题"),
    ],
)
def test_plan_for_a_new_row(world, values, action, column):
    result = plan(None, row(world, **values))
    assert (result.action, result.column) == (action, column)
    assert bool(result.reason) == (action == "refuse")


def test_plan_writes_nothing(world, actors, paper):
    before = snapshot(paper)
    plan(paper, row(world, status=AWAITING))
    plan(None, row(world, branch=world.other_branch, status=AWAITING))
    assert snapshot(paper) == before and ResponsibilityLetter.objects.count() == 1


def test_draft_rows(world, actors):
    draft = services.letter_row_apply(actor=actors.office, letter=None, row=row(world, status=AWAITING))
    assert (draft.status, draft.title, draft.offline) == (Status.DRAFT, "2020年度责任书（一支部）", False)
    assert world.branch.name in draft.body and kinds(draft) == ["created"]
    assert draft.events.get().detail == services.IMPORT_NOTE
    assert plan(draft, row(world, status=AWAITING)).action == "unchanged"
    assert services.letter_row_apply(actor=actors.office, letter=draft, row=row(world, status=AWAITING)) == draft
    assert kinds(draft) == ["created"]
    # A new title edits the draft through the same service as the page.
    renamed = services.letter_row_apply(actor=actors.office, letter=draft, row=row(world, title="新标题", status=AWAITING))
    assert renamed.title == "新标题" and kinds(draft) == ["created", "updated"]


def test_a_draft_signed_on_paper_later(world, actors):
    draft = services.letter_row_apply(actor=actors.office, letter=None, row=row(world, status=AWAITING))
    signed_row = row(world, signed_on=DAY, signer="丙", status=SIGNED)
    assert plan(draft, signed_row).action == "update"
    letter = services.letter_row_apply(actor=actors.office, letter=draft, row=signed_row)
    assert (letter.status, letter.offline, letter.offline_signed_on, letter.offline_signer) == (Status.COMPLETE, True, DAY, "丙")
    assert letter.body_sha256 == body_hash(letter.body) and kinds(letter) == ["created", "offline"]
    assert plan(letter, signed_row).action == "unchanged"


def test_a_new_paper_letter(world, paper):
    assert (paper.status, paper.offline, paper.offline_signer) == (Status.COMPLETE, True, "书记甲")
    assert paper.body == services.OFFLINE_BODY and paper.body_intact
    assert not paper.offline_scan  # a workbook carries no scan
    assert kinds(paper) == ["created", "offline"]
    assert all(e.detail.endswith(services.IMPORT_NOTE) for e in paper.events.all())


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"status": AWAITING}, "签订日期"),  # issue 11 #5: 已签订 → 待签订 would un-sign it
        ({"status": ""}, "签订日期"),
        ({"signed_on": DAY, "signer": "他人", "status": SIGNED}, "支部签字人"),
        ({"signed_on": DAY + datetime.timedelta(days=1), "signer": "书记甲", "status": SIGNED}, "签订日期"),
        ({"title": "改过的标题", "signed_on": DAY, "signer": "书记甲", "status": SIGNED}, "标题"),
    ],
)
def test_a_paper_letter_is_never_changed_or_reverted(world, actors, paper, values, column):
    before = snapshot(paper)
    r = row(world, **values)
    result = plan(paper, r)
    assert (result.action, result.column) == ("refuse", column)
    assert "线下签订" in result.reason
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_row_apply(actor=actors.office, letter=paper, row=r)
    assert refused.value.field == column
    assert snapshot(paper) == before


def test_the_same_paper_row_again_is_unchanged(world, actors, paper):
    before = snapshot(paper)
    same = row(world, signed_on=DAY, signer="书记甲", status=SIGNED)
    assert plan(paper, same).action == "unchanged"
    services.letter_row_apply(actor=actors.office, letter=paper, row=same)
    assert snapshot(paper) == before


def test_an_online_letter_is_never_changed(world, actors, issued):
    before = snapshot(issued)
    for values in ({"status": AWAITING, "title": "改"}, {"signed_on": DAY, "signer": "sec_a", "status": SIGNED}):
        r = row(world, **values)
        result = plan(issued, r)
        assert result.action == "refuse" and "在线签署" in result.reason
        with pytest.raises(services.LetterRefused):
            services.letter_row_apply(actor=actors.office, letter=issued, row=r)
    assert snapshot(issued) == before
    # Its own export row is unchanged.
    assert plan(issued, row(world, title=issued.title, status=AWAITING)).action == "unchanged"


def test_an_online_signed_letter_reads_as_its_export_row(world, actors, complete):
    last = complete.signatures.get(role="committee").signed_at
    exported = row(world, title=complete.title, signed_on=timezone.localdate(last), signer="sec_a", status=SIGNED)
    assert plan(complete, exported).action == "unchanged"
    before = snapshot(complete)
    reverted = row(world, title=complete.title, status=AWAITING)
    assert plan(complete, reverted).action == "refuse"
    with pytest.raises(services.LetterRefused):
        services.letter_row_apply(actor=actors.office, letter=complete, row=reverted)
    assert snapshot(complete) == before


def test_a_row_goes_through_the_same_permission_as_a_person(world, actors):
    with pytest.raises(services.LetterRefused):
        services.letter_row_apply(actor=actors.leader, letter=None, row=row(world, status=AWAITING))
    assert not ResponsibilityLetter.objects.exists() and not LetterEvent.objects.exists()
