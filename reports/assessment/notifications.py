"""Daily reminders of rectifications (整改) that are overdue or due within a week:
to the unit's office (its own items) and to the parent's office and assessors
(their children's items). One notification per person, side and day, however
often the sweep runs (``portal.notifications.notify`` keys)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Person, Role
from portal.notifications import notify

from .models import Rectification

SOON_DAYS = 7
LISTED = 10


def _line(rect: Rectification, today: datetime.date) -> str:
    state = _("已逾期") if rect.due_date < today else _("即将到期")
    return _("%(unit)s %(code)s %(content)s：%(state)s（期限%(due)s）") % {
        "unit": rect.item.assessment.committee.name, "code": rect.item.rubric_item.code,
        "content": rect.item.rubric_item.content, "state": state, "due": rect.due_date.isoformat()}


def _message(head: str, lines: list[str]) -> str:
    more = len(lines) - LISTED
    tail = [_("……另有%(n)s项") % {"n": more}] if more > 0 else []
    return "\n".join([head, *lines[:LISTED], *tail])


def reminders_send(*, today: datetime.date) -> int:
    due = list(
        Rectification.objects.filter(state__in=[Rectification.State.OPEN, Rectification.State.REOPENED],
                                      due_date__lte=today + datetime.timedelta(days=SOON_DAYS))
        .select_related("item__rubric_item", "item__assessment__committee", "item__assessment__rubric__committee")
        .order_by("due_date", "pk")
    )
    by_child, by_parent = defaultdict(list), defaultdict(list)
    for rect in due:
        by_child[rect.item.assessment.committee].append(rect)
        by_parent[rect.item.assessment.rubric.committee].append(rect)
    sent = 0
    for committee, rects in by_child.items():
        sent += len(notify(
            committee=committee, recipients=Person.objects.filter(committee=committee, role=Role.OFFICE),
            message=_message(_("本单位有%(n)s项考核整改事项逾期或即将到期：") % {"n": len(rects)},
                             [_line(r, today) for r in rects]),
            link=reverse("assessment:mine"), kind="assessment_rectification", key=f"assess-rect-own:{today}"))
    for committee, rects in by_parent.items():
        sent += len(notify(
            committee=committee,
            recipients=Person.objects.filter(committee=committee, role__in=[Role.OFFICE, Role.ASSESSOR]),
            message=_message(_("下级单位有%(n)s项考核整改事项逾期或即将到期：") % {"n": len(rects)},
                             [_line(r, today) for r in rects]),
            link=reverse("assessment:rectifications"), kind="assessment_rectification",
            key=f"assess-rect-children:{today}"))
    return sent


# -- steps of an assessment: who is told (the person who acted is not) ----------------------------


def _tell(committee, roles, actor, message: str, link: str, key: str) -> None:
    people = Person.objects.filter(committee=committee, role__in=roles)
    if actor is not None and actor.person is not None:
        people = people.exclude(pk=actor.person.pk)
    notify(committee=committee, recipients=people, message=message, link=link, kind="assessment", key=key)


def assessment_step(assessment, action: str, actor) -> None:
    """Submitted → the parent's office and assessors; returned or finalised → the unit's office."""
    link = reverse("assessment:detail", args=[assessment.pk])
    key = f"assess-{action}:{assessment.pk}:{assessment.round}"
    year, unit = assessment.rubric.year, assessment.committee.name
    if action == "submit":
        _tell(assessment.rubric.committee, [Role.OFFICE, Role.ASSESSOR], actor,
              _("%(unit)s已提交%(year)s年度考核自评，等待审核。") % {"unit": unit, "year": year}, link, key)
    elif action == "return":
        _tell(assessment.committee, [Role.OFFICE], actor,
              _("%(year)s年度考核自评被退回，请根据意见重新自评。") % {"year": year}, link, key)
    elif action == "finalise":
        _tell(assessment.committee, [Role.OFFICE], actor,
              _("%(year)s年度考核已评定：%(total)s分，%(grade)s。") % {
                  "year": year, "total": assessment.total, "grade": assessment.grade}, link, key)
