"""A parent committee over the shared world's committee (alpha) and a sibling,
with the parent's office and an assessor, and a 2020 rubric to assess by."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from portal.access import actor_for
from reports.assessment import services
from reports.assessment.models import Rubric, RubricItem
from tests import factories as f


@dataclass
class Tree:
    world: object
    parent: object
    child: object  # world.committee
    sibling: object
    grandchild: object
    p_office: object  # users
    assessor: object
    p_leader: object
    sib_office: object


@pytest.fixture
def tree(world) -> Tree:
    parent = f.CommitteeFactory(slug="prov", name="省中心党委")
    child = world.committee
    child.parent = parent
    child.save()
    sibling = f.CommitteeFactory(slug="sib", name="丙局党委", parent=parent)
    grandchild = f.CommitteeFactory(slug="station", name="测站党支部", parent=child)
    p_branch = f.BranchFactory(committee=parent, name="省中心机关党支部")
    return Tree(
        world=world, parent=parent, child=child, sibling=sibling, grandchild=grandchild,
        p_office=f.person_with_user(parent, "p_office", role="office", branch=p_branch),
        assessor=f.person_with_user(parent, "assessor", role="assessor", branch=p_branch),
        p_leader=f.person_with_user(parent, "p_leader", role="leader", branch=p_branch),
        sib_office=f.person_with_user(sibling, "sib_office", role="office",
                                      branch=f.BranchFactory(committee=sibling)),
    )


def as_actor(user):
    return actor_for(user)


ITEMS = [
    # code, category, content, points, method, indicator, target, scoring, deduct_per
    ("1.1", "组织领导", "党委专题研究意识形态工作", "5", "auto", "ideology_meetings", "2", "deduct", "2.5"),
    ("1.2", "组织领导", "责任书签订", "10", "auto", "letters_signed_ratio", "100", "ratio", None),
    ("2.1", "理论学习", "中心组学习", "5", "auto", "central_group_sessions", "12", "threshold", None),
    ("3.1", "舆论引导", "阵地管理", "5", "manual", "", None, "", None),
]


def make_rubric(parent, year=2020, items=ITEMS) -> Rubric:
    rubric = Rubric.objects.create(committee=parent, year=year)
    for order, (code, category, content, points, method, indicator, target, kind, per) in enumerate(items, 1):
        RubricItem.objects.create(
            rubric=rubric, code=code, category=category, content=content, points=Decimal(points), method=method,
            indicator=indicator, target=Decimal(target) if target else None, scoring=kind,
            deduct_per=Decimal(per) if per else None, order=order,
        )
    return rubric


@pytest.fixture
def rubric(tree) -> Rubric:
    return make_rubric(tree.parent)


@pytest.fixture
def published(tree, rubric) -> Rubric:
    services.rubric_publish(actor=as_actor(tree.p_office), rubric=rubric)
    return rubric


@pytest.fixture
def assessment(tree, published):
    return published.assessments.get(committee=tree.child)
