"""Who may do what: every permission of the portal, as named rules (django-rules).

A rule is tested against the :class:`~portal.access.Actor` (who the user is in
their committee) and, where it matters, the object: ``allowed(actor,
"responsibility.talk.change", talk)``. Views, services and templates ask these
rules and nothing else (templates: ``{% load rules %}{% test_rule name actor obj
as may %}``). Reading is scoping, not a rule: what lies outside the actor's
committee or branch is never fetched (:func:`portal.access.scope`, 404).

Predicates compare attributes only; this module imports no record app.
Record types get ``<key>.add / .change / .delete / .history`` from their
declaration's ``writers`` predicate (:func:`add_record_rules`).
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .registry import on_register, record_type_for

# -- who the actor is ------------------------------------------------------------------


@rules.predicate
def is_office(actor) -> bool:
    return actor.is_office


@rules.predicate
def is_leader(actor) -> bool:
    return actor.is_leader


@rules.predicate
def is_branch_secretary(actor) -> bool:
    return actor.is_branch_secretary


@rules.predicate
def is_committee_secretary(actor) -> bool:
    return actor.is_committee_secretary


@rules.predicate
def is_assessor(actor) -> bool:
    return actor.is_assessor


@rules.predicate
def is_superuser(actor) -> bool:
    return bool(actor.user.is_superuser)


@rules.predicate
def is_read_only(actor) -> bool:
    """Viewing a descendant committee, or an assessor: reads, never writes (portal.access)."""
    return actor.read_only


@rules.predicate
def views_other_committee(actor) -> bool:
    return actor.views_other_committee


@rules.predicate
def views_descendants(actor) -> bool:
    """May pick another committee to view: a superuser, or the office or an
    assessor of a committee that has descendants (portal.access decides which)."""
    return len(actor.viewable_ids) > 1


# -- the object ----------------------------------------------------------------------------


@rules.predicate
def no_object(actor, obj) -> bool:
    """Creating (there is no object yet)."""
    return obj is None


@rules.predicate
def of_own_committee(actor, obj) -> bool:
    return getattr(obj, "committee_id", None) == actor.committee.pk


@rules.predicate
def of_own_branch(actor, obj) -> bool:
    """The record belongs to the actor's branch (``branch`` foreign key)."""
    branch_id = getattr(obj, "branch_id", None)
    return branch_id is not None and actor.branch is not None and branch_id == actor.branch.pk


@rules.predicate
def is_talker(actor, talk) -> bool:
    return actor.person is not None and getattr(talk, "talker_id", None) == actor.person.pk


@rules.predicate
def is_draft(actor, obj) -> bool:
    return getattr(obj, "status", None) == "draft"


@rules.predicate
def is_final(actor, report) -> bool:
    return getattr(report, "status", None) == "final"


# -- writers of record types (a declaration's ``writers``) ----------------------------------

office_writes = is_office
# Branch secretaries enter their own branch's records (analyses, study sessions).
office_or_own_branch = is_office | (is_branch_secretary & (no_object | of_own_branch))
# Leaders record their own talks; the office records anyone's.
office_or_talker = is_office | (is_leader & (no_object | is_talker))


def set_write_rule(name: str, predicate: rules.Predicate) -> None:
    """A rule that changes something: never for a read-only actor (a superior
    committee viewing a descendant, an assessor). Every rule that writes is set here."""
    rules.set_rule(name, ~is_read_only & predicate)  # first: the predicate may need a real object


def add_record_rules(key: str, writers: rules.Predicate) -> None:
    """The rules of one record type; ``writers`` is tested with the object, or None to create."""
    writes = writers & (no_object | of_own_committee)
    set_write_rule(f"{key}.add", writes)
    set_write_rule(f"{key}.change", writes)
    set_write_rule(f"{key}.delete", writes)
    # History shows every version, deleted text (and talk summaries) included,
    # and restores them: the committee's own office only.
    set_write_rule(f"{key}.history", is_office & (no_object | of_own_committee))


on_register(lambda record_type: add_record_rules(record_type.key, record_type.writers or office_writes))

# -- named rules of the portal and the apps -------------------------------------------------

# The trash restores what was deleted: a place to write, for the committee's own office.
set_write_rule("portal.trash", is_office)
set_write_rule("portal.trash_purge", is_superuser)
rules.set_rule("portal.switch_committee", is_superuser | views_descendants)  # viewing is not writing
set_write_rule("portal.seal_history", is_office)  # the seal, its events, the files issued: its own office only
set_write_rule("portal.committee_edit", is_office)  # the committee's own settings, and their history

set_write_rule("ledger.import", is_office)
# A superior committee's office and assessors read a descendant's ledger (ASSESSMENT.md).
rules.set_rule("ledger.export", is_office | is_leader | is_assessor)

# 谈话要点 are confidential: the talker, the committee secretary and the office,
# of the talk's own committee only; never a superior committee viewing it.
summary_readers = ~views_other_committee & (no_object | of_own_committee)
rules.set_rule("ledger.export_summaries", is_office & summary_readers)
rules.set_rule("responsibility.read_all_talk_summaries", (is_office | is_committee_secretary) & summary_readers)
rules.set_rule(
    "responsibility.read_talk_summary", (is_office | is_committee_secretary | is_talker) & summary_readers
)
set_write_rule("responsibility.record_any_talk", is_office)  # a leader records their own talks
# 销号: the office, or the secretary of the task's branch.
set_write_rule("responsibility.tick_off", is_office | (is_branch_secretary & of_own_branch))

set_write_rule("study.upload_appstat", is_office)

# Leaders "download the report PDF" (DESIGN.md); branch secretaries read a final report;
# assessors and a superior committee's office read every report of the committees they view.
set_write_rule("reports.build", is_office | is_leader)
rules.set_rule("reports.download", is_office | is_leader | is_assessor)  # a build's files and its status
set_write_rule("reports.edit", is_office)
rules.set_rule("reports.list", is_office | is_leader | is_assessor | is_branch_secretary)
rules.set_rule("reports.view", is_office | is_leader | is_assessor | (is_branch_secretary & is_final))
# Making a report final (定稿) freezes what it says; reopening it needs a reason.
set_write_rule("reports.finalise", is_office)
set_write_rule("reports.reopen", is_office)
# The evidence binder (佐证材料包): the office and leaders of the unit, and the
# superior committee's office and assessors, who review it (ASSESSMENT.md).
# Building one writes no record (it packs what is there), so viewers may build it.
binder_readers = ((is_office | is_leader) & ~views_other_committee) | (
    (is_office | is_assessor) & views_other_committee
)
rules.set_rule("binder.build", binder_readers)
rules.set_rule("binder.download", binder_readers)

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

set_write_rule("letters.manage", is_office)  # draft, issue, revoke, new version, paper letters
set_write_rule("letters.edit", letter_writers)
set_write_rule("letters.issue", is_office & letter_allows("issue"))
set_write_rule("letters.offline", is_office & letter_allows("offline"))
set_write_rule("letters.revoke", is_office & letter_allows("revoke"))
set_write_rule("letters.new_version", is_office & letter_allows("new_version") & ~letter_has_successor)
set_write_rule("letters.signer", signs_for_branch)  # may open the signing page (else 403)
set_write_rule("letters.countersigner", signs_for_committee)
set_write_rule("letters.sign", may_sign_letter & letter_allows("sign"))
set_write_rule("letters.countersign", may_countersign_letter & letter_allows("countersign"))
set_write_rule("letters.appoint", ~appoints_self)  # may write this 责任分工 row
# -- end of letters ----------------------------------------------------------------------------


# -- attachments (portal.attachments) -------------------------------------------------
# Reading a record's attachments is reading the record (scoping), unless its type
# names a further rule (RecordType.attachment_reader); adding or removing one is
# changing the record, never while the record is frozen or in the trash.


@rules.predicate
def is_frozen(actor, record) -> bool:
    """The record says it never changes again (``is_frozen``: an issued or signed letter)."""
    return bool(getattr(record, "is_frozen", False))


@rules.predicate
def is_trashed(actor, record) -> bool:
    return getattr(record, "deleted_at", None) is not None


@rules.predicate
def may_change_record(actor, record) -> bool:
    """The record type's own change rule (``<key>.change``) allows it."""
    record_type = record_type_for(type(record))
    return record_type is not None and rules.test_rule(record_type.rule("change"), actor, record)


@rules.predicate
def may_read_attachments(actor, record) -> bool:
    record_type = record_type_for(type(record))
    if record_type is None:
        return False
    return record_type.attachment_reader is None or rules.test_rule(record_type.attachment_reader, actor, record)


rules.set_rule("portal.attachments.read", may_read_attachments)
set_write_rule("portal.attachments.change", may_change_record & ~is_trashed & ~is_frozen & may_read_attachments)


def allowed(actor, name: str, obj=None) -> bool:
    if not rules.rule_exists(name):  # a misspelt rule must not quietly deny (or allow)
        raise KeyError(f"no rule named {name!r}")
    return rules.test_rule(name, actor, obj)


def require(actor, name: str, obj=None, message: str | None = None) -> None:
    """PermissionDenied (403) unless the rule allows it."""
    if not allowed(actor, name, obj):
        raise PermissionDenied(message or _("您没有权限进行此操作。"))
