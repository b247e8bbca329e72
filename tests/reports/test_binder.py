"""The evidence binder's zip: structure, contents, the index, the hook, the size bound."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.binder import BinderItem, BinderRefused, build_binder, register_items_source
from reports.binder import items as binder_items

from .binder_helpers import INDEX, index_text, make_evidence, squash


@pytest.fixture
def evidence(world):
    return make_evidence(world)


def built(world, **kwargs) -> zipfile.ZipFile:
    out = io.BytesIO()
    build_binder(world.committee, 2020, out, **kwargs)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_zip_holds_index_report_ledger_and_a_folder_per_item(world, evidence):
    zf = built(world)
    names = zf.namelist()
    assert INDEX in names
    [report] = [n for n in names if "/" not in n and n.endswith(".pdf") and n != INDEX]
    assert "年" in report and len(PdfReader(io.BytesIO(zf.read(report))).pages) >= 1
    [ledger] = [n for n in names if n.endswith(".xlsx")]
    assert load_workbook(io.BytesIO(zf.read(ledger)), read_only=True).sheetnames
    folders = sorted({n.split("/")[0] for n in names if "/" in n})
    items = binder_items.figure_items(world.committee, 2020)
    assert len(folders) == len(items) and [f[:2] for f in folders] == [f"{i:02d}" for i in range(1, len(items) + 1)]
    # every attachment of the year's records is inside, with its content, under a safe name
    inside = {zf.read(n) for n in names if "/" in n}
    for attachment in evidence.attachments:
        with attachment.file.open("rb") as fh:
            assert fh.read() in inside
    assert all("\\" not in n and ":" not in n and n.count("/") == 1 for n in names if "/" in n)


def test_index_lists_every_record_and_every_file_inside(world, evidence):
    zf = built(world)
    text = index_text(zf)
    files = [n for n in zf.namelist() if "/" in n]
    for path in files:
        assert squash(path) in text, path
    for record in evidence.meetings + evidence.sessions:
        assert squash(str(record)) in text
    assert "2020-03-05" in text and "佐证材料目录" in text
    # the report and the ledger are named with their paths
    for name in zf.namelist():
        assert squash(name) in text


def test_confidential_and_foreign_files_stay_out(world, evidence):
    zf = built(world)
    contents = {zf.read(n) for n in zf.namelist()}
    for attachment in [evidence.talk_attachment, *evidence.decoys]:
        with attachment.file.open("rb") as fh:
            assert fh.read() not in contents
    assert "未收入" in index_text(zf)  # the talk is listed, its attachment said to be left out


def test_a_removed_attachment_and_a_trashed_record_stay_out(world, evidence):
    from portal.access import actor_for
    from portal.attachments.services import attachment_remove
    from portal.services import record_trash

    removed = evidence.attachments[1]
    attachment_remove(actor=actor_for(world.office), attachment=removed)
    record_trash(actor=actor_for(world.office), record=evidence.sessions[0])
    zf = built(world)
    contents = {zf.read(n) for n in zf.namelist()}
    for attachment in (removed, evidence.attachments[3]):
        with attachment.file.open("rb") as fh:
            assert fh.read() not in contents
    text = index_text(zf)
    assert squash(str(evidence.sessions[0])) not in text and removed.original_name not in text


def test_same_name_different_files_both_kept_same_file_once(world, evidence):
    from tests import factories as f

    f.attach(evidence.meetings[0], world.office, "复印件.pdf", content=evidence.attachments[0].file.open("rb").read())
    zf = built(world)
    folder = next(n.split("/")[0] for n in zf.namelist() if "会议纪要" in n)
    in_folder = [n for n in zf.namelist() if n.startswith(folder + "/")]
    minutes = [n for n in in_folder if "会议纪要" in n]
    assert len(minutes) == 2 and len(set(minutes)) == 2  # two different files of the same name
    assert not any("复印件" in n for n in in_folder)  # the same bytes as the first minute: stored once


def test_a_registered_source_gives_the_items(world, evidence):
    def source(committee, year):
        if committee.pk != world.committee.pk:
            return None
        return [BinderItem(number="1.2", category="组织领导", title="党委专题研究意识形态工作", points=5, score=4.5,
                           figure="ideology_meetings"),
                BinderItem(number="2.1", category="理论学习", title="中心组学习", points=5,
                           records=[(type(evidence.sessions[0]), [evidence.sessions[0].pk, evidence.decoys[1].pk])])]

    register_items_source(source)
    try:
        zf = built(world)
    finally:
        binder_items.SOURCES.remove(source)
    folders = sorted({n.split("/")[0] for n in zf.namelist() if "/" in n})
    assert folders == ["01 1.2 党委专题研究意识形态工作", "02 2.1 中心组学习"]
    text = index_text(zf)
    assert "分值：5" in text and "得分：4.5" in text and "指标值：2" in text
    assert "一级指标：组织领导" in text


def test_without_a_source_one_item_per_figure_with_records(world, evidence):
    from portal import figures

    items = binder_items.figure_items(world.committee, 2020)
    keys = [item.figure for item in items]
    assert "ideology_meetings" in keys and "central_group_sessions" in keys
    for item in items:
        assert figures.records(item.figure, world.committee, 2020).exists()
    assert "articles" not in keys  # no articles in 2020
    # the branches without a letter are a figure, but not evidence of anything done
    assert figures.records("letters_unsigned", world.committee, 2020).exists() and "letters_unsigned" not in keys


def test_over_the_limit_is_refused_and_nothing_is_issued(world, evidence):
    from portal.models import IssuedDocument

    with pytest.raises(BinderRefused, match="超过上限"):
        built(world, limit=10)
    assert not IssuedDocument.objects.filter(kind="reports.binder").exists()


def test_the_index_is_sealed_and_registered(world, evidence):
    import hashlib

    from portal.models import IssuedDocument

    zf = built(world)
    document = IssuedDocument.objects.get(kind="reports.binder")
    assert document.sha256 == hashlib.sha256(zf.read(INDEX)).hexdigest()
    assert document.display_code.replace("-", "") in index_text(zf).replace("-", "")


def test_a_newer_binder_supersedes_the_older_index_on_the_verify_page(world, evidence):
    from portal.models import IssuedDocument
    from portal.seal.issuing import describe

    built(world)
    built(world)
    older, newer = IssuedDocument.objects.filter(kind="reports.binder").order_by("issued_at", "pk")
    assert describe(newer).current and describe(newer).url.endswith("/reports/2020/binder/")
    assert not describe(older).current and "新的佐证材料包" in describe(older).status
