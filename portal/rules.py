"""Who may do what: named predicates (django-rules), used by views, services
and templates alike (``{% load rules %}{% test_rule "letters.sign" request.actor letter as may_sign %}``).

Predicates take the :class:`portal.access.Actor` first and the object second.
This module imports no record app: predicates read attributes and compare
status strings, and the models answer questions about themselves.
"""

from __future__ import annotations

import rules

# -- letters -------------------------------------------------------------------------
# The letter's states and which action may follow which are one table next to
# the model (responsibility.models.letters.TRANSITIONS, asked through
# ``letter.allows(action)``); who signs a letter is the year's 责任分工
# (``letter.branch_signer_ids`` / ``letter.committee_signer_ids``, person ids).


@rules.predicate
def is_letter_office(actor) -> bool:
    """Drafting, issuing, revoking and recording paper letters are the office's."""
    return actor.is_office


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
def appoints_self(actor, assignment) -> bool:
    """A 责任分工 row that would make the actor a letter signer: nobody appoints themselves."""
    return assignment.appoints(actor.user)


def letter_allows(action: str):
    return rules.predicate(lambda actor, letter: letter.allows(action), name=f"letter_allows_{action}")


@rules.predicate
def letter_has_successor(actor, letter) -> bool:
    return letter.has_successor


# One person never signs both sides of a letter.
may_sign_letter = signs_for_branch & ~signed_for_committee
may_countersign_letter = signs_for_committee & ~signed_for_branch

rules.add_rule("letters.manage", is_letter_office)
rules.add_rule("letters.signer", signs_for_branch)
rules.add_rule("letters.countersigner", signs_for_committee)
rules.add_rule("letters.edit", is_letter_office & letter_allows("edit"))
rules.add_rule("letters.issue", is_letter_office & letter_allows("issue"))
rules.add_rule("letters.offline", is_letter_office & letter_allows("offline"))
rules.add_rule("letters.revoke", is_letter_office & letter_allows("revoke"))
rules.add_rule("letters.new_version", is_letter_office & letter_allows("new_version") & ~letter_has_successor)
rules.add_rule("letters.sign", may_sign_letter & letter_allows("sign"))
rules.add_rule("letters.countersign", may_countersign_letter & letter_allows("countersign"))
rules.add_rule("letters.appoint", ~appoints_self)
