"""Untrusted files: each is refused with a clear message and nothing is written."""

import io
import re
import zipfile

import openpyxl
import pytest

from portal.ledger import files
from portal.ledger.exporter import ledger_template
from portal.ledger.importer import ledger_import
from portal.models import Committee, Person

from .helpers import xlsx

PEOPLE = [["姓名", "所在支部", "职务", "党员", "班子成员"], ["甲", "", "", "是", "否"]]


@pytest.fixture
def alpha(db):
    from tests import factories as f

    return f.CommitteeFactory(slug="alpha")


def rezip(data: bytes, archive: zipfile.ZipFile, member: str = "", old: bytes = b"", new: bytes = b"") -> None:
    """Copy a workbook's members into ``archive``, replacing the pattern ``old`` by ``new`` in ``member``.

    Patterns allow either spelling of an empty element (``<x />`` without lxml,
    ``<x/>`` with it), so the tests do not depend on which one wrote the file.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == member:
                assert re.search(old, content)
                content = re.sub(old, new, content, count=1)
            archive.writestr(item, content)


def refused(data: bytes) -> str:
    result = ledger_import(committee_slug="alpha", file=io.BytesIO(data), dry_run=False)
    assert not result.applied and result.refused
    assert Person.objects.count() == 0
    return result.refused


def test_random_bytes(alpha):
    assert "不是 Excel 工作簿" in refused(b"\x00\x01garbage" * 100)


def test_csv_renamed(alpha):
    assert "不是 Excel 工作簿" in refused("姓名,所在支部\n甲,\n".encode())


def test_ole_file_is_xls_or_encrypted(alpha):
    # An encrypted xlsx and a legacy .xls are both OLE compound files.
    assert "加密" in refused(files.OLE_SIGNATURE + b"\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_zip_that_is_not_a_workbook(alpha):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w/>")
    assert "不是 Excel 工作簿" in refused(buffer.getvalue())


def test_zip_without_content_types(alpha):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    assert "[Content_Types].xml" in refused(buffer.getvalue())


def test_truncated_workbook(alpha):
    data = xlsx({"人员": PEOPLE}).getvalue()
    assert "损坏" in refused(data[: len(data) // 2])


def test_zip_bomb_by_declared_size(alpha):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        rezip(xlsx({"人员": PEOPLE}).getvalue(), archive)
        # 201 MB of zeros compresses to about 200 kB.
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(201):
                member.write(chunk)
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "压缩炸弹" in refused(buffer.getvalue())


def test_zip_bomb_by_ratio(alpha):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        rezip(xlsx({"人员": PEOPLE}).getvalue(), archive)
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    assert "压缩" in refused(buffer.getvalue())


def test_file_over_upload_limit(alpha, settings):
    data = xlsx({"人员": PEOPLE}).getvalue()
    settings.PORTAL_MAX_UPLOAD_BYTES = len(data) - 1
    assert "文件过大" in refused(data)


def test_too_many_rows_declared(alpha):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    sheet.append(PEOPLE[0])
    sheet.cell(row=files.MAX_ROWS + 2, column=1, value="末行")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert f"超过 {files.MAX_ROWS} 行" in refused(buffer.getvalue())


def test_too_many_rows_while_streaming(alpha, monkeypatch):
    # A sheet without (or with a lying) dimension is still cut off while streaming.
    monkeypatch.setattr("portal.ledger.importer.MAX_ROWS", 3)
    data = xlsx({"人员": PEOPLE + [[f"人{i}"] for i in range(5)]}).getvalue()
    lying = io.BytesIO()
    with zipfile.ZipFile(lying, "w") as target:
        rezip(data, target, "xl/worksheets/sheet1.xml", rb'<dimension ref="A1:E7" ?/>', b'<dimension ref="A1:E2" />')
    assert "超过 3 行" in refused(lying.getvalue())


def test_xml_entities_are_refused(alpha):
    """A part declaring entities (billion laughs) is refused before any parser
    sees it: defusedxml would refuse it, but openpyxl with lxml expands them."""
    data = xlsx({"人员": PEOPLE}).getvalue()
    bomb = io.BytesIO()
    entities = b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><workbook'
    with zipfile.ZipFile(bomb, "w") as target:
        rezip(data, target, "xl/workbook.xml", b"<workbook", entities)
    assert "文档类型声明" in refused(bomb.getvalue())


@pytest.mark.parametrize(
    "prolog",
    [
        b'<?xml version="1.0"?>\n<!-- a comment --><!DOCTYPE x [<!ENTITY a "a">]>',
        b"<!-- " + b"x" * (files.MAX_PROLOG + 10),  # a prolog that never ends
        "<!DOCTYPE x>".encode("utf-16"),
    ],
)
def test_doctype_after_a_prolog_or_in_utf16_is_refused(alpha, prolog):
    data = xlsx({"人员": PEOPLE}).getvalue()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as target:
        rezip(data, target, "xl/worksheets/sheet1.xml", rb"\A(<\?xml[^>]*\?>)?", prolog)
    assert "文档类型声明" in refused(bomb.getvalue())


def test_template_is_accepted_and_empty(alpha):
    result = ledger_import(committee_slug="alpha", file=io.BytesIO(ledger_template()), dry_run=False)
    assert result.ok and result.applied
    assert sum(s.create + s.update + s.unchanged for s in result.sheets) == 0


def test_template_cannot_create_a_committee(db):
    result = ledger_import(committee_slug="fresh", file=io.BytesIO(ledger_template()), dry_run=False)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("党委", 2, "党委名称")]
    assert not Committee.objects.filter(slug="fresh").exists()


def test_rows_beyond_a_wrong_dimension_are_still_read(alpha):
    data = xlsx({"人员": PEOPLE + [[f"人{i}"] for i in range(5)]}).getvalue()
    lying = io.BytesIO()
    with zipfile.ZipFile(lying, "w") as target:
        rezip(data, target, "xl/worksheets/sheet1.xml", rb'<dimension ref="A1:E7" ?/>', b'<dimension ref="A1:E2" />')
    result = ledger_import(committee_slug="alpha", file=io.BytesIO(lying.getvalue()), dry_run=False)
    assert result.applied and Person.objects.count() == 6
