"""The admin never writes an assessment row: a superuser can neither change,
delete, add nor revert one, so a finalised assessment cannot move there."""

import pytest
from django.urls import reverse

from reports.assessment import services
from reports.assessment.models import Assessment, AssessmentItem, Rectification, RubricItem
from tests import factories as f
from tests.reports.assessment.conftest import as_actor, make_rubric, tree  # noqa: F401


@pytest.fixture
def finalised(tree):  # noqa: F811
    rubric = make_rubric(tree.parent)
    services.rubric_publish(actor=as_actor(tree.p_office), rubric=rubric)
    assessment = rubric.assessments.get(committee=tree.child)
    manual = AssessmentItem.objects.get(assessment=assessment, rubric_item__code="3.1")
    services.item_self_assess(actor=as_actor(tree.world.office), item=manual, self_score="4")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def test_a_superuser_cannot_change_a_finalised_assessment_in_the_admin(finalised, client):
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    item = AssessmentItem.objects.get(assessment=finalised, rubric_item__code="3.1")
    rect = Rectification.objects.get(item=item)
    before = (finalised.total, finalised.grade, item.score, item.self_score, rect.state)
    for obj in (finalised, item, rect, finalised.rubric, RubricItem.objects.get(rubric=finalised.rubric, code="3.1")):
        meta = obj._meta
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        client.post(change, {"total": "100", "grade": "优秀", "score": "5", "self_score": "5", "state": "open"})
        delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
        history = obj.history.order_by("history_id").first()
        revert = reverse(f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, history.pk])
        assert client.post(revert, {}).status_code in (403, 404)
    finalised.refresh_from_db()
    item.refresh_from_db()
    rect.refresh_from_db()
    assert (finalised.total, finalised.grade, item.score, item.self_score, rect.state) == before
    assert Assessment.objects.filter(pk=finalised.pk).exists()
