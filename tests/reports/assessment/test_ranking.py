"""The ranking reads the snapshots kept at submit, review and finalise: a fixed
number of queries whatever the number of children; its PDF is sealed."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.seal.verify import verify_pdf_bytes
from reports.assessment import services
from reports.assessment.models import AssessmentItem
from tests import factories as f
from tests.reports.conftest import pdf_text

from .conftest import as_actor


def _submit_all(tree, rubric):
    """Every child's office scores its manual item and submits."""
    for assessment in rubric.assessments.select_related("committee"):
        office = tree.world.office if assessment.committee == tree.child else f.person_with_user(
            assessment.committee, f"o-{assessment.committee.slug}", role="office",
            branch=f.BranchFactory(committee=assessment.committee))
        services.item_self_assess(actor=as_actor(office), self_score="5",
                                  item=AssessmentItem.objects.get(assessment=assessment, rubric_item__code="3.1"))
        services.assessment_submit(actor=as_actor(office), assessment=assessment)


def _queries(client, url) -> int:
    client.get(url)  # the first request of a client fills per-process caches (content types, the seal)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_ranking_queries_do_not_grow_with_the_children(tree, rubric, client_for):
    services.rubric_publish(actor=as_actor(tree.p_office), rubric=rubric)
    _submit_all(tree, rubric)
    client = client_for(tree.assessor)
    page, xlsx = reverse("assessment:ranking", args=[rubric.pk]), reverse("assessment:ranking_xlsx", args=[rubric.pk])
    few = (_queries(client, page), _queries(client, xlsx))
    for n in range(8):
        f.CommitteeFactory(slug=f"more-{n}", parent=tree.parent)
    services.assessments_open(rubric=rubric)  # children added after publishing get theirs
    rubric.refresh_from_db()
    assert rubric.assessments.count() == 10
    many = (_queries(client, page), _queries(client, xlsx))
    assert few == many
    assert "more-7" not in client.get(page).content.decode()  # names, not slugs
    assert client.get(page).content.decode().count('href="/assessment/') >= 10


def test_ranking_pdf_is_sealed_and_verifiable(tree, rubric, client_for):
    services.rubric_publish(actor=as_actor(tree.p_office), rubric=rubric)
    _submit_all(tree, rubric)
    response = client_for(tree.p_office).get(reverse("assessment:ranking_pdf", args=[rubric.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    verdict = verify_pdf_bytes(pdf)
    assert verdict.accepted and verdict.current, verdict.reason
    text = pdf_text(pdf)
    assert "省中心党委2020年度意识形态工作责任制考核结果" in text and "甲局党委" in text and "丙局党委" in text
    second = client_for(tree.p_office).get(reverse("assessment:ranking_pdf", args=[rubric.pk])).content
    assert verify_pdf_bytes(second).current and not verify_pdf_bytes(pdf).current
