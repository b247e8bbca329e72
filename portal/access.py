"""Who the user is in the portal, and the scoping of what they read.

Every view goes through :func:`actor_for` and :func:`scope`: a user sees only
their own committee's records; a branch secretary sees committee-level
records and those of their own branch. Objects outside the scope answer 404
(we do not even confirm they exist); what a user may *do* with what they see
is decided by the rules in :mod:`portal.rules` (403 when refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Branch, Committee, Person, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class NoCommittee(Exception):
    """The user is logged in but belongs to no committee (see NoCommitteeMiddleware)."""


@dataclass(frozen=True)
class Actor:
    user: "AbstractBaseUser"
    person: Person | None
    committee: Committee
    role: str
    branch: Branch | None

    @property
    def home(self) -> Committee:
        """The committee the user belongs to (``committee`` is the one being viewed).

        The same today; a superior committee's office and assessors will view
        their descendants read-only while ``home`` stays their own committee.
        """
        return self.committee

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
        return self.role in (Role.OFFICE, Role.LEADER)


def actor_for(user, committee_id: int | None = None) -> Actor:
    """Build the actor for an authenticated user, or raise NoCommittee.

    A superuser linked to no person acts as the office of the committee they
    picked (``committee_id``, kept in their session), else of the first one.
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
        return Actor(user=user, person=person, committee=person.committee, role=person.role, branch=branch)
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
