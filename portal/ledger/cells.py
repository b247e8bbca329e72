"""Stored records as the ledger sees them: each column's value in cell terms
(people and branches by name, inspected branches as a set, a channel's latest
check, a letter's signing date and signer whether signed on paper or online).
The importer compares rows with these; the exporter writes them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from publicity.models import ChannelCheck
from responsibility.models import Inspection, LetterSignature, ResponsibilityLetter

from .sheets import LETTER_AWAITING, LETTER_SIGNED, Sheet


def extra_values(spec: Sheet, objects: list) -> dict:
    """Values that live in other tables: inspected branches, check dates, signatures."""
    ids = [o.pk for o in objects]
    if spec.model is Inspection:
        through = Inspection.branches.through.objects.filter(inspection_id__in=ids).order_by("branch_id")
        result: dict[int, list[int]] = {}
        for inspection_id, branch_id in through.values_list("inspection_id", "branch_id"):
            result.setdefault(inspection_id, []).append(branch_id)
        return result
    if spec.name == "宣传阵地":
        result = {}
        for channel_id, date in ChannelCheck.objects.filter(channel_id__in=ids).values_list("channel_id", "date"):
            result.setdefault(channel_id, set()).add(date)
        return result
    if spec.model is ResponsibilityLetter:
        return letter_signatures(ids)
    return {}


def current_letters(committee, year: int | None = None) -> list[ResponsibilityLetter]:
    """The newest letter of each branch and year that is not revoked."""
    qs = ResponsibilityLetter.objects.filter(committee=committee).exclude(status=ResponsibilityLetter.Status.REVOKED)
    if year is not None:
        qs = qs.filter(year=year)
    latest: dict[tuple, ResponsibilityLetter] = {}
    for letter in qs.order_by("year", "branch_id", "version", "id"):
        latest[(letter.year, letter.branch_id)] = letter
    return sorted(latest.values(), key=lambda letter: (letter.year, letter.branch_id, letter.pk))


def letter_signatures(ids: list[int]) -> dict[int, dict[str, LetterSignature]]:
    result: dict[int, dict[str, LetterSignature]] = {}
    for signature in LetterSignature.objects.filter(letter_id__in=ids):
        result.setdefault(signature.letter_id, {})[signature.role] = signature
    return result


def cell_values(spec: Sheet, obj, branch_names: dict, person_names: dict, extra: dict) -> dict[str, Any]:
    """A stored record as the importer reads a row: names for people and branches."""
    values: dict[str, Any] = {}
    for column in spec.columns:
        name = column.field
        if column.kind == "person":
            values[name] = person_names.get(getattr(obj, f"{name}_id"))
        elif column.kind == "branch":
            values[name] = branch_names.get(getattr(obj, f"{name}_id"))
        elif column.kind == "branches":
            values[name] = frozenset(branch_names[b] for b in extra.get(obj.pk, ()) if b in branch_names)
        elif column.kind == "survey":
            values["is_special_survey"] = obj.is_special_survey
            values["survey_topic"] = obj.survey_topic
        elif column.kind == "checkdate":
            values[name] = max(extra.get(obj.pk, ()), default=None)
            values["_check_dates"] = extra.get(obj.pk, set())
        elif spec.model is ResponsibilityLetter and name in ("status", "offline_signed_on", "offline_signer"):
            values.update(_letter_cells(obj, extra.get(obj.pk, {})))
        else:
            values[name] = getattr(obj, name)
    return values


def _letter_cells(letter: ResponsibilityLetter, signatures: dict[str, LetterSignature]) -> dict[str, Any]:
    complete = letter.status == ResponsibilityLetter.Status.COMPLETE
    status = LETTER_SIGNED if complete else LETTER_AWAITING
    if letter.offline or not complete:
        return {"status": status, "offline_signed_on": letter.offline_signed_on, "offline_signer": letter.offline_signer}
    branch = signatures.get(LetterSignature.Role.BRANCH)
    last = signatures.get(LetterSignature.Role.COMMITTEE) or branch
    return {
        "status": status,
        "offline_signed_on": timezone.localdate(last.signed_at) if last else None,
        "offline_signer": branch.signer_name if branch else "",
    }
