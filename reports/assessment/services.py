"""Writes of the assessment: rubrics and their items, publishing, the
self-assessment, submit, review, return, finalise, and rectifications.

Each function does one step completely: it checks the rules
(``reports/assessment/rules.py``) and the lifecycle table
(``models.TRANSITIONS``), writes, and logs an :class:`AssessmentEvent`.
A finalised assessment is never changed: every write below refuses it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import figures
from portal.access import Actor
from portal.models import Committee
from portal.rules import require

from . import notifications, scoring
from .models import (
    Action, Assessment, AssessmentEvent, AssessmentItem, AssessmentRound, Rectification, Rubric, RubricItem,
)

HALF = Decimal("0.5")
RECTIFICATION_DAYS = 90  # default time given to rectify a deduction


def _log(*, actor: Actor | None, rubric: Rubric, action: str, detail: str = "", assessment=None) -> None:
    AssessmentEvent.objects.create(
        rubric=rubric, assessment=assessment, user=actor.user if actor else None, action=action, detail=detail
    )


def _locked(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock: two clicks never both pass the state check."""
    return Assessment.objects.select_for_update().select_related("rubric", "committee").get(pk=assessment.pk)


def _refuse_unless(actor: Actor, rule: str, obj, assessment: Assessment, action: str) -> None:
    if not assessment.allows(action):
        raise ValidationError(
            _("考核当前状态为“%(state)s”，不能%(action)s。")
            % {"state": assessment.get_state_display(), "action": Action(action).label}
        )
    require(actor, rule, obj)


# -- rubrics ---------------------------------------------------------------------------------


@transaction.atomic
def rubric_get_or_create(*, actor: Actor, year: int) -> Rubric:
    require(actor, "assessment.rubric_import")
    rubric, created = Rubric.objects.get_or_create(committee=actor.home, year=year)
    if created:
        _log(actor=actor, rubric=rubric, action="创建考核细则")
    return rubric


def _check_editable(rubric: Rubric) -> None:
    """A published rubric is changed only by re-import, and only while no unit has submitted."""
    if rubric.assessments.exclude(state=Assessment.State.SELF).exists() or rubric.assessments.filter(round__gt=1).exists():
        raise ValidationError(_("已有单位提交自评，考核细则不能再修改。"))


def clean_item(item: RubricItem) -> None:
    """The rules about one item (also checked by the import row by row)."""
    errors = {}
    if item.points is None or not 0 < item.points <= 100 or not scoring.is_half_step(item.points):
        errors["points"] = _("分值应为 0.5–100 之间的整数或半分（如 2.5）")
    if item.is_auto:
        if item.indicator not in scoring.INDICATORS:
            errors["indicator"] = _("自动评分须选择指标")
        if item.target is None or item.target < 0:
            errors["target"] = _("自动评分须填写目标值")
        if not item.scoring:
            errors["scoring"] = _("自动评分须选择计分办法")
        elif item.scoring == RubricItem.Scoring.DEDUCT and (
                item.deduct_per is None or item.deduct_per <= 0 or not scoring.is_half_step(item.deduct_per)):
            errors["deduct_per"] = _("每缺一次扣分须大于 0，以 0.5 分为单位")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rubric_item_save(*, actor: Actor, rubric: Rubric, item: RubricItem) -> RubricItem:
    require(actor, "assessment.rubric_edit", rubric)
    if not item.is_auto:
        item.indicator, item.target, item.scoring, item.deduct_per = "", None, "", None
    clean_item(item)
    if rubric.items.filter(code=item.code).exclude(pk=item.pk).exists():
        raise ValidationError({"code": _("编号“%(code)s”已存在") % {"code": item.code}})
    adding = item.pk is None
    item.rubric = rubric
    if adding:
        item.order = rubric.items.count() + 1
    item.save()
    _log(actor=actor, rubric=rubric, action=_("新增考核项目") if adding else _("修改考核项目"), detail=str(item))
    return item


@transaction.atomic
def rubric_bands_set(*, actor: Actor, rubric: Rubric, excellent: Decimal, good: Decimal, passing: Decimal) -> Rubric:
    """The grade bands of a draft rubric (优秀 ≥ excellent > 良好 ≥ good > 合格 ≥ passing)."""
    require(actor, "assessment.rubric_edit", rubric)
    if not 0 < passing < good < excellent <= 100:
        raise ValidationError(_("等次分数线应满足 0 < 合格 < 良好 < 优秀 ≤ 100"))
    rubric.band_excellent, rubric.band_good, rubric.band_pass = excellent, good, passing
    rubric.save()
    _log(actor=actor, rubric=rubric, action=_("修改等次分数线"),
         detail=f"优秀≥{excellent}，良好≥{good}，合格≥{passing}")
    return rubric


@transaction.atomic
def rubric_item_delete(*, actor: Actor, item: RubricItem) -> None:
    rubric = item.rubric
    require(actor, "assessment.rubric_edit", rubric)
    _log(actor=actor, rubric=rubric, action=_("删除考核项目"), detail=str(item))
    item.delete()


@transaction.atomic
def rubric_import(*, actor: Actor | None, committee: Committee, year: int, rows: list[dict]) -> Rubric:
    """Write the checked rows of a 考核细则 sheet: new items by 编号, known ones updated.

    ``actor`` is None for the command line (ops act for the committee's office)."""
    if actor is not None:
        require(actor, "assessment.rubric_import")
    rubric, _created = Rubric.objects.select_for_update().get_or_create(committee=committee, year=year)
    _check_editable(rubric)
    existing = {item.code: item for item in rubric.items.all()}
    for order, row in enumerate(rows, start=1):
        item = existing.get(row["code"]) or RubricItem(rubric=rubric, code=row["code"])
        for field, value in row.items():
            setattr(item, field, value)
        item.order = order
        item.save()
    _log(actor=actor, rubric=rubric, action=_("导入考核细则"), detail=_("%(n)s项") % {"n": len(rows)})
    if not rubric.is_draft:
        _open_items(rubric)
    return rubric


@transaction.atomic
def rubric_publish(*, actor: Actor | None, rubric: Rubric) -> list[Assessment]:
    """Publish the rubric and open an assessment (自评中) for every direct child committee."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if actor is not None:
        require(actor, "assessment.rubric_publish", rubric)
    if not rubric.is_draft:
        raise ValidationError(_("考核细则已发布。"))
    if not rubric.items.exists():
        raise ValidationError(_("考核细则还没有考核项目，不能发布。"))
    rubric.state = Rubric.State.PUBLISHED
    rubric.published_at = timezone.now()
    rubric.save()
    _log(actor=actor, rubric=rubric, action=Action.PUBLISH.label)
    return _open_items(rubric)


@transaction.atomic
def assessments_open(*, rubric: Rubric) -> list[Assessment]:
    """Open the assessments of children that joined the parent after the rubric was published."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric.is_draft:
        return []
    return _open_items(rubric)


def child_joined(*, committee: Committee, parent: Committee | None, **_signal) -> None:
    """A committee placed under a parent joins the parent's running assessments (a
    published rubric with an assessment still under way); it is never assessed by
    a sheet whose round has ended."""
    if parent is None:
        return
    for rubric in Rubric.objects.filter(committee=parent, state=Rubric.State.PUBLISHED):
        others = rubric.assessments.exclude(committee=committee)
        if not others.exists() or others.exclude(state=Assessment.State.FINAL).exists():
            assessments_open(rubric=rubric)


def _open_items(rubric: Rubric) -> list[Assessment]:
    """Every direct child has its assessment, and every open assessment a row per item."""
    opened = []
    for child in Committee.objects.filter(parent=rubric.committee_id).order_by("pk"):
        assessment, created = Assessment.objects.get_or_create(rubric=rubric, committee=child)
        if created:
            opened.append(assessment)
            _log(actor=None, rubric=rubric, assessment=assessment, action=_("开始自评"))
    items = list(rubric.items.all())
    for assessment in rubric.assessments.filter(state=Assessment.State.SELF):
        have = set(assessment.items.values_list("rubric_item_id", flat=True))
        AssessmentItem.objects.bulk_create([
            AssessmentItem(assessment=assessment, rubric_item=item, committee_id=assessment.committee_id)
            for item in items if item.pk not in have
        ])
    return opened


# -- the self-assessment -------------------------------------------------------------------------


def check_score(value, points: Decimal, *, field: str) -> Decimal:
    if value is None or value == "":
        raise ValidationError({field: _("请填写得分")})
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: _("得分应为数字")}) from None
    if not number.is_finite() or not 0 <= number <= points or not scoring.is_half_step(number):
        raise ValidationError({field: _("得分应在 0–%(points)s 之间，以 0.5 分为单位") % {"points": points.normalize()}})
    return number


@transaction.atomic
def item_self_assess(*, actor: Actor, item: AssessmentItem, self_score=None, explanation: str = "") -> AssessmentItem:
    """The unit's own score (manual items) and explanation (any item)."""
    assessment = _locked(item.assessment)
    item.assessment = assessment
    _refuse_unless(actor, "assessment.self_score", item, assessment, Action.SELF_SCORE)
    rubric_item = item.rubric_item
    if not rubric_item.is_auto:
        item.self_score = check_score(self_score, rubric_item.points, field="self_score")
    item.explanation = explanation.strip()
    item._history_user = actor.user
    item.save()
    _log(actor=actor, rubric=assessment.rubric, assessment=assessment, action=Action.SELF_SCORE.label,
         detail=f"{rubric_item.code}：{item.self_score if item.self_score is not None else ''}")
    return item


def _evidence(key: str, committee, year: int) -> dict:
    qs = figures.records(key, committee, year)
    return {"model": qs.model._meta.label_lower, "ids": sorted(qs.values_list("pk", flat=True))}


@transaction.atomic
def assessment_submit(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Freeze every value, score and evidence list as it is now (待审核)."""
    assessment = _locked(assessment)
    _refuse_unless(actor, "assessment.submit", assessment, assessment, Action.SUBMIT)
    items = list(assessment.items.select_related("rubric_item"))
    missing = [i.rubric_item.code for i in items if not i.rubric_item.is_auto and i.self_score is None]
    if missing:
        raise ValidationError(_("以下人工评分项目还没有自评分：%(codes)s") % {"codes": "、".join(missing)})
    now = timezone.now()
    for item in items:
        rubric_item = item.rubric_item
        if rubric_item.is_auto:
            item.value, item.score = scoring.item_score(rubric_item, assessment.committee, assessment.rubric.year)
            item.evidence = _evidence(rubric_item.indicator, assessment.committee, assessment.rubric.year)
        else:
            item.value, item.score, item.evidence = None, item.self_score, {}
        item.frozen_at = now
        item.review, item.reviewer_score, item.review_reason = "", None, ""
        item._history_user = actor.user
        item.save()
    assessment.state = assessment.target_state(Action.SUBMIT)
    assessment.submitted_at = now
    _snapshot(assessment, items)
    _log(actor=actor, rubric=assessment.rubric, assessment=assessment, action=Action.SUBMIT.label,
         detail=_("第%(n)s轮，自评%(total)s分") % {"n": assessment.round, "total": assessment.total})
    notifications.assessment_step(assessment, Action.SUBMIT, actor)
    return assessment


def _snapshot(assessment: Assessment, items: list[AssessmentItem]) -> None:
    """Total, subtotals and grade as they stand, for the ranking (read, never recomputed there)."""
    subtotals: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        subtotals[item.rubric_item.category] += item.final_score or Decimal(0)
    assessment.total = sum(subtotals.values(), Decimal(0))
    assessment.subtotals = {category: str(value.quantize(HALF)) for category, value in subtotals.items()}
    assessment.grade = assessment.rubric.grade(assessment.total)
    assessment.save()


# -- review ---------------------------------------------------------------------------------------


@transaction.atomic
def item_review(*, actor: Actor, item: AssessmentItem, accept: bool, score=None, reason: str = "") -> AssessmentItem:
    """Accept the submitted score, or set another one with a required reason."""
    assessment = _locked(item.assessment)
    item.assessment = assessment
    _refuse_unless(actor, "assessment.review", item, assessment, Action.REVIEW)
    rubric_item = item.rubric_item
    if accept:
        item.review, item.reviewer_score, item.review_reason = AssessmentItem.Review.ACCEPTED, None, ""
        detail = _("%(code)s：认可%(score)s分") % {"code": rubric_item.code, "score": item.score}
    else:
        number = check_score(score, rubric_item.points, field="score")
        if not reason.strip():
            raise ValidationError({"reason": _("调整得分须填写理由")})
        item.review, item.reviewer_score, item.review_reason = AssessmentItem.Review.ADJUSTED, number, reason.strip()
        detail = _("%(code)s：%(old)s分调整为%(new)s分，理由：%(reason)s") % {
            "code": rubric_item.code, "old": item.score, "new": number, "reason": item.review_reason}
    item._history_user = actor.user
    item.save()
    _snapshot(assessment, list(assessment.items.select_related("rubric_item")))
    _log(actor=actor, rubric=assessment.rubric, assessment=assessment, action=Action.REVIEW.label, detail=detail)
    return item


def _round_items(items: list[AssessmentItem]) -> list[dict]:
    return [
        {"code": i.rubric_item.code, "content": i.rubric_item.content, "points": str(i.rubric_item.points),
         "value": None if i.value is None else str(i.value), "score": None if i.score is None else str(i.score),
         "self_score": None if i.self_score is None else str(i.self_score), "explanation": i.explanation,
         "review": i.review, "reviewer_score": None if i.reviewer_score is None else str(i.reviewer_score),
         "review_reason": i.review_reason, "evidence": i.evidence}
        for i in items
    ]


@transaction.atomic
def assessment_return(*, actor: Actor, assessment: Assessment, comment: str) -> Assessment:
    """Send the assessment back to the unit (自评中), keeping this round as it was."""
    assessment = _locked(assessment)
    _refuse_unless(actor, "assessment.return", assessment, assessment, Action.RETURN)
    if not comment.strip():
        raise ValidationError({"comment": _("退回须填写意见")})
    items = list(assessment.items.select_related("rubric_item"))
    AssessmentRound.objects.create(assessment=assessment, number=assessment.round, items=_round_items(items),
                                   outcome=Action.RETURN, comment=comment.strip())
    assessment.state = assessment.target_state(Action.RETURN)
    assessment.round += 1
    assessment.save()
    _log(actor=actor, rubric=assessment.rubric, assessment=assessment, action=Action.RETURN.label,
         detail=comment.strip())
    notifications.assessment_step(assessment, Action.RETURN, actor)
    return assessment


@transaction.atomic
def assessment_finalise(*, actor: Actor, assessment: Assessment, due_date: datetime.date | None = None) -> Assessment:
    """Fix total and grade (已评定); items not reviewed yet are accepted as submitted, and
    every item below its points opens a rectification due on ``due_date``."""
    assessment = _locked(assessment)
    _refuse_unless(actor, "assessment.finalise", assessment, assessment, Action.FINALISE)
    today = timezone.localdate()
    due_date = due_date or today + datetime.timedelta(days=RECTIFICATION_DAYS)
    if due_date < today:
        raise ValidationError({"due_date": _("整改期限不能早于今天")})
    items = list(assessment.items.select_related("rubric_item"))
    for item in items:
        if not item.review:
            item.review = AssessmentItem.Review.ACCEPTED
            item._history_user = actor.user
            item.save(update_fields=["review", "updated_at"])
    assessment.state = assessment.target_state(Action.FINALISE)
    assessment.finalised_at = timezone.now()
    _snapshot(assessment, items)
    AssessmentRound.objects.create(assessment=assessment, number=assessment.round, items=_round_items(items),
                                   outcome=Action.FINALISE)
    for item in items:
        if item.final_score < item.rubric_item.points:
            _open_rectification(actor, item, due_date)
    _log(actor=actor, rubric=assessment.rubric, assessment=assessment, action=Action.FINALISE.label,
         detail=_("总分%(total)s，%(grade)s") % {"total": assessment.total, "grade": assessment.grade})
    notifications.assessment_step(assessment, Action.FINALISE, actor)
    return assessment


def _open_rectification(actor: Actor, item: AssessmentItem, due_date: datetime.date) -> Rectification:
    points = item.rubric_item.points
    finding = _("%(code)s %(content)s：得%(score)s分，扣%(lost)s分。") % {
        "code": item.rubric_item.code, "content": item.rubric_item.content, "score": item.final_score,
        "lost": points - item.final_score}
    if item.review_reason:
        finding += item.review_reason
    return Rectification.objects.create(item=item, committee_id=item.committee_id, finding=finding,
                                        due_date=due_date, created_by=actor.user)


# -- rectifications -------------------------------------------------------------------------------


def _rect_step(actor: Actor, rectification: Rectification, who: str, state_ok, action: str) -> Rectification:
    """The rectification re-read under a lock; PermissionDenied unless the actor plays the part
    (rule ``who``), ValidationError when its state does not allow the step."""
    rectification = Rectification.objects.select_for_update().select_related(
        "item__assessment__rubric", "item__rubric_item").get(pk=rectification.pk)
    require(actor, who, rectification)
    if not state_ok(rectification):
        raise ValidationError(_("整改事项当前状态为“%(state)s”，不能%(action)s。")
                              % {"state": rectification.get_state_display(), "action": action})
    return rectification


def _rect_log(actor: Actor, rectification: Rectification, action: str, detail: str) -> None:
    assessment = rectification.item.assessment
    rectification._history_user = actor.user
    rectification.save()
    _log(actor=actor, rubric=assessment.rubric, assessment=assessment, action=action,
         detail=f"{rectification.item.rubric_item.code}：{detail}")


def _is_closed(rectification: Rectification) -> bool:
    return rectification.state == Rectification.State.CLOSED


@transaction.atomic
def rectification_close(*, actor: Actor, rectification: Rectification, note: str) -> Rectification:
    rectification = _rect_step(actor, rectification, "assessment.rectification_owner", lambda r: r.is_open, _("提交整改"))
    if not note.strip():
        raise ValidationError({"note": _("请填写整改说明")})
    rectification.state = Rectification.State.CLOSED
    rectification.closing_note = note.strip()
    rectification.closed_at = timezone.now()
    _rect_log(actor, rectification, _("整改完成"), rectification.closing_note)
    return rectification


@transaction.atomic
def rectification_confirm(*, actor: Actor, rectification: Rectification) -> Rectification:
    rectification = _rect_step(actor, rectification, "assessment.rectification_assessor", _is_closed, _("确认"))
    rectification.state = Rectification.State.CONFIRMED
    rectification.confirmed_at = timezone.now()
    _rect_log(actor, rectification, _("确认整改"), "")
    return rectification


@transaction.atomic
def rectification_reopen(*, actor: Actor, rectification: Rectification, reason: str,
                         due_date: datetime.date | None = None) -> Rectification:
    rectification = _rect_step(actor, rectification, "assessment.rectification_assessor", _is_closed, _("重新打开"))
    if not reason.strip():
        raise ValidationError({"reason": _("重新打开须填写理由")})
    if due_date is not None:
        if due_date < timezone.localdate():
            raise ValidationError({"due_date": _("整改期限不能早于今天")})
        rectification.due_date = due_date
    rectification.state = Rectification.State.REOPENED
    rectification.reopen_reason = reason.strip()
    _rect_log(actor, rectification, _("重新打开整改"), rectification.reopen_reason)
    return rectification
