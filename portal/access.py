"""Who the user is in the portal, and the one place that scopes and checks access.

Every view goes through :func:`actor_for` and the helpers below: a user sees
only their own committee's records; a branch secretary sees committee-level
records and those of their own branch, and writes only their own branch's.
Objects outside the scope answer 404 (we do not even confirm they exist);
objects inside it that the user may read but not change answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from django.core.exceptions import PermissionDenied
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

    def has_role(self, roles: Iterable[str]) -> bool:
        return self.role in set(roles)


def actor_for(user) -> Actor:
    """Build the actor for an authenticated user, or raise NoCommittee."""
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
        committee = Committee.objects.order_by("id").first()
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


def can_write(actor: Actor, roles: Iterable[str], branch: Branch | None = None, branch_writable: bool = False) -> bool:
    """May the actor create or change a record (of this branch, if given)?"""
    if actor.has_role(roles):
        return True
    if branch_writable and actor.is_branch_secretary:
        return branch is not None and actor.branch is not None and branch.pk == actor.branch.pk
    return False


def require_write(actor: Actor, roles: Iterable[str], branch: Branch | None = None, branch_writable: bool = False) -> None:
    if not can_write(actor, roles, branch, branch_writable):
        raise PermissionDenied("您没有权限进行此操作。")


def require_role(actor: Actor, roles: Iterable[str]) -> None:
    if not actor.has_role(roles):
        raise PermissionDenied("您没有权限进行此操作。")


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
