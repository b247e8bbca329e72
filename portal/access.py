"""Who the user is in the portal, and the scoping of what they read.

Every view goes through :func:`actor_for` and :func:`scope`: a user sees only
the committee they are viewing; a branch secretary sees committee-level
records and those of their own branch. Objects outside the scope answer 404
(we do not even confirm they exist); what a user may *do* with what they see
is decided by the rules in :mod:`portal.rules` (403 when refused).

The committee being viewed (``Actor.committee``) is the user's own
(``Actor.home``) unless the office or an assessor of a superior committee
picked one of its descendants (ASSESSMENT.md, "The hierarchy"): they then read
it and write nothing (``Actor.read_only``). Who may view which committee is
decided here and nowhere else (:func:`viewable_committees`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Branch, Committee, Person, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class NoCommittee(Exception):
    """The user is logged in but belongs to no committee (see NoCommitteeMiddleware)."""


# The roles of a superior committee that read its descendants (ASSESSMENT.md).
VIEWS_DESCENDANTS = (Role.OFFICE, Role.ASSESSOR)


@dataclass(frozen=True)
class Actor:
    user: "AbstractBaseUser"
    person: Person | None
    committee: Committee  # the committee being viewed: every scope and rule is about it
    role: str
    branch: Branch | None
    home: Committee | None = None  # the user's own committee; None means ``committee``

    def __post_init__(self):
        if self.home is None:
            object.__setattr__(self, "home", self.committee)

    @property
    def views_other_committee(self) -> bool:
        """Viewing a descendant of the user's own committee, not the committee itself."""
        return self.committee.pk != self.home.pk

    @property
    def read_only(self) -> bool:
        """Writes nothing: viewing a descendant, or an assessor (who reads like a leader)."""
        return self.views_other_committee or self.is_assessor

    @cached_property
    def viewable_ids(self) -> frozenset[int]:
        """Ids of :func:`viewable_committees` (asked by the switch rule on every page)."""
        if self.person is None and self.user.is_superuser:
            return frozenset(Committee.objects.values_list("pk", flat=True))
        return _viewable_ids(self.home, self.role)

    @property
    def is_assessor(self) -> bool:
        return self.role == Role.ASSESSOR

    @property
    def is_office(self) -> bool:
        return self.role == Role.OFFICE

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_branch_secretary(self) -> bool:
        return self.role == Role.BRANCH_SECRETARY

    @property
    def is_committee_secretary(self) -> bool:
        return bool(self.person and self.person.is_secretary)

    @property
    def sees_whole_committee(self) -> bool:
        return self.role in (Role.OFFICE, Role.LEADER, Role.ASSESSOR)


def viewable_committees(actor: Actor) -> QuerySet[Committee]:
    """The committees the user may view: their own, and for the office and the
    assessors its descendants; every committee for a superuser not linked to a person."""
    return Committee.objects.filter(pk__in=actor.viewable_ids).order_by("id")


def committee_to_view(actor: Actor, value: str) -> Committee:
    """The committee the actor asked to view (a posted id); 404 for anything they may not view."""
    if not value.isdigit() or int(value) not in actor.viewable_ids:
        raise Http404
    return Committee.objects.get(pk=int(value))


def _viewable_ids(home: Committee, role: str) -> frozenset[int]:
    if role in VIEWS_DESCENDANTS:
        return frozenset({home.pk} | home.descendant_ids())
    return frozenset({home.pk})


def actor_for(user, committee_id: int | None = None) -> Actor:
    """Build the actor for an authenticated user, or raise NoCommittee.

    A superuser linked to no person acts as the office of the committee they
    picked (``committee_id``, kept in their session), else of the first one.
    The office and assessors view the descendant they picked (read-only), as
    long as it is still one: a committee detached since falls back to home.
    """
    person = (
        Person.objects.select_related("committee", "branch").filter(user=user).first()
        if user.is_authenticated
        else None
    )
    if person is not None:
        branch = None
        if person.role == Role.BRANCH_SECRETARY:
            branch = Branch.objects.filter(secretary=person).first() or person.branch
            if branch is None:
                raise NoCommittee()
        home = person.committee
        viewed = home
        if committee_id and committee_id != home.pk:
            if committee_id in _viewable_ids(home, person.role):
                viewed = Committee.objects.get(pk=committee_id)
        return Actor(user=user, person=person, committee=viewed, role=person.role, branch=branch, home=home)
    if user.is_authenticated and user.is_superuser:
        committees = Committee.objects.order_by("id")
        committee = committees.filter(pk=committee_id).first() if committee_id else None
        committee = committee or committees.first()
        if committee is not None:
            return Actor(user=user, person=None, committee=committee, role=Role.OFFICE, branch=None)
    raise NoCommittee()


def has_field(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def scope(actor: Actor, qs: QuerySet, branch_field: str | None = "branch") -> QuerySet:
    """Restrict a record queryset to what the actor may read."""
    model = qs.model
    if model is Committee:
        return qs.filter(pk=actor.committee.pk)
    qs = qs.filter(committee=actor.committee)
    if actor.is_branch_secretary and branch_field and has_field(model, branch_field.split("__")[0]):
        qs = qs.filter(Q(**{branch_field: actor.branch}) | Q(**{f"{branch_field}__isnull": True}))
    return qs


def get_readable(actor: Actor, qs: QuerySet, pk, branch_field: str | None = "branch") -> Model:
    """The object with this pk if the actor may read it; 404 otherwise."""
    try:
        return scope(actor, qs, branch_field).get(pk=int(pk))
    except (ValueError, TypeError, qs.model.DoesNotExist):
        raise Http404 from None


def record_model_or_404(label: str):
    """The Record model named ``app_label.model_name`` in a URL; 404 for anything else."""
    from django.apps import apps

    from .models import Record

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not issubclass(model, Record):
        raise Http404
    return model
