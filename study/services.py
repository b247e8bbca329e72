"""Writes of the study app that do more than save one form."""

from __future__ import annotations

from typing import IO

from portal.access import Actor
from portal.ledger.importer import ImportResult, ledger_import
from portal.rules import require

from .ledger import APPSTAT_SHEET

APPSTAT_REASON = "学习强国数据表导入"


def appstat_upload(*, actor: Actor, file: IO[bytes], dry_run: bool) -> ImportResult:
    """Check (``dry_run``) or write an uploaded 学习强国 sheet: the ledger
    engine on that one sheet, so the rows, cells and limits are the ledger's
    and nothing is written unless every row is valid."""
    require(actor, "study.upload_appstat")
    return ledger_import(
        committee_slug=actor.committee.slug,
        file=file,
        dry_run=dry_run,
        actor_user=actor.user,
        only=APPSTAT_SHEET,
        reason=APPSTAT_REASON,
    )
