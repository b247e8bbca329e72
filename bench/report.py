"""Benchmark: the annual report's PDF at the demo volume of records and 10x and
100x it, against plain WeasyPrint on the same HTML, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_reports \\
        .venv/bin/python bench/report.py [--runs 3] [--factors 1,10,100]

Migrates the database and seeds one committee per factor (``reports.volume``;
kept between runs). Each volume is measured in a fresh child process, so its
peak memory (``ru_maxrss``) is that of the process making the PDF: after one
warm-up, the median of ``--runs`` runs of compile (the selectors' queries and
the plain context), HTML (the template), PDF (``reports.renderers``, as a build
makes it), and the other files of a build (DOCX, ledger workbook); the
compiler's query count and the PDF's pages. Plain WeasyPrint (no portal code,
no URL fetcher) prints the same HTML in turns with the project's PDF step:
"total / plain" is compile + HTML + PDF over its time, "PDF / plain" the PDF
step over it, both measured, neither 1 by construction. A second child prints
that HTML with plain WeasyPrint alone, for its own peak memory.

Targets (the exit status is 1 when one is missed): at the largest volume the
total time at most 3x that of the smallest and the peak memory under 500 MB
(issue 14); the query count the same at every volume; total / plain at most
1.3 and compile + HTML under 0.3 s at 10x (issue 5).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2020
MAX_SLOWDOWN = 3.0
MAX_PEAK_MB = 500
MAX_TOTAL_OVER_PLAIN = 1.3
MAX_COMPILE_HTML_AT_10X = 0.3


def median_time(func, runs: int) -> tuple[float, object]:
    """One warm-up call (fonts, caches), then the median of ``runs`` calls."""
    result = func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# -- the children --------------------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def child_project(factor: int, runs: int, html_out: str) -> dict:
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from portal.models import Committee
    from reports import renderers
    from reports.compiler import compile_report

    committee = Committee.objects.get(slug=slug(factor))
    with CaptureQueriesContext(connection) as queries:
        compile_report(committee, YEAR)
    t_compile, context = median_time(lambda: compile_report(committee, YEAR), runs)
    t_html, html = median_time(lambda: renderers.render_html_document(context), runs)
    # The project's PDF and plain WeasyPrint in turns, so a change in the machine's load hits both.
    (t_pdf, pdf), (t_plain, _plain) = interleaved(lambda: renderers.render_pdf_bytes(html), lambda: plain_pdf(html), runs)
    t_docx, _docx = median_time(lambda: renderers.render_docx_bytes(html), runs)
    t_ledger, _ledger = median_time(lambda: renderers.render_ledger(committee, YEAR), runs)
    Path(html_out).write_text(html, encoding="utf-8")
    return {"queries": len(queries), "compile": t_compile, "html": t_html, "pdf": t_pdf, "plain": t_plain,
            "docx": t_docx, "ledger": t_ledger, "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            "html_kib": len(html.encode()) / 1024, "pdf_kib": len(pdf) / 1024, "peak_mb": peak_mb()}


def plain_pdf(html: str) -> bytes:
    """WeasyPrint alone: no portal code, no URL fetcher."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def interleaved(first, second, runs: int) -> tuple[tuple[float, object], tuple[float, object]]:
    """median_time of two functions, one run of each in turn."""
    results = [first(), second()]
    times: list[list[float]] = [[], []]
    for _ in range(runs):
        for i, func in enumerate((first, second)):
            start = time.perf_counter()
            results[i] = func()
            times[i].append(time.perf_counter() - start)
    return (statistics.median(times[0]), results[0]), (statistics.median(times[1]), results[1])


def child_plain(html_file: str, runs: int) -> dict:
    """Plain WeasyPrint's own peak memory, in a process that imports nothing else."""
    html = Path(html_file).read_text(encoding="utf-8")
    median_time(lambda: plain_pdf(html), runs)
    return {"peak_mb": peak_mb()}


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True,
                          cwd=ROOT)
    if done.returncode:
        sys.exit(f"child {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the run -------------------------------------------------------------------------


def slug(factor: int) -> str:
    return f"bench-report-{factor}"


def seed(factors: list[int]) -> None:
    django_setup()
    from django.core.management import call_command

    from portal.models import Committee
    from reports.volume import seed_volume

    call_command("migrate", verbosity=0)
    for factor in factors:
        if not Committee.objects.filter(slug=slug(factor)).exists():
            start = time.perf_counter()
            seed_volume(slug(factor), factor, YEAR)
            print(f"seeded {slug(factor)} in {time.perf_counter() - start:.1f} s", flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def measure(factors: list[int], runs: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            html = str(Path(tmp) / f"{factor}.html")
            project = run_child("--child", "project", "--factor", str(factor), "--runs", str(runs), "--html", html)
            plain = run_child("--child", "plain", "--html", html, "--runs", str(runs))
            row = {"factor": factor, **project, "plain_peak_mb": plain["peak_mb"]}
            row["total"] = row["compile"] + row["html"] + row["pdf"]
            rows.append(row)
            print(f"{factor:>4}x  queries {row['queries']}  compile {row['compile']:.3f} s  html {row['html']:.3f} s  "
                  f"pdf {row['pdf']:.2f} s  plain {row['plain']:.2f} s  docx {row['docx']:.2f} s  "
                  f"ledger {row['ledger']:.2f} s  "
                  f"pages {row['pages']}  peak {row['peak_mb']:.0f} MB  ({load()})", flush=True)
    return rows


def verdicts(rows: list[dict]) -> list[tuple[str, bool]]:
    first, last = rows[0], rows[-1]
    found = [
        (f"{last['factor']}x total at most {MAX_SLOWDOWN:g}x the {first['factor']}x total: "
         f"{last['total']:.2f} s / {first['total']:.2f} s = {last['total'] / first['total']:.2f}",
         last["total"] <= MAX_SLOWDOWN * first["total"]),
        (f"{last['factor']}x peak memory under {MAX_PEAK_MB} MB: {last['peak_mb']:.0f} MB", last["peak_mb"] < MAX_PEAK_MB),
        (f"query count flat: {sorted({r['queries'] for r in rows})}", len({r["queries"] for r in rows}) == 1),
        (f"total / plain WeasyPrint at most {MAX_TOTAL_OVER_PLAIN}: "
         + ", ".join(f"{r['total'] / r['plain']:.2f}" for r in rows),
         all(r["total"] / r["plain"] <= MAX_TOTAL_OVER_PLAIN for r in rows)),
    ]
    ten = next((r for r in rows if r["factor"] == 10), None)
    if ten:
        found.append((f"10x compile + HTML under {MAX_COMPILE_HTML_AT_10X} s: {ten['compile'] + ten['html']:.3f} s",
                      ten["compile"] + ten["html"] < MAX_COMPILE_HTML_AT_10X))
    return found


def table(rows: list[dict]) -> None:
    print("| volume | queries | compile | HTML | PDF | total | plain WeasyPrint | PDF / plain | total / plain "
          "| DOCX | ledger | pages | peak memory (plain) | HTML size | PDF size |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['factor']}x | {r['queries']} | {r['compile'] * 1000:.0f} ms | {r['html'] * 1000:.0f} ms | "
              f"{r['pdf']:.2f} s | {r['total']:.2f} s | {r['plain']:.2f} s | {r['pdf'] / r['plain']:.2f} | "
              f"{r['total'] / r['plain']:.2f} | {r['docx']:.2f} s | {r['ledger']:.2f} s | {r['pages']} | "
              f"{r['peak_mb']:.0f} MB ({r['plain_peak_mb']:.0f} MB) | {r['html_kib']:.0f} KiB | {r['pdf_kib']:.0f} KiB |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="timed runs after one warm-up (median)")
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--child", choices=["project", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--factor", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--html", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "project":
        print(json.dumps(child_project(args.factor, args.runs, args.html)))
        return
    if args.child == "plain":
        print(json.dumps(child_plain(args.html, args.runs)))
        return
    factors = [int(f) for f in args.factors.split(",")]
    seed(factors)
    from django.db import connection

    print(f"{platform.node()} · {platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
          f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''} · "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {load()}", flush=True)
    rows = measure(factors, args.runs)
    print(f"\nafter the run: {load()}\n")
    table(rows)
    print()
    results = verdicts(rows)
    for text, ok in results:
        print(f"{'met   ' if ok else 'MISSED'} {text}")
    sys.exit(0 if all(ok for _text, ok in results) else 1)


if __name__ == "__main__":
    main()
