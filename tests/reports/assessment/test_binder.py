"""The evidence binder of an assessed unit follows its scoring sheet (reports/assessment/binder.py)."""

import datetime
import io
import zipfile

from reports.assessment import services
from reports.binder import build_binder
from tests import factories as f
from tests.reports.binder_helpers import index_text, make_evidence

from .conftest import as_actor


def binder(committee) -> zipfile.ZipFile:
    out = io.BytesIO()
    build_binder(committee, 2020, out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def folders(zf) -> list[str]:
    return sorted({name.split("/")[0] for name in zf.namelist() if "/" in name})


def test_one_folder_per_rubric_item_with_the_records_frozen_at_submit(tree, assessment):
    evidence = make_evidence(tree.world)
    zf = binder(tree.child)
    assert folders(zf) == ["01 1.1 党委专题研究意识形态工作", "02 1.2 责任书签订", "03 2.1 中心组学习", "04 3.1 阵地管理"]
    first = [n for n in zf.namelist() if n.startswith("01 ")]
    assert any(n.endswith("签到表.png") for n in first)  # a meeting's attachment, behind item 1.1
    assert "分值：5" in index_text(zf)

    office = as_actor(tree.world.office)
    manual = assessment.items.get(rubric_item__code="3.1")
    services.item_self_assess(actor=office, item=manual, self_score=4, explanation="阵地均有专人管理")
    services.assessment_submit(actor=office, assessment=assessment)
    late = f.CommitteeMeetingFactory(committee=tree.child, date=datetime.date(2020, 11, 2), is_ideology=True,
                                     title="提交后补录的专题会")
    f.attach(late, tree.world.office, "补录纪要.pdf")
    zf = binder(tree.child)
    assert not any("补录纪要" in n for n in zf.namelist())  # submitted: the frozen evidence, not today's
    assert "提交后补录的专题会" not in index_text(zf)
    assert any(n.endswith("签到表.png") for n in zf.namelist() if n.startswith("01 "))
    assert evidence.meetings[0].title.replace(" ", "") in index_text(zf)


def test_without_an_assessment_the_binder_falls_back_to_the_figures(tree):
    make_evidence(tree.world)
    zf = binder(tree.sibling)  # published nowhere for the sibling here: no rubric at all
    assert all(not name.startswith("01 1.1") for name in folders(zf))
