"""What an attachment may be: an untrusted upload bounded by size, named
safely, and checked by its content, not only its name.

A PDF must start like one, an image must open and verify in Pillow as the
format its name says and stay under a pixel bound, an Office file (docx,
xlsx, pptx) must be a zip holding the parts of its kind that unpacks to a
bounded size (every member is read within that bound, so a bomb whose
headers lie fails its checksum instead of filling the disk), and an old Office
file (doc, xls) must carry the OLE signature.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Suffix -> the content type the file is served with.
FORMATS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
EXTENSIONS = tuple(FORMATS)
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG"}
OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
MAX_ZIP_MEMBERS = 5000
NAME_LIMIT = 120
UNSAFE_NAME_CHARACTERS = re.compile(r'[<>:"|?*]')
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the original name, made safe to show and to send back
    suffix: str
    mime_type: str
    size: int
    sha256: str


def safe_name(raw: str) -> str:
    """The file's own name without any folder, control or direction-changing
    character (``evil\u202efdp.exe``), shortened to a readable length."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE_NAME_CHARACTERS.sub("_", name).strip().lstrip(".").strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip()[:NAME_LIMIT] or _("附件")
    return f"{stem}.{suffix.lower()}" if suffix else stem


def check_file(upload) -> CheckedFile:
    """The checked facts of one upload (a Django ``File``: an uploaded file, a
    ``ContentFile`` with a name); ValidationError with a Chinese reason otherwise."""
    size = upload.size
    limit = settings.PORTAL_MAX_UPLOAD_BYTES
    if not size:
        raise ValidationError(_("文件是空的。"))
    if size > limit:
        raise ValidationError(
            _("文件过大（%(size)s），上限为 %(limit)s。") % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    name = safe_name(getattr(upload, "name", ""))
    suffix = PurePosixPath(name).suffix.lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，允许：%(allowed)s。") % {"ext": suffix or "?", "allowed": "、".join(EXTENSIONS)}
        )
    try:
        _check_content(upload, suffix)
    finally:
        upload.seek(0)
    return CheckedFile(name, suffix, FORMATS[suffix], size, _sha256(upload))


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks(CHUNK):  # from the start, whatever was read before
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_content(upload, suffix: str) -> None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == "pdf" and not head.startswith(b"%PDF-"):
        raise ValidationError(_("文件内容不是有效的 PDF。"))
    if suffix in ("doc", "xls") and head != OLE_SIGNATURE:
        raise ValidationError(_("文件内容与扩展名不符。"))
    if suffix in IMAGE_FORMATS:
        _check_image(upload, IMAGE_FORMATS[suffix])
    if suffix in OFFICE_PARTS:
        _check_office(upload, OFFICE_PARTS[suffix])


def _check_image(upload, expected: str) -> None:
    import warnings

    from PIL import Image

    refused = ValidationError(_("文件不是有效的图片，或与扩展名不符。"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != expected:
                    raise refused
                width, height = image.size
                if width * height > settings.PORTAL_ATTACHMENT_MAX_PIXELS:
                    raise ValidationError(_("图片尺寸过大（%(w)s×%(h)s 像素）。") % {"w": width, "h": height})
                image.verify()
    except ValidationError:
        raise
    except Exception:
        raise refused from None


def _check_office(upload, part_prefix: str) -> None:
    refused = ValidationError(_("文件内容与扩展名不符（不是有效的 Office 文档）。"))
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith(part_prefix) for n in names):
                raise refused
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > _unzipped_limit():
                raise _too_large()
            _read_within_bounds(archive, members)
    except ValidationError:
        raise
    except Exception:  # a damaged zip, a lying header (bad CRC), an encrypted member
        raise refused from None


def _unzipped_limit() -> int:
    return settings.PORTAL_ATTACHMENT_MAX_UNZIPPED_BYTES


def _too_large() -> ValidationError:
    return ValidationError(
        _("文档解压后过大（上限 %(limit)s），可能是压缩炸弹，已拒绝。") % {"limit": filesizeformat(_unzipped_limit())}
    )


def _read_within_bounds(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Unpack every member to nowhere; zipfile stops each at its declared size
    and checks its CRC, and the running total is bounded here too."""
    total = 0
    for member in members:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if total > _unzipped_limit():
                    raise _too_large()
