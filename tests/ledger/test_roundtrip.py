"""Export → import into an empty committee → export gives the same cells,
the same report figures, and a second import changes nothing."""

import io

import pytest
from django.core.management import call_command

from portal.ledger.exporter import ledger_export
from portal.ledger.importer import ledger_import
from portal.ledger.sheets import ledger_sheets
from portal.models import Committee
from responsibility.models import Talk
from tests import factories as f

from .helpers import cells, figures, populate, post_and_run

SHEETS = ledger_sheets()


def roundtrip(committee, year, slug="copy"):
    first = ledger_export(committee=committee, year=year, include_summaries=True)
    result = ledger_import(committee_slug=slug, file=io.BytesIO(first), dry_run=False)
    assert result.ok, [str(e) for e in result.errors] or result.refused
    copy = Committee.objects.get(slug=slug)
    second = ledger_export(committee=copy, year=year, include_summaries=True)
    return first, second, copy, result


@pytest.mark.django_db
def test_roundtrip_gives_same_cells_and_figures():
    committee = f.CommitteeFactory(slug="src", name="源局党委", short_name="局党委", unit_name="源局机关")
    populate(committee)
    first, second, copy, result = roundtrip(committee, 2020)
    assert result.committee_created
    assert [name for name in cells(first)] == [s.name for s in SHEETS]
    assert cells(first) == cells(second)
    assert figures(committee) == figures(copy)
    assert figures(copy)["member_talks"] == 1 and figures(copy)["ideology_meetings"] == 1
    # The other year's talk is not part of the 2020 workbook.
    assert Talk.objects.filter(committee=copy).count() == 2


@pytest.mark.django_db
def test_reimport_changes_nothing_and_counts_unchanged():
    committee = f.CommitteeFactory(slug="src")
    populate(committee)
    data = ledger_export(committee=committee, year=2020, include_summaries=True)
    before = {m.__name__: m.all_objects.count() for m in [s.model for s in SHEETS if s.model is not Committee]}
    result = ledger_import(committee_slug="src", file=io.BytesIO(data), dry_run=False)
    assert result.ok
    assert all(s.create == 0 and s.update == 0 for s in result.sheets), result.sheets
    assert sum(s.unchanged for s in result.sheets) > 20
    after = {m.__name__: m.all_objects.count() for m in [s.model for s in SHEETS if s.model is not Committee]}
    assert before == after


def report_sentences(committee, year=2020) -> dict:
    from reports.compiler import build_figures, gather_counts

    return {key: figure["sentence"] for key, figure in build_figures(committee, year, gather_counts(committee, year)).items()}


@pytest.mark.django_db
def test_demo_roundtrip_keeps_the_report_figures():
    call_command("seed_demo", verbosity=0)
    demo = Committee.objects.get(slug="demo")
    first, second, copy, _ = roundtrip(demo, 2020)
    assert cells(first) == cells(second)
    assert figures(demo) == figures(copy)
    assert report_sentences(demo) == report_sentences(copy)
    # The sample report's figures survive the trip (see reference/sample-report.txt).
    sentences = " ".join(report_sentences(copy).values())
    for phrase in ["党委专题研究了2次意识形态工作", "班子成员共开展了81次交心谈心", "全年共开展了11次党委理论学习中心组学习",
                   "在省部级及以上媒体上发布9篇文章", "发布了3期《形势分析报告》"]:
        assert phrase in sentences


@pytest.mark.django_db
def test_demo_roundtrip_through_the_commands(tmp_path, capsys):
    call_command("seed_demo", verbosity=0)
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    call_command("export_ledger", "--committee", "demo", "--year", "2020", "--out", str(first))
    call_command("import_ledger", str(first), "--committee", "copy")
    call_command("export_ledger", "--committee", "copy", "--year", "2020", "--out", str(second))
    assert cells(first.read_bytes()) == cells(second.read_bytes())
    assert figures(Committee.objects.get(slug="demo")) == figures(Committee.objects.get(slug="copy"))
    capsys.readouterr()
    call_command("import_ledger", str(first), "--committee", "copy")
    out = capsys.readouterr().out
    assert "谈心谈话: 新增 0，更新 0，未变 86" in out


@pytest.mark.django_db
def test_demo_roundtrip_through_the_browser_pages(client_for, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    call_command("seed_demo", verbosity=0)
    demo = Committee.objects.get(slug="demo")
    office = get_user_model().objects.get(username="office")
    first = client_for(office).get(reverse("ledger:export_download"), {"year": 2020}).content
    # An empty committee whose only person is its office clerk, named as in the demo.
    fresh = f.CommitteeFactory(slug="fresh")
    clerk = client_for(f.person_with_user(fresh, "fresh-office", role="office", name="赵敏"))
    upload = io.BytesIO(first)
    upload.name = "demo-2020.xlsx"
    preview = post_and_run(clerk, django_capture_on_commit_callbacks, reverse("ledger:import"), {"file": upload})
    assert preview.context["result"]["ok"]
    confirm = reverse("ledger:import_confirm", args=[preview.context["job"].pk])
    done = post_and_run(clerk, django_capture_on_commit_callbacks, confirm, {})
    assert done.context["result"]["applied"]
    second = clerk.get(reverse("ledger:export_download"), {"year": 2020}).content
    before, after = cells(first), cells(second)
    # The clerk existed before the import, so 赵敏 comes first in the copy's 人员 sheet.
    assert sorted(before.pop("人员")) == sorted(after.pop("人员"))
    assert before == after
    assert figures(demo) == figures(fresh)
    assert report_sentences(demo) == report_sentences(fresh)
