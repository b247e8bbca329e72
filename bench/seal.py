"""Benchmark: what sealing adds to a report PDF build at demo volume (issue 12 #7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_seal \\
        .venv/bin/python bench/seal.py [--runs 5]

Migrates the database, loads the demo bureau (``seed_demo``, kept between runs)
and, for its 2020 report, times in turn (median of ``--runs`` each, wall and
this process's CPU time, which a loaded shared machine disturbs far less):

- plain: the report's print HTML rendered by WeasyPrint, as before sealing;
- stamped: the same through ``portal.seal.issuing.issue_pdf`` as a build does
  it: register the file and its code, render the HTML with the stamp (code and
  QR code), render the PDF, seal it (pyHanko, PAdES), record its hash and link
  the register's audit chain;
- issue: ``issue_pdf`` with the rendering taken out (register, seal, chain);
- seal: ``seal_pdf`` alone on the plain PDF (pyHanko's own share).

What sealing adds = the stamp's rendering (stamped − plain, CPU) + issue
(wall). The seal's key is generated (in the temporary directory portal-bench-seal) before timing
(first use generates it once per installation, not per build). Target: at most
0.5 s. The issued rows are rolled back.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# The bench database remembers its seal: keep the key beside it, never the installation's var/seal.
os.environ.setdefault("PORTAL_SEAL_DIR", str(Path(tempfile.gettempdir()) / "portal-bench-seal"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portal.models import Committee  # noqa: E402
from portal.seal.issuing import issue_pdf  # noqa: E402
from portal.seal.keys import current_seal  # noqa: E402
from portal.seal.signing import seal_pdf  # noqa: E402
from reports import renderers  # noqa: E402
from reports.selectors import report_context, report_of_year  # noqa: E402

YEAR = 2020


class Rollback(Exception):
    pass


def timed(func) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result): WeasyPrint and pyHanko run in this
    process, so its CPU time is what they cost, whatever else loads the shared machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def issue(render) -> bytes:
    """One issued PDF, as reports.services.build_store makes it; its rows rolled back."""
    out = {}
    try:
        with transaction.atomic():
            _doc, out["pdf"] = issue_pdf(kind="bench.report", object_id="1", description="bench", render=render)
            raise Rollback
    except Rollback:
        pass
    return out["pdf"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Committee.objects.filter(slug="demo").exists():
        call_command("seed_demo", verbosity=0)
    committee = Committee.objects.get(slug="demo")
    context = report_context(committee, YEAR, report_of_year(committee, YEAR))
    seal, _row = current_seal()  # generated once, outside the timings
    load = os.getloadavg()
    print(f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
          f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    rows: dict[str, list[tuple[float, float]]] = {"plain": [], "stamped": [], "issue": [], "seal": []}
    for run in range(args.runs):
        wall, cpu, plain = timed(lambda: renderers.render_pdf_bytes(renderers.render_html_document(context)))
        rows["plain"].append((wall, cpu))
        stamped = {}

        def render(stamp):
            stamped["pdf"] = renderers.render_pdf_bytes(renderers.render_html_document(context, stamp=stamp))
            return stamped["pdf"]

        wall, cpu, _ = timed(lambda: issue(render))  # the whole issued build: stamp, render, seal, register
        rows["stamped"].append((wall, cpu))
        wall, cpu, sealed = timed(lambda: issue(lambda stamp: stamped["pdf"]))  # all but the rendering
        rows["issue"].append((wall, cpu))
        wall, cpu, _ = timed(lambda: seal_pdf(plain, reason="bench", seal=seal, location=seal.organisation))
        rows["seal"].append((wall, cpu))
        print(f"run {run + 1}: " + "  ".join(f"{k} {v[-1][0]:.3f} s wall / {v[-1][1]:.3f} s CPU" for k, v in rows.items())
              + f"  pdf {len(plain) / 1024:.0f} → {len(sealed) / 1024:.0f} KiB", flush=True)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in rows.items()}
    stamp_cpu = med["stamped"][1] - med["plain"][1]
    added = stamp_cpu + med["issue"][0]
    print()
    print("| demo 2020 report (median) | wall | CPU |")
    print("| --- | --- | --- |")
    labels = {"plain": "PDF as before (WeasyPrint)", "stamped": "issued PDF (stamp, WeasyPrint, seal, register)",
              "issue": "issuing without the rendering (register, seal, chain)", "seal": "seal only (pyHanko PAdES)"}
    for key, label in labels.items():
        print(f"| {label} | {med[key][0]:.3f} s | {med[key][1]:.3f} s |")
    print(f"\nadded by sealing: stamp rendering {stamp_cpu * 1000:+.0f} ms CPU + issuing {med['issue'][0] * 1000:.0f} ms wall"
          f" = {added:.2f} s (target ≤ 0.5 s)")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} · {connection.vendor}")


if __name__ == "__main__":
    main()
