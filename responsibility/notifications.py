"""Who in the responsibility system is told what: after each letter event, and every day.

Letter events (called by the letter services, one line each): issued → the
year's 支部书记 of the branch (``letter.branch_signer_ids``); signed by the
branch → the year's 第一责任人 (``letter.committee_signer_ids``);
countersigned → the office and the branch signer; revoked → whoever signed
or was waiting to sign, and the office. The person who acted is not told
about their own action.

Daily reminders (:func:`reminders_send`, the beat task or the embedded
sweep): letters waiting for a person's signature or countersignature,
analyses due or overdue to the branch secretary, and to the office the
overdue monthly tasks and the analyses missing after their deadline. Each
reminder is one notification per person, kind and day, however often it runs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import Actor, NoCommittee, actor_for
from portal.models import Committee, Person
from portal.notifications import notify
from portal.selectors import office_staff

from . import selectors
from .models import Assignment, LetterEvent, LetterSignature, ResponsibilityLetter, TrendAnalysis

Kind = LetterEvent.Kind
LISTED = 10  # lines listed in one reminder; the rest are counted


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


# -- daily reminders ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    person: Person
    kind: str  # one per person and day
    lines: list[str]
    link: str

    @property
    def message(self) -> str:
        shown = self.lines[:LISTED]
        more = len(self.lines) - len(shown)
        if more:
            shown = [*shown, _("……另有%(n)s项") % {"n": more}]
        return "\n".join(shown)


def _letters_link(letters: list[ResponsibilityLetter]) -> str:
    if len(letters) == 1:
        return reverse("responsibility:letter_detail", args=[letters[0].pk])
    return reverse("dashboard")  # its panels list them all


def _matrix_link(year: int) -> str:
    return reverse("responsibility:analysis_matrix") + f"?year={year}"


def _signer_reminders(committee: Committee) -> list[Reminder]:
    """Letters waiting for each signer, read with the same selectors as their dashboard."""
    reminders = []
    signers = Assignment.objects.signing().filter(committee=committee).values_list("person_id", flat=True).distinct()
    for person in Person.objects.filter(pk__in=signers).select_related("user"):
        try:
            actor = actor_for(person.user)
        except NoCommittee:
            continue
        for kind, letters, text in (
            ("letters_to_sign", selectors.letters_to_sign(actor), _("《%(title)s》待您签字")),
            ("letters_to_countersign", selectors.letters_to_countersign(actor), _("《%(title)s》待您会签")),
        ):
            if letters:
                lines = [text % {"title": letter.title} for letter in letters]
                reminders.append(Reminder(person, kind, lines, _letters_link(letters)))
    return reminders


def _quarter_line(year: int, quarter: int, today: datetime.date) -> str:
    deadline = TrendAnalysis.deadline(year, quarter)
    values = {"year": year, "quarter": quarter, "deadline": f"{deadline.year}年{deadline.month}月{deadline.day}日"}
    if deadline < today:
        return _("%(year)s年第%(quarter)s季度思想动态分析尚未报送，已超过报送期限（%(deadline)s）") % values
    return _("%(year)s年第%(quarter)s季度思想动态分析尚未报送，请于%(deadline)s前报送") % values


def _secretary_reminders(committee: Committee, today: datetime.date) -> list[Reminder]:
    """Each branch's secretary: the analyses of ended quarters their branch has not entered."""
    due: dict = {}
    for branch, year, quarter in selectors.analyses_outstanding(committee, today):
        if branch.secretary is not None and not branch.secretary.is_deleted:
            due.setdefault(branch.secretary, []).append((year, quarter))
    return [
        Reminder(person, "analyses_due", [_quarter_line(y, q, today) for y, q in quarters], _matrix_link(quarters[0][0]))
        for person, quarters in due.items()
    ]


def _office_reminders(committee: Committee, today: datetime.date) -> list[Reminder]:
    reminders = []
    tasks = list(selectors.committee_overdue_tasks(committee, today))
    if tasks:
        lines = [
            _("%(month)s %(branch)s：%(task)s（逾期未销号）")
            % {"month": f"{t.month.year}年{t.month.month}月", "branch": t.branch.name if t.branch else _("党委"), "task": t.task}
            for t in tasks
        ]
        link = reverse("responsibility:task_month") + f"?month={tasks[0].month:%Y-%m}"
        reminders.append(("overdue_tasks", lines, link))
    missing = selectors.analyses_outstanding(committee, today, past_deadline=True)
    if missing:
        lines = [
            _("%(branch)s %(year)s年第%(quarter)s季度思想动态分析逾期未报送") % {"branch": b.name, "year": y, "quarter": q}
            for b, y, q in missing
        ]
        reminders.append(("analyses_missing", lines, _matrix_link(missing[0][1])))
    return [Reminder(person, kind, lines, link) for person in office_staff(committee) for kind, lines, link in reminders]


def committee_reminders(committee: Committee, today: datetime.date) -> list[Reminder]:
    return [
        *_signer_reminders(committee),
        *_secretary_reminders(committee, today),
        *_office_reminders(committee, today),
    ]


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Today's reminders, in the portal and by e-mail; returns how many were new (a second run: 0)."""
    today = today or timezone.localdate()
    created = 0
    for committee in Committee.objects.order_by("id"):
        for reminder in committee_reminders(committee, today):
            created += len(
                notify(
                    committee=committee,
                    recipients=[reminder.person],
                    message=reminder.message,
                    link=reminder.link,
                    kind=f"reminder.{reminder.kind}",
                    key=f"reminder:{reminder.kind}:{today:%Y-%m-%d}",
                )
            )
    return created
