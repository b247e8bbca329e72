"""Who in the responsibility system is told what after each letter event.

Letter events (called by the letter services, one line each): issued → the
year's 支部书记 of the branch (``letter.branch_signer_ids``); signed by the
branch → the year's 第一责任人 (``letter.committee_signer_ids``);
countersigned → the office and the branch signer; revoked → whoever signed
or was waiting to sign, and the office. The person who acted is not told
about their own action.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import Actor
from portal.models import Person
from portal.notifications import notify
from portal.selectors import office_staff

from .models import LetterEvent, LetterSignature, ResponsibilityLetter

Kind = LetterEvent.Kind


# -- letter events -----------------------------------------------------------------------


def _people(ids) -> list[Person]:
    return list(Person.objects.filter(pk__in=ids))


def _signers(letter: ResponsibilityLetter) -> dict[str, Person]:
    """The people who signed the letter online, by role."""
    signatures = LetterSignature.objects.filter(letter=letter).values_list("role", "signer_id")
    by_user = {p.user_id: p for p in Person.objects.filter(user_id__in=[user for _role, user in signatures])}
    return {role: by_user[user] for role, user in signatures if user in by_user}


def _revoked_recipients(letter: ResponsibilityLetter) -> list[Person]:
    signed = _signers(letter)
    people = list(signed.values())
    if LetterSignature.Role.BRANCH not in signed:
        people += _people(letter.branch_signer_ids)  # it was waiting for the branch
    elif LetterSignature.Role.COMMITTEE not in signed:
        people += _people(letter.committee_signer_ids)  # it was waiting for the countersignature
    return people + list(office_staff(letter.committee))


def _letter_event(letter: ResponsibilityLetter, kind: str) -> tuple[list[Person], str] | None:
    values = {"title": letter.title, "branch": letter.branch.name}
    if kind == Kind.ISSUED:
        return _people(letter.branch_signer_ids), _("《%(title)s》已下发，请您阅读后签字。") % values
    if kind == Kind.SIGNED:
        return _people(letter.committee_signer_ids), _("《%(title)s》%(branch)s已签字，请您会签。") % values
    if kind == Kind.COUNTERSIGNED:
        branch_signer = _signers(letter).get(LetterSignature.Role.BRANCH)
        people = [*office_staff(letter.committee), branch_signer]
        return people, _("《%(title)s》已完成会签，责任书签订完成。") % values
    if kind == Kind.REVOKED:
        text = _("《%(title)s》已撤销，撤销原因：%(reason)s") % {**values, "reason": letter.revoke_reason}
        return _revoked_recipients(letter), text
    return None


def letter_notify(*, letter: ResponsibilityLetter, kind: str, actor: Actor | None) -> None:
    """Tell whoever has something to do, or should know, after a letter event (a LetterEvent.Kind)."""
    event = _letter_event(letter, kind)
    if event is None:
        return
    people, message = event
    me = actor.person.pk if actor and actor.person else None
    notify(
        committee=letter.committee,
        recipients=[p for p in people if p is not None and p.pk != me],
        message=message,
        link=reverse("responsibility:letter_detail", args=[letter.pk]),
        kind=f"letter.{kind}",
        key=f"letter:{letter.pk}:{kind}",
    )
