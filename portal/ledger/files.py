"""Checks on an untrusted workbook before openpyxl parses it.

Bounds (also shown on the import page):

- size: at most ``settings.PORTAL_MAX_UPLOAD_BYTES`` (20 MB by default);
- content: a zip archive (``PK\\x03\\x04``) whose ``[Content_Types].xml``
  declares an Excel workbook (``spreadsheetml.sheet.main+xml``); an OLE
  compound file (``D0 CF 11 E0``) is an encrypted workbook or an old .xls and
  is refused with its own message;
- zip bomb: the uncompressed sizes declared in the central directory add up to
  at most 200 MB, no member expands more than 200×, at most 10,000 members
  (Python's zipfile never inflates a member beyond its declared size, so the
  declared sizes bound the real ones);
- rows: at most 100,000 per sheet, checked against the sheet's declared
  dimension and again while streaming (read-only mode keeps memory flat);
- XML: no part may declare a document type (``<!DOCTYPE``), so no entity is
  ever expanded or fetched, whichever parser openpyxl uses: defusedxml
  refuses them, but with lxml installed openpyxl expands internal entities.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000
MAX_ROWS = 100_000
MAX_CONTENT_TYPES = 1024 * 1024
MAX_PROLOG = 64 * 1024
# What may precede an XML part's root element: declaration, PIs, comments, space.
PROLOG_RE = re.compile(r"\A(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
ROOT_RE = re.compile(r"<[A-Za-z_:]")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
ZIP_SIGNATURE = b"PK\x03\x04"
WORKBOOK_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


class LedgerFileError(Exception):
    """The file is refused as a whole; ``str(exc)`` is the Chinese reason."""


def file_size(file: IO[bytes]) -> int:
    position = file.tell()
    file.seek(0, 2)
    size = file.tell()
    file.seek(position)
    return size


def check_workbook_file(file: IO[bytes]) -> None:
    """Raise LedgerFileError unless the file may be handed to openpyxl."""
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    size = file_size(file)
    if size > limit:
        raise LedgerFileError(
            _("文件过大（%(size)s），上限为 %(limit)s。") % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(OLE_SIGNATURE):
        raise LedgerFileError(_("该文件是加密的工作簿或旧版 Excel（.xls）文件，请取消密码并另存为 .xlsx 后再导入。"))
    if not head.startswith(ZIP_SIGNATURE):
        raise LedgerFileError(_("文件不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后再导入。"))
    try:
        with zipfile.ZipFile(file) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise LedgerFileError(_("文件已损坏或不是 Excel 工作簿（.xlsx）。")) from None
    finally:
        file.seek(0)


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise LedgerFileError(_("工作簿结构异常（压缩包内文件过多），已拒绝。"))
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise LedgerFileError(
            _("工作簿解压后过大（%(size)s），上限为 %(limit)s，疑似压缩炸弹，已拒绝。")
            % {"size": filesizeformat(total), "limit": filesizeformat(MAX_UNCOMPRESSED)}
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise LedgerFileError(_("工作簿压缩比异常，疑似压缩炸弹，已拒绝。"))
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise LedgerFileError(_("文件不是 Excel 工作簿（.xlsx）：缺少 [Content_Types].xml。")) from None
    if info.file_size > MAX_CONTENT_TYPES:
        raise LedgerFileError(_("工作簿结构异常，已拒绝。"))
    content_types = archive.read(info)
    if WORKBOOK_TYPE not in content_types:
        raise LedgerFileError(_("文件不是 Excel 工作簿（.xlsx），请另存为 .xlsx（不含宏）后再导入。"))
    for member in members:
        if member.filename.endswith((".xml", ".rels")) and _declares_doctype(archive, member):
            raise LedgerFileError(_("工作簿含有文档类型声明（DTD），疑似恶意文件，已拒绝。"))


def _declares_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """True unless the part's root element comes after nothing but a harmless prolog."""
    with archive.open(member) as handle:
        head = handle.read(MAX_PROLOG)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    rest = text[PROLOG_RE.match(text).end():]
    if not rest:
        return len(head) == MAX_PROLOG  # a prolog that never ends is refused
    return not ROOT_RE.match(rest)
