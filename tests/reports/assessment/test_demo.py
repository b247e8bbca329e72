"""The demo's assessment, on a hierarchy made here as the hierarchy's seeder
makes it (committees ``province`` over ``demo`` and ``city-b``)."""

import datetime

import pytest
from django.core.management import call_command

from portal.demo import seed_organisation
from portal.models import Committee
from reports.assessment import demo, scoring
from reports.assessment.models import Assessment, AssessmentEvent, Rectification, Rubric
from tests import factories as f


@pytest.mark.django_db
def test_without_the_hierarchy_the_demo_skips_the_assessment():
    org = seed_organisation()  # the bureau alone: no province over it
    assert demo.seed(org) is None
    assert not Rubric.objects.exists()


@pytest.mark.django_db
def test_demo_assessment_on_the_hierarchy():
    """seed_demo's hierarchy (reports.hierarchy_demo) then its assessment."""
    call_command("seed_demo", verbosity=0)
    assert Rubric.objects.filter(committee__slug="province", year=2020).exists()  # one run seeds it all
    org = seed_organisation()
    city_b = Committee.objects.get(slug="city-b")
    assert org.committee.parent.slug == "province" and city_b.parent_id == org.committee.parent_id

    rubric = demo.seed(org)
    assert rubric.state == Rubric.State.PUBLISHED and rubric.items.count() == 20
    assert set(rubric.items.values_list("indicator", flat=True)) - {""} == set(scoring.INDICATORS)
    assert rubric.items.filter(method="manual").count() == 5

    bureau = rubric.assessments.get(committee=org.committee)
    assert bureau.state == Assessment.State.SUBMITTED
    assert bureau.items.exclude(review="").count() == 3 and bureau.items.filter(review="adjusted").count() == 1
    # The demo bureau reproduces the sample report: its 2 special meetings meet 1.1's target.
    assert bureau.items.get(rubric_item__code="1.1").score == 5

    finalised = rubric.assessments.get(committee=city_b)
    assert finalised.is_final
    rects = Rectification.objects.filter(item__assessment=finalised).order_by("item__rubric_item__order")
    assert [r.state for r in rects] == [Rectification.State.CLOSED, Rectification.State.OPEN]
    assert rects[1].is_overdue() and not rects[0].is_overdue()

    events = AssessmentEvent.objects.count()
    assert demo.seed(org) == rubric and AssessmentEvent.objects.count() == events  # again: nothing changes
