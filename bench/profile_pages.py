"""Where a page's time goes: the dashboard, a list, a record's detail page and
the HTML report, requested through Django's test client (the full middleware
stack) against the database ``bench/load.py`` built (demo data x10).

    .venv/bin/python bench/profile_pages.py [--db portal_load] [--runs 20] [--top 15]

For each page: the number of SQL queries, the median wall time of ``--runs``
requests after one warm-up, then the functions with the most cumulative time
under cProfile over as many more runs (portal code and the libraries it calls). The
dashboard and the report page, whose figures are cached on the records
(portal.data_cache, reports.page_cache), are measured twice: computed (the
cache emptied before each request) and from the cache. It empties the cache of
``--redis``: do not run it beside bench/load.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", default="portal_load")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--year", type=int, default=2020)
    p.add_argument("--only", help="profile only pages whose path contains this")
    return p.parse_args()


def setup(args) -> None:
    os.environ.update(DATABASE_URL=f"{args.pg}/{args.db}", REDIS_URL=args.redis, DEBUG="0", ALLOWED_HOSTS="testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages(year: int) -> list[tuple[str, str, str, bool]]:
    """(name, username, path, cached): office pages, and the branch secretary's dashboard."""
    from portal.registry import RECORD_TYPES

    session = RECORD_TYPES["study.session"]
    talk = RECORD_TYPES["responsibility.talk"]
    last = session.model.objects.filter(date__year=year).order_by("-id").first()
    return [
        ("dashboard (office)", "office", f"/?year={year}", True),
        ("dashboard (branch secretary)", "branch1", f"/?year={year}", True),
        ("list: study sessions", "office", session.url_list + f"?year={year}", False),
        ("list: talks", "office", talk.url_list + f"?year={year}", False),
        ("detail: study session", "office", session.url("detail", last.pk), False),
        ("HTML report", "office", f"/reports/{year}/", True),
    ]


def measure(client, path: str, runs: int, computed: bool = False) -> tuple[int, float, str]:
    """Queries of one request, the median time of ``runs`` and their profile; with
    ``computed`` the cache is emptied before each request (outside the timing)."""
    from django.core.cache import cache
    from django.db import connection

    queries = []
    if computed:
        cache.clear()
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(runs):
        if computed:
            cache.clear()
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    profile = cProfile.Profile()  # as many runs again, under the profiler (which slows them)
    for _ in range(runs):
        if computed:
            cache.clear()
        profile.enable()
        client.get(path)
        profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    return len(queries), statistics.median(times), out.getvalue()


def main():
    args = parse_args()
    setup(args)
    from django.contrib.auth import get_user_model
    from django.test import Client

    print("load average", ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    for name, username, path, cached in pages(args.year):
        if args.only and args.only not in path:
            continue
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        client.get(path)  # the session's first request picks the year
        if cached:
            n, median, _stats = measure(client, path, args.runs, computed=True)
            print(f"\n== {name}  {path}, computed: {n} queries, median {median * 1000:.0f} ms")
        n, median, stats = measure(client, path, args.runs)
        print(f"\n== {name}  {path}{', cached' if cached else ''}: {n} queries, median {median * 1000:.0f} ms")
        lines = stats.splitlines()
        head = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
        for line in lines[head: head + args.top + 1]:
            print(line[:160])
    print("\nload average", ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
