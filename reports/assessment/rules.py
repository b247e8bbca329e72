"""Who may do what in the assessment, as named rules (django-rules, loaded at
start-up like ``portal/rules.py``; views, services and templates ask
``portal.rules.allowed`` / ``require`` with these names).

The child committee's office assesses itself and closes its rectifications;
the parent committee's office and assessors (考核组) publish rubrics, review,
return, finalise and confirm. Reading is scoping first
(:func:`reports.assessment.selectors.assessments_visible_to`, 404 outside it).
"""

from __future__ import annotations

import rules

from portal.rules import is_office, no_object, views_other_committee

from .models import Assessment, AssessmentItem, Rectification, Rubric


def _assessment(obj) -> Assessment | None:
    if isinstance(obj, Assessment):
        return obj
    if isinstance(obj, AssessmentItem):
        return obj.assessment
    if isinstance(obj, Rectification):
        return obj.item.assessment
    return None


def parent_id(obj) -> int | None:
    """The committee whose rubric the object belongs to."""
    if isinstance(obj, Rubric):
        return obj.committee_id
    assessment = _assessment(obj)
    return assessment.rubric.committee_id if assessment is not None else None


@rules.predicate
def is_assessor(actor) -> bool:
    return actor.is_assessor


@rules.predicate
def of_child(actor, obj) -> bool:
    """The object is the actor's own committee's assessment (or part of it). Its own
    (``home``): a superior's office viewing a descendant never acts as the descendant."""
    assessment = _assessment(obj)
    return assessment is not None and assessment.committee_id == actor.committee.pk == actor.home.pk


@rules.predicate
def of_parent(actor, obj) -> bool:
    """The object belongs to a rubric of the actor's own committee."""
    return parent_id(obj) == actor.home.pk


def state_allows(action: str) -> rules.Predicate:
    return rules.predicate(lambda actor, obj: _assessment(obj).allows(action), name=f"assessment_allows_{action}")


@rules.predicate
def rubric_is_draft(actor, rubric) -> bool:
    return rubric.is_draft


@rules.predicate
def rectification_open(actor, rectification) -> bool:
    return rectification.is_open


@rules.predicate
def rectification_closed(actor, rectification) -> bool:
    return rectification.state == Rectification.State.CLOSED


child_office = is_office & of_child
parent_group = (is_office | is_assessor) & of_parent
# The parent acts from its own committee: viewing a unit (read-only, portal.access)
# it reads the assessments but publishes, reviews and confirms nothing until back home.
acting_home = ~views_other_committee
parent_acts = parent_group & acting_home

rules.set_rule("assessment.nav", is_office | is_assessor)
rules.set_rule("assessment.mine", is_office & acting_home)  # the own committee's assessments
rules.set_rule("assessment.rubrics", is_office | is_assessor)  # the parent's pages: rubrics, list, ranking
rules.set_rule("assessment.rubric_edit", acting_home & is_office & (no_object | (of_parent & rubric_is_draft)))
rules.set_rule("assessment.rubric_import", acting_home & is_office & (no_object | of_parent))
rules.set_rule("assessment.rubric_publish", acting_home & is_office & of_parent & rubric_is_draft)
rules.set_rule("assessment.read", child_office | parent_group)
rules.set_rule("assessment.self_score", child_office & state_allows("self_score"))
rules.set_rule("assessment.submit", child_office & state_allows("submit"))
rules.set_rule("assessment.review", parent_acts & state_allows("review"))
rules.set_rule("assessment.return", parent_acts & state_allows("return"))
rules.set_rule("assessment.finalise", parent_acts & state_allows("finalise"))
rules.set_rule("assessment.rectification_owner", child_office)
rules.set_rule("assessment.rectification_assessor", parent_acts)
rules.set_rule("assessment.rectification_close", child_office & rectification_open)
rules.set_rule("assessment.rectification_confirm", parent_acts & rectification_closed)
rules.set_rule("assessment.rectification_reopen", parent_acts & rectification_closed)
# The record rules of the evidence rows (portal.attachments asks ``<key>.change``).
item_writers = is_office & (no_object | (of_child & state_allows("self_score")))
rectification_writers = is_office & (no_object | (of_child & rectification_open))
