import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.attachments.services import attachment_add
from reports.assessment import selectors, services
from reports.assessment.models import Assessment, AssessmentEvent, AssessmentItem, Rectification
from tests import factories as f

from .conftest import as_actor


def item(assessment, code):
    """Read afresh (a related manager would hand back the stale ``assessment`` object)."""
    return AssessmentItem.objects.get(assessment_id=assessment.pk, rubric_item__code=code)


def test_publishing_opens_an_assessment_for_every_direct_child_only(tree, published):
    assert set(published.assessments.values_list("committee__slug", flat=True)) == {"alpha", "sib"}
    for assessment in published.assessments.all():
        assert assessment.state == Assessment.State.SELF
        assert assessment.items.count() == published.items.count()
        assert assessment.events.filter(action="开始自评").exists()


def test_only_the_parents_office_publishes(tree, rubric):
    for user in (tree.assessor, tree.world.office, tree.sib_office):
        with pytest.raises(PermissionDenied):
            services.rubric_publish(actor=as_actor(user), rubric=rubric)
    assert not rubric.assessments.exists()


def test_self_score_is_checked_in_halves_within_the_points(tree, assessment):
    manual = item(assessment, "3.1")
    office = as_actor(tree.world.office)
    for bad in ("5.5", "-1", "2.3", "x", ""):
        with pytest.raises(ValidationError):
            services.item_self_assess(actor=office, item=manual, self_score=bad, explanation="说明")
    manual.refresh_from_db()
    assert manual.self_score is None
    services.item_self_assess(actor=office, item=manual, self_score="4.5", explanation="宣传栏季度检查")
    manual.refresh_from_db()
    assert manual.self_score == D("4.5")


def test_nobody_but_the_childs_office_self_scores(tree, assessment):
    manual = item(assessment, "3.1")
    for user in (tree.p_office, tree.assessor, tree.sib_office, tree.world.leader):
        with pytest.raises(PermissionDenied):
            services.item_self_assess(actor=as_actor(user), item=manual, self_score="1")


def test_submit_needs_every_manual_score(tree, assessment):
    with pytest.raises(ValidationError, match="3.1"):
        services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SELF


def submit(tree, assessment, manual="4"):
    office = as_actor(tree.world.office)
    services.item_self_assess(actor=office, item=item(assessment, "3.1"), self_score=manual, explanation="自查")
    return services.assessment_submit(actor=office, assessment=assessment)


def test_submit_freezes_values_scores_and_evidence(tree, assessment):
    meeting = f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)
    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=False)
    submit(tree, assessment)
    frozen = item(assessment, "1.1")
    # target 2, one meeting, 2.5 per missing one: 5 − 2.5
    assert (frozen.value, frozen.score) == (D(1), D("2.5"))
    assert frozen.evidence["ids"] == [meeting.pk]
    assert selectors.changed_since(frozen, frozen.assessment) == 0

    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)  # added after submit
    meeting.title = "改过的标题"
    meeting.save()
    frozen.refresh_from_db()
    assert (frozen.value, frozen.score) == (D(1), D("2.5"))
    assert selectors.changed_since(frozen, frozen.assessment) == 2
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.total == D("2.5") + D(0) + D(0) + D(4)


def test_review_adjusting_needs_a_reason_and_a_valid_score(tree, assessment):
    submit(tree, assessment)
    manual = item(assessment, "3.1")
    assessor = as_actor(tree.assessor)
    with pytest.raises(ValidationError):
        services.item_review(actor=assessor, item=manual, accept=False, score="3", reason=" ")
    with pytest.raises(ValidationError):
        services.item_review(actor=assessor, item=manual, accept=False, score="6", reason="超分")
    with pytest.raises(PermissionDenied):
        services.item_review(actor=as_actor(tree.world.office), item=manual, accept=False, score="5", reason="自己改")
    services.item_review(actor=assessor, item=manual, accept=False, score="3", reason="检查记录不全")
    manual.refresh_from_db()
    assert (manual.final_score, manual.review_reason) == (D(3), "检查记录不全")
    assessment.refresh_from_db()
    assert assessment.total == D(3)  # no ideology meeting (1.1 scores 0), 1.2 and 2.1 score 0


def test_return_keeps_the_round_and_reopens(tree, assessment):
    submit(tree, assessment, manual="5")
    with pytest.raises(ValidationError):
        services.assessment_return(actor=as_actor(tree.assessor), assessment=assessment, comment="")
    services.assessment_return(actor=as_actor(tree.assessor), assessment=assessment, comment="佐证不足")
    assessment.refresh_from_db()
    assert (assessment.state, assessment.round) == (Assessment.State.SELF, 2)
    kept = assessment.rounds.get(number=1)
    assert kept.comment == "佐证不足"
    assert {row["code"]: row["score"] for row in kept.items}["3.1"] == "5.0"
    submit(tree, assessment, manual="4")
    assessment.refresh_from_db()
    assert assessment.round == 2 and assessment.state == Assessment.State.SUBMITTED


def test_finalise_grades_and_opens_a_rectification_per_deduction(tree, assessment):
    for _ in range(12):
        f.StudySessionFactory(committee=tree.child)
    submit(tree, assessment, manual="5")
    services.item_review(actor=as_actor(tree.assessor), item=item(assessment, "3.1"), accept=False, score="4",
                         reason="阵地检查缺一次")
    due = datetime.date.today() + datetime.timedelta(days=30)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment, due_date=due)
    assessment.refresh_from_db()
    # 1.1: 0 meetings → 5 − 2×2.5 = 0; 1.2: no branch letters → 0; 2.1: 12 sessions → 5; 3.1: 4
    assert assessment.total == D(9)
    assert assessment.grade == "不合格"
    assert assessment.subtotals == {"组织领导": "0.0", "理论学习": "5.0", "舆论引导": "4.0"}
    codes = set(Rectification.objects.values_list("item__rubric_item__code", flat=True))
    assert codes == {"1.1", "1.2", "3.1"}
    assert all(r.due_date == due for r in Rectification.objects.all())


def test_grade_bands_are_per_rubric(tree, rubric):
    rubric.band_excellent = D(95)
    assert rubric.grade(D(94)) == "良好"
    assert rubric.grade(D(95)) == "优秀"
    assert rubric.grade(D("59.5")) == "不合格"


def test_a_finalised_assessment_never_changes(tree, assessment):
    submit(tree, assessment)
    services.assessment_finalise(actor=as_actor(tree.p_office), assessment=assessment)
    assessment.refresh_from_db()
    before = (assessment.total, assessment.grade, list(assessment.items.values_list("score", "reviewer_score")))
    attempts = [
        lambda: services.item_self_assess(actor=as_actor(tree.world.office), item=item(assessment, "3.1"),
                                          self_score="5"),
        lambda: services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment),
        lambda: services.item_review(actor=as_actor(tree.assessor), item=item(assessment, "3.1"), accept=False,
                                     score="5", reason="再改"),
        lambda: services.assessment_return(actor=as_actor(tree.assessor), assessment=assessment, comment="再议"),
        lambda: services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment),
        lambda: attachment_add(actor=as_actor(tree.world.office), record=item(assessment, "3.1"),
                               upload=f.evidence_file()),
    ]
    for attempt in attempts:
        with pytest.raises((ValidationError, PermissionDenied)):
            attempt()
    assessment.refresh_from_db()
    assert before == (assessment.total, assessment.grade,
                      list(assessment.items.values_list("score", "reviewer_score")))


def test_evidence_is_attached_while_self_assessing_only(tree, assessment):
    manual = item(assessment, "3.1")
    attachment_add(actor=as_actor(tree.world.office), record=manual, upload=f.evidence_file())
    with pytest.raises(PermissionDenied):
        attachment_add(actor=as_actor(tree.sib_office), record=manual, upload=f.evidence_file())
    with pytest.raises(PermissionDenied):
        attachment_add(actor=as_actor(tree.assessor), record=manual, upload=f.evidence_file())
    submit(tree, assessment)
    with pytest.raises(PermissionDenied):
        attachment_add(actor=as_actor(tree.world.office), record=item(assessment, "3.1"), upload=f.evidence_file())


def test_rectification_close_confirm_reopen(tree, assessment):
    submit(tree, assessment)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment)
    rect = Rectification.objects.get(item__rubric_item__code="3.1")
    with pytest.raises(PermissionDenied):
        services.rectification_close(actor=as_actor(tree.assessor), rectification=rect, note="代为整改")
    with pytest.raises(ValidationError):
        services.rectification_confirm(actor=as_actor(tree.assessor), rectification=rect)  # not closed yet
    with pytest.raises(ValidationError):
        services.rectification_close(actor=as_actor(tree.world.office), rectification=rect, note=" ")
    services.rectification_close(actor=as_actor(tree.world.office), rectification=rect, note="已补齐检查记录")
    with pytest.raises(PermissionDenied):
        services.rectification_confirm(actor=as_actor(tree.world.office), rectification=rect)
    services.rectification_reopen(actor=as_actor(tree.assessor), rectification=rect, reason="记录仍缺签字")
    rect.refresh_from_db()
    assert rect.state == Rectification.State.REOPENED
    services.rectification_close(actor=as_actor(tree.world.office), rectification=rect, note="补签")
    services.rectification_confirm(actor=as_actor(tree.p_office), rectification=rect)
    rect.refresh_from_db()
    assert rect.state == Rectification.State.CONFIRMED
    actions = list(AssessmentEvent.objects.filter(assessment=assessment).values_list("action", flat=True))
    assert actions.count("整改完成") == 2 and "确认整改" in actions and "重新打开整改" in actions


def test_every_step_is_logged_with_who(tree, assessment):
    submit(tree, assessment)
    services.assessment_return(actor=as_actor(tree.assessor), assessment=assessment, comment="补材料")
    users = dict(AssessmentEvent.objects.filter(assessment=assessment).values_list("action", "user__username"))
    assert users["提交"] == "office" and users["退回"] == "assessor" and users["自评"] == "office"


def test_editing_the_rubric_stops_once_a_unit_submitted(tree, assessment):
    submit(tree, assessment)
    with pytest.raises(ValidationError):
        services.rubric_import(actor=None, committee=tree.parent, year=2020, rows=[])


def test_the_binder_gets_the_frozen_records_of_each_item(tree, assessment):
    from reports.assessment.selectors import evidence_items

    first = f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)
    live = {row["code"]: row for row in evidence_items(tree.child, 2020)}
    assert live["1.1"]["records"] == [first] and live["3.1"]["records"] == []
    attachment_add(actor=as_actor(tree.world.office), record=item(assessment, "3.1"), upload=f.evidence_file())
    submit(tree, assessment)
    f.CommitteeMeetingFactory(committee=tree.child, is_ideology=True)  # after submit: not in the binder
    first.deleted_at = first.created_at
    first.save()  # trashed after submit: still what the score stood on
    frozen = {row["code"]: row for row in evidence_items(tree.child, 2020)}
    assert frozen["1.1"]["records"] == [first] and frozen["1.1"]["score"] == D("2.5")
    assert [a.original_name for a in frozen["3.1"]["attachments"]] == ["签到表.pdf"]
    assert evidence_items(tree.sibling, 2021) == []


def test_a_superior_viewing_the_unit_never_acts_as_the_unit(tree, assessment):
    """A superior's office viewing a descendant (``committee`` the child, ``home`` its
    own) still reviews as the parent and never self-assesses."""
    from portal.access import actor_for
    from portal.rules import allowed

    viewing = actor_for(tree.p_office, tree.child.pk)
    assert viewing.committee == tree.child and viewing.home == tree.parent
    manual = item(assessment, "3.1")
    assert not allowed(viewing, "assessment.self_score", assessment)
    assert not allowed(viewing, "assessment.item.change", manual)
    with pytest.raises(PermissionDenied):
        services.item_self_assess(actor=viewing, item=manual, self_score="5")
    submit(tree, assessment)
    # it reviews from its own committee, not while viewing the unit read-only
    assert not allowed(viewing, "assessment.review", item(assessment, "3.1").assessment)
    assert allowed(actor_for(tree.p_office), "assessment.review", item(assessment, "3.1").assessment)


def test_a_committee_that_joins_the_parent_joins_its_running_assessment(tree, published):
    from portal.services import committee_set_parent

    newcomer = f.CommitteeFactory(slug="newcomer", name="新设局党委")
    assert not published.assessments.filter(committee=newcomer).exists()
    committee_set_parent(committee=newcomer, parent=tree.parent)
    joined = published.assessments.get(committee=newcomer)
    assert joined.state == "self" and joined.items.count() == published.items.count()
    committee_set_parent(committee=newcomer, parent=None)  # detaching keeps its rounds
    assert published.assessments.filter(committee=newcomer).exists()
