"""Hostile attachments: every one is refused with a Chinese reason (or stored
harmlessly), nothing is half-written, and no check unpacks more than its bound."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.attachments.uploads import check_file, safe_name
from portal.models import Attachment
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    return f.CommitteeMeetingFactory(committee=world.committee)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_file(f.evidence_file(name, content))
    return " ".join(caught.value.messages)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def lying_sizes(archive: bytes, member: str, declared: int) -> bytes:
    """The zip with ``member``'s uncompressed size rewritten to ``declared`` in
    both its local header and the central directory (a bomb that lies)."""
    data = bytearray(archive)
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    central = struct.unpack_from("<I", data, data.rfind(b"PK\x05\x06") + 16)[0]  # the directory's offset
    while True:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, central + 24, declared)
            return bytes(data)
        extra, comment = struct.unpack_from("<HH", data, central + 30)
        central += 46 + name_length + extra + comment


def test_good_files_of_every_kind_pass():
    for name in ("a.pdf", "b.png", "c.jpg", "d.docx"):
        assert check_file(f.evidence_file(name)).suffix == name.rsplit(".", 1)[1]
    xlsx = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert check_file(f.evidence_file("表.xlsx", xlsx)).mime_type.endswith("spreadsheetml.sheet")
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    assert check_file(f.evidence_file("旧文档.doc", ole)).mime_type == "application/msword"


def test_oversized_and_empty_files_are_refused(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    assert "文件过大" in refusal("大.pdf", b"%PDF-1.4" + b"x" * 2000)
    assert "文件是空的" in refusal("空.pdf", b"")


def test_wrong_magic_and_unknown_types_are_refused():
    assert "不是有效的 PDF" in refusal("伪装.pdf", b"MZ\x90\x00 an executable")
    assert "与扩展名不符" in refusal("伪装.doc", b"%PDF-1.4 not ole")
    assert "不支持的文件类型“exe”" in refusal("程序.exe", b"MZ")
    assert "不支持的文件类型“html”" in refusal("page.html", b"<script>alert(1)</script>")
    assert "不支持的文件类型“?”" in refusal("无扩展名", b"%PDF-1.4")


def test_a_png_that_is_not_one_is_refused(settings):
    assert "不是有效的图片" in refusal("照片.png", b"\x89PNG\r\n\x1a\n but then garbage")
    assert "不是有效的图片" in refusal("照片.png", f.png_bytes(fmt="JPEG"))  # a JPEG named .png
    assert "不是有效的图片" in refusal("照片.jpg", b"<svg onload=alert(1)>")
    settings.PORTAL_ATTACHMENT_MAX_PIXELS = 100
    assert "图片尺寸过大（20×20 像素）" in refusal("大图.png", f.png_bytes(size=(20, 20)))


def test_office_files_must_be_documents_of_their_kind():
    assert "不是有效的 Office 文档" in refusal("纪要.docx", b"PK\x03\x04 not really a zip")
    assert "不是有效的 Office 文档" in refusal("纪要.docx", zip_bytes({"readme.txt": b"hello"}))
    workbook = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert "不是有效的 Office 文档" in refusal("纪要.docx", workbook)  # an xlsx named .docx


def test_a_zip_bomb_disguised_as_docx_is_refused_within_its_bound(settings):
    settings.PORTAL_ATTACHMENT_MAX_UNZIPPED_BYTES = 1024 * 1024
    bomb = f.docx_bytes(body=b"\0" * (8 * 1024 * 1024))
    assert len(bomb) < 20 * 1024
    assert "可能是压缩炸弹" in refusal("纪要.docx", bomb)
    # A bomb whose headers claim a small size: unpacking stops at the claimed
    # size, the checksum fails, the file is refused.
    liar = lying_sizes(bomb, "word/document.xml", 1000)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("word/document.xml").file_size == 1000
    assert "不是有效的 Office 文档" in refusal("纪要.docx", liar)
    many = zip_bytes({"[Content_Types].xml": b"", **{f"word/{i}.xml": b"" for i in range(5001)}})
    assert "可能是压缩炸弹" in refusal("纪要.docx", many)


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("/abs/path/纪要.PDF", "纪要.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override removed
        ("a\x00b\nc.pdf", "abc.pdf"),
        ('<img src=x>".pdf', "_img src=x__.pdf"),
        ("...pdf", "pdf"),  # no suffix left: refused as of no known type
        ("..", "附件"),
        ("很长" * 200 + ".pdf", "很长" * 60 + ".pdf"),
    ],
)
def test_names_are_made_safe(raw, shown):
    assert safe_name(raw) == shown


def test_a_path_traversal_name_is_stored_inside_media_under_a_random_name(world, client_for, meeting, settings):
    upload = f.evidence_file("x.pdf")
    upload.name = "../../../../tmp/evil.pdf"
    response = client_for(world.office).post(
        reverse("attachment_add", args=[meeting._meta.label_lower, meeting.pk]), {"files": [upload]}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "evil.pdf"
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to((Path(settings.MEDIA_ROOT) / "attachments").resolve())
    assert "evil" not in stored.name


def test_a_request_above_the_limit_is_answered_413_and_stores_nothing(world, client_for, meeting, settings):
    settings.PORTAL_MAX_REQUEST_BYTES = 4096
    response = client_for(world.office).post(
        reverse("attachment_add", args=[meeting._meta.label_lower, meeting.pk]),
        {"files": [f.evidence_file("大.pdf", b"%PDF-1.4" + b"x" * 8000)]},
    )
    assert response.status_code == 413
    assert not Attachment.all_objects.exists()
