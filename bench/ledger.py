"""Benchmark: import and export of a ledger workbook with 10,000 talks and
5,000 study sessions (issue 6; target under 10 s each).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_ledger \\
        .venv/bin/python bench/ledger.py [--talks 10000] [--sessions 5000]

Migrates the database, imports the generated workbook into a fresh committee
(dry run, then for real), re-imports it (everything unchanged) and exports the
year. Each phase is timed on its own, then run again under tracemalloc for its
peak Python memory; the process's peak RSS is printed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from portal.ledger.exporter import ledger_export  # noqa: E402
from portal.ledger.importer import ledger_import  # noqa: E402
from portal.models import Committee  # noqa: E402

YEAR = 2020
KINDS = ["党委理论学习中心组学习", "主题党日", "支部党员大会", "支委会", "党小组会", "党课", "其他"]


def workbook(talks: int, sessions: int, people: int = 300, branches: int = 12) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("党委")
    sheet.append(["党委名称", "简称", "单位名称", "上级"])
    sheet.append(["基准测试局党委", "局党委", "基准测试局机关", "省中心党委"])
    sheet = book.create_sheet("支部")
    sheet.append(["支部名称", "支部书记", "党员人数"])
    for b in range(branches):
        sheet.append([f"第{b + 1}党支部", f"人员{b}", people // branches])
    sheet = book.create_sheet("人员")
    sheet.append(["姓名", "所在支部", "职务", "党员", "班子成员"])
    for p in range(people):
        sheet.append([f"人员{p}", f"第{p % branches + 1}党支部", "科员", "是", "是" if p < 7 else "否"])
    start = datetime.date(YEAR, 1, 1)
    sheet = book.create_sheet("谈心谈话")
    sheet.append(["日期", "谈话人", "谈话对象", "谈话类型", "要点"])
    for t in range(talks):
        # 7 talkers × 293 talkees × 366 days leaves every key unique.
        sheet.append(
            [start + datetime.timedelta(days=t % 366), f"人员{t % 7}", f"人员{7 + t // 366 % 293}", "谈心谈话", f"谈话要点{t}"]
        )
    sheet = book.create_sheet("学习活动")
    sheet.append(["日期", "类别", "主题", "意识形态主题", "主持人", "参加人数", "支部"])
    for s in range(sessions):
        sheet.append(
            [start + datetime.timedelta(days=s % 366), KINDS[s % 7], f"学习主题{s}", "是" if s % 10 == 0 else "否",
             f"人员{s % people}", 20, f"第{s % branches + 1}党支部" if s % 7 else None]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def measure(label: str, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    func_again = getattr(func, "again", func)
    func_again()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {elapsed:7.2f} s   peak Python memory {peak / 2**20:7.1f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    slug = f"bench-{int(time.time())}"
    data = workbook(args.talks, args.sessions)
    print(f"database {django.db.connection.vendor}, workbook {len(data) / 2**20:.1f} MiB, "
          f"{args.talks} talks, {args.sessions} study sessions, committee {slug}")

    def dry_run():
        result = ledger_import(committee_slug=slug, file=io.BytesIO(data), dry_run=True)
        assert result.ok, result.refused or [str(e) for e in result.errors[:5]]
        return result

    measure("import, dry run", dry_run)

    def first_import():
        result = ledger_import(committee_slug=slug, file=io.BytesIO(data), dry_run=False)
        assert result.applied, result.refused or [str(e) for e in result.errors[:5]]
        return result

    # The real import runs once; its memory is measured by re-importing a copy
    # into a second fresh committee.
    def first_import_copy():
        result = ledger_import(committee_slug=slug + "-m", file=io.BytesIO(data), dry_run=False)
        assert result.applied

    first_import.again = first_import_copy
    result = measure("import (creates everything)", first_import)
    print("   ", ", ".join(f"{s.name} +{s.create}" for s in result.sheets))

    def reimport():
        result = ledger_import(committee_slug=slug, file=io.BytesIO(data), dry_run=False)
        assert all(s.create == s.update == 0 for s in result.sheets)
        return result

    measure("re-import (all unchanged)", reimport)
    committee = Committee.objects.get(slug=slug)
    exported = measure("export", lambda: ledger_export(committee=committee, year=YEAR, include_summaries=True))
    print(f"    exported workbook {len(exported) / 2**20:.1f} MiB")
    print(f"peak RSS of the process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
