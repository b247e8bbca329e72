"""Who may do what: named predicates (django-rules), used by views, services
and templates alike (``{% load rules %}{% test_rule "letters.sign" request.actor letter as may_sign %}``).

Predicates take the :class:`portal.access.Actor` first and the object second.
This module imports no record app: predicates read attributes and compare
status strings, and the models answer questions about themselves.

(On the ``letters`` branch this file holds only the letters section and the two
generic predicates it uses; the ``records`` branch brings the rest.)
"""

from __future__ import annotations

import rules

# -- who the actor is / the object (generic; same as the records branch) ---------------


@rules.predicate
def is_office(actor) -> bool:
    return actor.is_office


@rules.predicate
def no_object(actor, obj) -> bool:
    """Creating (there is no object yet)."""
    return obj is None


# -- letters ---------------------------------------------------------------------------
# The letter's states and which action may follow which are ONE table next to the
# model (responsibility.models.letters.TRANSITIONS), asked through
# ``letter.allows(action)``. Who signs a letter is the letter year's 责任分工:
# ``letter.branch_signer_ids`` (支部书记 of its branch) and
# ``letter.committee_signer_ids`` (第一责任人), person ids; a 责任分工 row last
# written by the person it names grants nothing (Assignment.objects.signing()).


def letter_allows(action: str) -> rules.Predicate:
    """The lifecycle table allows ``action`` (an Action value) on the letter as it stands."""
    return rules.predicate(lambda actor, letter: letter.allows(action), name=f"letter_allows_{action}")


@rules.predicate
def signs_for_branch(actor, letter) -> bool:
    """The actor is the year's 支部书记 of the letter's branch in 责任分工."""
    return actor.person is not None and actor.person.pk in letter.branch_signer_ids


@rules.predicate
def signs_for_committee(actor, letter) -> bool:
    """The actor is the year's 第一责任人 in 责任分工 (countersigns for the committee)."""
    return actor.person is not None and actor.person.pk in letter.committee_signer_ids


@rules.predicate
def signed_for_branch(actor, letter) -> bool:
    return letter.signer_user_id("branch") == actor.user.pk


@rules.predicate
def signed_for_committee(actor, letter) -> bool:
    return letter.signer_user_id("committee") == actor.user.pk


@rules.predicate
def letter_has_successor(actor, letter) -> bool:
    return letter.has_successor


@rules.predicate
def appoints_self(actor, assignment) -> bool:
    """A 责任分工 row that would make the actor a letter signer: nobody appoints themselves."""
    return assignment.appoints(actor.user)


# The letter's record rules (responsibility.letter.add/change/delete): the office, drafts only.
letter_writers = is_office & (no_object | letter_allows("edit"))

# One person never signs both sides of a letter.
may_sign_letter = signs_for_branch & ~signed_for_committee
may_countersign_letter = signs_for_committee & ~signed_for_branch

rules.set_rule("letters.manage", is_office)  # draft, issue, revoke, new version, paper letters
rules.set_rule("letters.edit", letter_writers)
rules.set_rule("letters.issue", is_office & letter_allows("issue"))
rules.set_rule("letters.offline", is_office & letter_allows("offline"))
rules.set_rule("letters.revoke", is_office & letter_allows("revoke"))
rules.set_rule("letters.new_version", is_office & letter_allows("new_version") & ~letter_has_successor)
rules.set_rule("letters.signer", signs_for_branch)  # may open the signing page (else 403)
rules.set_rule("letters.countersigner", signs_for_committee)
rules.set_rule("letters.sign", may_sign_letter & letter_allows("sign"))
rules.set_rule("letters.countersign", may_countersign_letter & letter_allows("countersign"))
rules.set_rule("letters.appoint", ~appoints_self)  # may write this 责任分工 row
# -- end of letters ----------------------------------------------------------------------
