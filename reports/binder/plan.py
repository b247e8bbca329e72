"""Gather the binder: each item's records, their attachments and where each file
goes inside the zip. Only reads; ``reports.binder.archive`` writes the bytes.

Names are deterministic (records by date then id, attachments oldest first),
safe on every file system (no separators, control or reserved characters,
bounded length) and keep their Chinese; the same content attached twice
under one item is stored once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from portal import figures
from portal.attachments.selectors import attachments_of
from portal.models import Attachment
from portal.registry import record_type_for

from .items import BinderItem, RecordSet, binder_items

UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
NAME_LIMIT = 80  # characters of a file name's stem (zip readers and file systems have limits)
FOLDER_TITLE_LIMIT = 24


def safe_part(text: str, limit: int = NAME_LIMIT) -> str:
    """One path component: separators and characters Windows refuses become "_"."""
    text = " ".join(UNSAFE.sub("_", str(text)).split())[:limit].strip(" .")
    return text or "_"


def safe_file_name(text: str) -> str:
    stem, dot, ext = str(text).rpartition(".")
    ext = safe_part(ext, 10) if dot and stem and 0 < len(ext) <= 10 else ""
    return f"{safe_part(stem if ext else text)}.{ext}" if ext else safe_part(text)


@dataclass
class PlannedFile:
    attachment: Attachment
    path: str  # inside the zip
    written: bool = False  # set once its bytes are in the zip (a file missing from storage is not)


@dataclass
class PlannedRecord:
    record: Model
    date: str
    title: str
    kind: str  # the record type's label
    files: list[PlannedFile] = field(default_factory=list)
    withheld: int = 0  # attachments of a confidential type, left out


@dataclass
class PlannedItem:
    item: BinderItem
    folder: str
    value: str = ""  # the figure's value, when the item names one
    records: list[PlannedRecord] = field(default_factory=list)
    extra: list[PlannedFile] = field(default_factory=list)  # the item's own evidence
    note: str = ""

    @property
    def files(self) -> list[PlannedFile]:
        """Each file of the folder once (two records may share one, see Folder)."""
        unique = {id(f): f for r in self.records for f in r.files}
        unique.update((id(f), f) for f in self.extra)
        return list(unique.values())

    @property
    def size(self) -> int:
        return sum(f.attachment.size for f in self.files)


def record_date(record: Model) -> str:
    record_type = record_type_for(type(record))
    if record_type is not None and record_type.date_field:
        value = getattr(record, record_type.date_field, None)
        if isinstance(value, datetime.date):
            return value.isoformat()
    if record_type is not None and record_type.year_field:
        return str(getattr(record, record_type.year_field, "") or "")
    return ""


def _records_of(record_set: RecordSet, committee) -> list[Model]:
    """The live records of the set, of this committee only (a source's mistake must
    not put another committee's files in the binder)."""
    if isinstance(record_set, QuerySet):
        qs = record_set
    else:
        model, ids = record_set
        qs = model.objects.filter(pk__in=list(ids))
    return list(qs.filter(committee=committee))


def item_records(item: BinderItem, committee, year: int) -> tuple[list[Model], str]:
    records = [r for record_set in item.records for r in _records_of(record_set, committee)]
    if not item.records and item.figure:
        try:
            records = list(figures.records(item.figure, committee, year))
        except figures.UnknownFigure:
            return [], _("指标 %(key)s 不存在，未收入记录。") % {"key": item.figure}
    unique = {(type(r), r.pk): r for r in records}
    return sorted(unique.values(), key=lambda r: (record_date(r), type(r).__name__, r.pk)), ""


def figure_value(item: BinderItem, committee, year: int) -> str:
    if not item.figure:
        return ""
    try:
        value = figures.value(item.figure, committee, year)
    except figures.UnknownFigure:
        return ""
    return "—" if value is None else str(value)


class Folder:
    """The file names of one folder: the same content once, clashing names numbered."""

    def __init__(self, path: str):
        self.path = path
        self.by_sha: dict[str, PlannedFile] = {}
        self.names: set[str] = set()

    def add(self, attachment: Attachment, prefix: str) -> PlannedFile:
        if attachment.sha256 in self.by_sha:
            return self.by_sha[attachment.sha256]
        name = safe_file_name(f"{prefix} {attachment.original_name}".strip())
        stem, dot, ext = name.rpartition(".")
        stem, ext = (stem, f".{ext}") if dot else (name, "")
        n = 1
        while name.casefold() in self.names:  # case-insensitive file systems
            n += 1
            name = f"{stem} ({n}){ext}"
        self.names.add(name.casefold())
        planned = PlannedFile(attachment=attachment, path=f"{self.path}/{name}")
        self.by_sha[attachment.sha256] = planned
        return planned


def folder_name(seq: int, item: BinderItem) -> str:
    number = "" if item.number == str(seq) else f" {safe_part(item.number, 20)}"
    return f"{seq:02d}{number} {safe_part(item.title, FOLDER_TITLE_LIMIT)}"


def plan_binder(committee, year: int, items: list[BinderItem] | None = None) -> list[PlannedItem]:
    items = binder_items(committee, year) if items is None else items
    gathered = [(item, *item_records(item, committee, year)) for item in items]
    attachments = attachments_of({r for _item, records, _note in gathered for r in records})
    planned = []
    for seq, (item, records, note) in enumerate(gathered, start=1):
        folder = Folder(folder_name(seq, item))
        entry = PlannedItem(item=item, folder=folder.path, value=figure_value(item, committee, year), note=note)
        for record in records:
            entry.records.append(_planned_record(record, attachments.get(record, []), folder))
        entry.extra = [folder.add(a, _("考核项附件")) for a in item.attachments if a.committee_id == committee.pk]
        planned.append(entry)
    return planned


def _planned_record(record: Model, attachments: list[Attachment], folder: Folder) -> PlannedRecord:
    record_type = record_type_for(type(record))
    date = record_date(record)
    row = PlannedRecord(record=record, date=date, title=str(record),
                        kind=str(record_type.label) if record_type else type(record)._meta.verbose_name)
    # A type whose attachments only some people read (talks: their summaries) keeps
    # them out: a binder goes to leaders and the assessment group.
    if record_type is None or record_type.attachment_reader is not None:
        row.withheld = len(attachments)
        return row
    row.files = [folder.add(a, date) for a in attachments]
    return row


def planned_size(planned: list[PlannedItem]) -> int:
    return sum(item.size for item in planned)
