"""Benchmark: compiling the annual report to HTML and rendering its PDF, for the
demo volume of records and 10x and 100x it (issue 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_reports \\
        .venv/bin/python bench/report.py [--runs 5] [--pdf-runs 3] [--factors 1,10,100]

Migrates the database and seeds one committee per factor (``reports.volume``;
kept between runs). For each it times, separately and as the median of
several runs: compile (the selectors' queries and the plain context), HTML
(the template), and PDF (WeasyPrint on that same HTML), and counts the
compiler's queries. Targets: HTML compile under 0.3 s at 10x; compile + HTML
+ PDF within 1.3x of WeasyPrint's own time; the query count flat.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.models import Committee  # noqa: E402
from reports import renderers  # noqa: E402
from reports.compiler import compile_report  # noqa: E402
from reports.volume import seed_volume  # noqa: E402

YEAR = 2020


def timed(func, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def committee_for(factor: int) -> Committee:
    slug = f"bench-report-{factor}"
    existing = Committee.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    start = time.perf_counter()
    committee = seed_volume(slug, factor, YEAR)
    print(f"seeded {slug} in {time.perf_counter() - start:.1f} s", flush=True)
    return committee


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="runs of compile and HTML (median)")
    parser.add_argument("--pdf-runs", type=int, default=3, help="runs of the PDF (median; 1 at 100x)")
    parser.add_argument("--factors", default="1,10,100")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
          f"Python {platform.python_version()} · {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}")
    rows = []
    for factor in [int(f) for f in args.factors.split(",")]:
        committee = committee_for(factor)
        with CaptureQueriesContext(connection) as queries:
            compile_report(committee, YEAR)
        t_compile, context = timed(lambda: compile_report(committee, YEAR), args.runs)
        t_html, html = timed(lambda: renderers.render_html_document(context), args.runs)
        pdf_runs = 1 if factor >= 100 else args.pdf_runs
        t_pdf, pdf = timed(lambda: renderers.render_pdf_bytes(html), pdf_runs)
        total = t_compile + t_html + t_pdf
        rows.append((factor, len(queries), t_compile, t_html, t_pdf, total / t_pdf, len(html), len(pdf)))
        print(f"{factor:>4}x  queries {len(queries):>3}  compile {t_compile:.3f} s  html {t_html:.3f} s  "
              f"compile+html {t_compile + t_html:.3f} s  pdf {t_pdf:.2f} s  total/pdf {total / t_pdf:.2f}  "
              f"html {len(html) / 1024:.0f} KiB  pdf {len(pdf) / 1024:.0f} KiB", flush=True)
    print()
    print("| volume | queries | compile | HTML | compile + HTML | PDF (WeasyPrint) | total / PDF | HTML size | PDF size |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for factor, q, tc, th, tp, ratio, hs, ps in rows:
        print(f"| {factor}x | {q} | {tc * 1000:.0f} ms | {th * 1000:.0f} ms | {(tc + th) * 1000:.0f} ms | "
              f"{tp:.2f} s | {ratio:.2f} | {hs / 1024:.0f} KiB | {ps / 1024:.0f} KiB |")


if __name__ == "__main__":
    main()
