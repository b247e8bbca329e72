"""Writes of the study app that do more than save one form."""

from __future__ import annotations

from portal.access import Actor
from portal.ledger import services as ledger_services
from portal.models import ImportJob
from portal.rules import require

from .ledger import APPSTAT_SHEET

APPSTAT_REASON = "学习强国数据表导入"


def appstat_upload(*, actor: Actor, upload) -> ImportJob:
    """Queue the preview of an uploaded 学习强国 sheet: the ledger engine on
    that one sheet, in the background, so the rows, cells, limits and the
    records' rules are the ledger's and nothing is written unless every row is
    valid and the preview is confirmed."""
    require(actor, "study.upload_appstat")
    return ledger_services.import_start(actor=actor, upload=upload, sheet=APPSTAT_SHEET, reason=APPSTAT_REASON)


def appstat_confirm(*, actor: Actor, preview: ImportJob) -> ImportJob:
    """Queue the write of an accepted preview."""
    require(actor, "study.upload_appstat")
    return ledger_services.import_confirm(actor=actor, preview=preview)
