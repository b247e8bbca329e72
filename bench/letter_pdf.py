"""Benchmark: downloading a responsibility letter's sealed PDF (issue 14 #9).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_letters2_bench \\
        .venv/bin/python bench/letter_pdf.py [--runs 50] [--render-runs 5]

Migrates the database and loads the demo (``seed_demo``: every branch's 2020
letter, signed and countersigned). Seals with a key of its own
(``var/bench/seal``, files in ``var/bench/media``), never the installation's.

Through Django's full request path (middleware, login session, scoping, the
view, the "下载" event) as the office user, it times:

- the first download of a letter's state: render (WeasyPrint) + seal (pyHanko)
  + register + store — once per letter state, so only on a fresh database;
- the same cost measured directly (render + seal, median of ``--render-runs``,
  nothing registered), which is what any first download of a new state costs;
- a download of a stored state (median and 95th percentile of ``--runs``),
  and checks that every download of one state is byte-identical and that the
  file verifies (``portal.seal.verify``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_SEAL_DIR", str(ROOT / "var" / "bench" / "seal"))
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from portal.seal.signing import seal_pdf  # noqa: E402
from portal.seal.verify import verify_pdf_bytes  # noqa: E402
from responsibility.letter_pdf import render_letter_pdf  # noqa: E402
from responsibility.models import LetterDocument, ResponsibilityLetter, document_state  # noqa: E402


def get(client: Client, url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    data = response.getvalue()
    elapsed = time.perf_counter() - start
    if response.status_code != 200 or not data.startswith(b"%PDF"):
        raise SystemExit(f"{url}: {response.status_code}")
    return elapsed, data


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50, help="downloads of a stored state")
    parser.add_argument("--render-runs", type=int, default=5, help="renders + seals measured directly")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not ResponsibilityLetter.objects.filter(year=2020).exists():
        call_command("seed_demo", verbosity=0)
    print(
        f"{platform.node()} · {os.cpu_count()} CPUs · load average {os.getloadavg()[0]:.1f} · "
        f"Python {platform.python_version()} · {connection.vendor}",
        flush=True,
    )
    office = User.objects.get(username="office")
    client = Client()
    client.force_login(office)
    letters = list(ResponsibilityLetter.objects.filter(committee=office.person.committee, year=2020).order_by("pk"))

    first = []
    for letter in letters:
        if not LetterDocument.objects.filter(letter=letter, state=document_state(letter)).exists():
            first.append(get(client, reverse("responsibility:letter_pdf", args=[letter.pk]))[0])

    def render_and_seal() -> float:
        start = time.perf_counter()
        seal_pdf(render_letter_pdf(letters[0])[2], reason="bench")
        return time.perf_counter() - start

    direct = [render_and_seal() for _ in range(args.render_runs)]

    url = reverse("responsibility:letter_pdf", args=[letters[0].pk])
    stored, files = [], set()
    for _ in range(args.runs):
        elapsed, data = get(client, url)
        stored.append(elapsed)
        files.add(data)
    assert len(files) == 1, "two downloads of one state differ"
    verdict = verify_pdf_bytes(files.pop())
    assert verdict.accepted and verdict.current, verdict.line()

    stored.sort()
    p95 = stored[min(len(stored) - 1, int(round(0.95 * (len(stored) - 1))))]
    print(f"letters: {len(letters)}; PDF size {len(data) / 1024:.0f} KiB")
    print("| what | runs | median | 95th percentile |")
    print("| --- | --- | --- | --- |")
    if first:
        print(f"| first download of a state (render + seal + register + store) | {len(first)} | {ms(statistics.median(first))} | {ms(max(first))} (max) |")
    print(f"| render + seal alone (no request) | {len(direct)} | {ms(statistics.median(direct))} | {ms(max(direct))} (max) |")
    print(f"| download of a stored state | {len(stored)} | {ms(statistics.median(stored))} | {ms(p95)} |")
    print(f"verified: {verdict.line()}")


if __name__ == "__main__":
    main()
