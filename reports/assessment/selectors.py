"""Reads of the assessment, scoped to the actor: a child committee sees its own
assessments; the parent's office and assessors see those under their rubrics.
Anything else is never fetched (404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal import figures
from portal.access import Actor
from portal.models import Committee

from . import scoring
from .models import Assessment, AssessmentEvent, AssessmentItem, Rectification, Rubric


def _reads_children(actor: Actor) -> bool:
    return actor.is_office or actor.is_assessor


def assessments_visible_to(actor: Actor) -> QuerySet[Assessment]:
    condition = Q(committee=actor.committee)
    if _reads_children(actor):
        condition |= Q(rubric__committee=actor.home)
    return Assessment.objects.filter(condition).select_related("rubric", "committee", "rubric__committee")


def items_visible_to(actor: Actor) -> QuerySet[AssessmentItem]:
    condition = Q(assessment__committee=actor.committee)
    if _reads_children(actor):
        condition |= Q(assessment__rubric__committee=actor.home)
    return AssessmentItem.objects.filter(condition).select_related("assessment__rubric", "rubric_item")


def rectifications_visible_to(actor: Actor) -> QuerySet[Rectification]:
    condition = Q(committee=actor.committee)
    if _reads_children(actor):
        condition |= Q(item__assessment__rubric__committee=actor.home)
    return Rectification.objects.filter(condition).select_related(
        "item__assessment__rubric", "item__assessment__committee", "item__rubric_item")


def rubrics_of(actor: Actor) -> QuerySet[Rubric]:
    """The rubrics the actor's own committee set for its children."""
    if not _reads_children(actor):
        return Rubric.objects.none()
    return Rubric.objects.filter(committee=actor.home).order_by("-year")


def get_or_404(qs: QuerySet, pk):
    try:
        return qs.get(pk=int(pk))
    except (ValueError, TypeError, qs.model.DoesNotExist):
        raise Http404 from None


def children_of(committee: Committee) -> QuerySet[Committee]:
    return Committee.objects.filter(parent=committee).order_by("name")


# -- one assessment ---------------------------------------------------------------------------


@dataclass
class ItemView:
    item: AssessmentItem
    value: Decimal | None  # live while the unit assesses itself, frozen after
    score: Decimal | None
    evidence_url: str | None
    changed: int = 0  # records behind a frozen value changed since submit
    attachments: list = field(default_factory=list)  # set by the page


def item_rows(assessment: Assessment) -> list[ItemView]:
    """Each item as the page shows it: live figures while 自评中, frozen ones after."""
    rows = []
    year = assessment.rubric.year
    items = assessment.items.select_related("rubric_item")
    for item in items:
        rubric_item = item.rubric_item
        url = figures.url(rubric_item.indicator, year) if rubric_item.is_auto else None
        if assessment.state == Assessment.State.SELF:
            if rubric_item.is_auto:
                value, score = scoring.item_score(rubric_item, assessment.committee, year)
            else:
                value, score = None, item.self_score
            rows.append(ItemView(item, value, score, url))
        else:
            changed = changed_since(item, assessment) if rubric_item.is_auto else 0
            rows.append(ItemView(item, item.value, item.score, url, changed))
    return rows


def changed_since(item: AssessmentItem, assessment: Assessment) -> int:
    """How many records behind the frozen value are new, gone or edited since it was frozen."""
    if not item.frozen_at or not item.evidence:
        return 0
    qs = figures.records(item.rubric_item.indicator, assessment.committee, assessment.rubric.year)
    frozen = set(item.evidence.get("ids", []))
    now = set(qs.values_list("pk", flat=True))
    edited = set(qs.filter(pk__in=frozen & now, updated_at__gt=item.frozen_at).values_list("pk", flat=True))
    return len(frozen ^ now) + len(edited)


def events_of(assessment: Assessment) -> QuerySet[AssessmentEvent]:
    return assessment.events.select_related("user__person").order_by("-at", "-id")


def rectifications_of(assessment: Assessment) -> list[Rectification]:
    return list(Rectification.objects.filter(item__assessment=assessment).select_related("item__rubric_item"))


def assessment_for(committee: Committee, year: int) -> Assessment | None:
    return (Assessment.objects.filter(committee=committee, rubric__year=year, rubric__state=Rubric.State.PUBLISHED)
            .select_related("rubric", "committee").first())


def _num(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()


def score_sheet(assessment: Assessment) -> dict:
    """The unit's score sheet as it stands (the ``assess`` command, the page's download):
    one row per item and the total; live while 自评中, frozen and reviewed after."""
    rows, total = [], Decimal(0)
    for view in item_rows(assessment):
        item, rubric_item = view.item, view.item.rubric_item
        score = item.final_score if assessment.state != Assessment.State.SELF else view.score
        notes = []
        if rubric_item.is_auto:
            notes.append(f"目标值{_num(rubric_item.target)}，{rubric_item.scoring_label}")
        notes += [text for text in (item.explanation, item.review_reason and f"审核：{item.review_reason}") if text]
        rows.append({"code": rubric_item.code, "category": rubric_item.category, "content": rubric_item.content,
                     "points": _num(rubric_item.points), "value": _num(view.value),
                     "score": _num(score), "notes": "；".join(notes)})
        total += score or 0
    return {"assessment": assessment, "rows": rows, "total": _num(total),
            "points": _num(sum((r["points"] for r in rows), Decimal(0)))}


# -- the parent's overview: the ranking -----------------------------------------------------


def ranking(rubric: Rubric, *, sort: str = "total") -> list[Assessment]:
    """Every child's assessment with its snapshot and rectification counts, in one query."""
    today = timezone.localdate()
    open_states = [Rectification.State.OPEN, Rectification.State.REOPENED]
    rows = list(
        rubric.assessments.select_related("committee").annotate(
            open_count=Count("items__rectification", filter=Q(items__rectification__state__in=open_states)),
            overdue_count=Count("items__rectification", filter=Q(
                items__rectification__state__in=open_states, items__rectification__due_date__lt=today)),
        )
    )
    rows.sort(key=_SORT_KEYS.get(sort, _SORT_KEYS["total"]))
    return rows


_SORT_KEYS = {
    "total": lambda a: (a.total is None, -(a.total or 0), a.committee.name),
    "name": lambda a: a.committee.name,
    "state": lambda a: (a.state, a.committee.name),
    "open": lambda a: (-a.open_count, a.committee.name),
    "overdue": lambda a: (-a.overdue_count, a.committee.name),
}


def categories(rubric: Rubric) -> list[str]:
    seen: dict[str, None] = {}
    for category in rubric.items.values_list("category", flat=True):
        seen.setdefault(category, None)
    return list(seen)


SORTS = {"total": "总分", "name": "单位", "state": "状态", "open": "未完成整改", "overdue": "逾期整改"}


def ranking_context(rubric: Rubric, sort: str = "") -> dict:
    """The ranking as plain data (page, xlsx and PDF alike): rank by total, shown in ``sort`` order."""
    sort = sort if sort in SORTS else "total"
    assessments = ranking(rubric, sort="total")
    ranks, previous, rank = {}, None, 0
    for position, assessment in enumerate(assessments, start=1):
        if assessment.total != previous:
            rank, previous = position, assessment.total
        ranks[assessment.pk] = rank if assessment.total is not None else None
    if sort != "total":
        assessments = sorted(assessments, key=_SORT_KEYS[sort])
    rows = [{
        "pk": a.pk, "rank": ranks[a.pk], "name": a.committee.name, "total": _num(a.total), "grade": a.grade,
        "subtotals": {k: _num(Decimal(v)) for k, v in a.subtotals.items()}, "state": a.get_state_display(),
        "state_code": a.state, "open": a.open_count, "overdue": a.overdue_count,
    } for a in assessments]
    return {"rubric": rubric, "categories": categories(rubric), "rows": rows, "sort": sort, "sorts": SORTS}


def rectifications_of_committee(committee: Committee) -> QuerySet[Rectification]:
    return (Rectification.objects.filter(committee=committee)
            .select_related("item__rubric_item", "item__assessment__rubric").order_by("due_date", "pk"))


def describe_ranking(document):
    """What a registered ranking PDF is (the verify page)."""
    from django.urls import reverse

    from portal.seal.issuing import DocumentDescription

    rubric = Rubric.objects.select_related("committee").filter(pk=int(document.object_id)).first() \
        if document.object_id.isdigit() else None
    if rubric is None:
        return None
    return DocumentDescription(title=document.description, url=reverse("assessment:ranking", args=[rubric.pk]),
                               details=(f"{rubric.committee.name}{rubric.year}年度考核排名",))


def evidence_items(committee: Committee, year: int) -> list[dict]:
    """The assessment of a unit and year as the evidence binder files it: each item
    with its score and the records behind it (those frozen at submit once submitted,
    the live figure's before) and the item's own attachments. Empty without a
    published assessment. The binder reads the records' attachments itself."""
    from django.apps import apps

    from portal.attachments.selectors import attachments_of

    assessment = assessment_for(committee, year)
    if assessment is None:
        return []
    views = item_rows(assessment)
    attached = attachments_of(view.item for view in views)
    result = []
    for view in views:
        item, rubric_item = view.item, view.item.rubric_item
        if not rubric_item.is_auto:
            records = []
        elif assessment.state == Assessment.State.SELF:
            records = list(figures.records(rubric_item.indicator, committee, year))
        else:
            model = apps.get_model(item.evidence["model"])
            records = list(model._base_manager.filter(pk__in=item.evidence["ids"]).order_by("pk"))
        score = item.final_score if assessment.state != Assessment.State.SELF else view.score
        result.append({"code": rubric_item.code, "category": rubric_item.category, "content": rubric_item.content,
                       "points": rubric_item.points, "value": view.value, "score": score,
                       "explanation": item.explanation, "records": records, "attachments": attached[item]})
    return result
