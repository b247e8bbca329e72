"""Benchmark: the parent's ranking page and its xlsx export for 200 child
committees, each with the demo bureau's yearly volume of records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_assessment \\
        .venv/bin/python bench/assessment.py [--children 200] [--runs 5] [--write-docs]

Migrates the database and, once (kept between runs), seeds a parent committee
with an office user and an assessor, ``--children`` children at demo volume
(``reports.volume``), the demo's 20-item 2020 rubric published, every child
self-assessed and submitted and every other one finalised: the states the
ranking shows. Then, through Django's test client (no server), after one
warm-up, the median of ``--runs`` requests of the ranking page and of the xlsx,
with the query count of each, at 1 child's ranking and at all of them.

Targets (exit status 1 when one is missed): both under 1 s at ``--children``,
and the same number of queries for one child as for all (snapshots feed the
ranking, never a live recomputation).
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
PARENT = "bench-assess-parent"
ONE = "bench-assess-one"  # a parent of a single child, for the query comparison
MAX_SECONDS = 1.0
DOCS = ROOT / "docs" / "performance.md"
SECTION = "## Assessment ranking (`bench/assessment.py`)"


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def seed_tree(slug: str, children: int) -> None:
    import datetime

    from django.contrib.auth import get_user_model

    from portal.access import actor_for
    from portal.models import Committee, Person, Role
    from reports.assessment import demo, services
    from reports.volume import seed_volume

    if Committee.objects.filter(slug=slug).exists():
        return
    start = time.perf_counter()
    parent = Committee.objects.create(slug=slug, name=f"{slug}党委", short_name="中心党委", unit_name="中心机关")
    User = get_user_model()

    def person(committee, role, login):
        user = User.objects.create(username=login)
        Person.objects.create(committee=committee, name=login, role=role, user=user)
        return actor_for(user)

    office, assessor = person(parent, Role.OFFICE, f"{slug}-office"), person(parent, Role.ASSESSOR, f"{slug}-assessor")
    offices = []
    for n in range(children):
        child = seed_volume(f"{slug}-{n:03d}", 1, 2020)
        Committee.objects.filter(pk=child.pk).update(parent=parent)
        offices.append(person(child, Role.OFFICE, f"{slug}-{n:03d}-office"))
    rubric = services.rubric_import(actor=None, committee=parent, year=2020, rows=demo.rows())
    services.rubric_publish(actor=office, rubric=rubric)
    for n, child_office in enumerate(offices):
        assessment = rubric.assessments.get(committee=child_office.committee)
        for item in assessment.items.filter(rubric_item__method="manual"):
            services.item_self_assess(actor=child_office, item=item, self_score="4.5", explanation="自查")
        services.assessment_submit(actor=child_office, assessment=assessment)
        if n % 2:
            services.assessment_finalise(actor=assessor, assessment=assessment,
                                         due_date=datetime.date.today() + datetime.timedelta(days=30))
    print(f"seeded {slug} with {children} children in {time.perf_counter() - start:.0f} s", flush=True)


def measure(slug: str, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from portal.models import Person, Role
    from reports.assessment.models import Rubric

    rubric = Rubric.objects.get(committee__slug=slug, year=2020)
    client = Client()
    client.force_login(Person.objects.get(committee=rubric.committee, role=Role.ASSESSOR).user,
                       backend="django.contrib.auth.backends.ModelBackend")
    result = {"children": rubric.assessments.count()}
    for name, url in (("page", reverse("assessment:ranking", args=[rubric.pk])),
                      ("xlsx", reverse("assessment:ranking_xlsx", args=[rubric.pk]))):
        assert client.get(url).status_code == 200  # warm-up
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200
        result[name] = statistics.median(times)
        result[f"{name}_queries"] = len(queries)
        result[f"{name}_bytes"] = len(response.content)
    return result


def write_docs(text: str) -> None:
    content = DOCS.read_text(encoding="utf-8")
    if SECTION in content:
        before, _sep, after = content.partition(SECTION)
        rest = after.split("\n## ", 1)
        content = before + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        content = content.rstrip("\n") + "\n\n" + text
    DOCS.write_text(content, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    seed_tree(ONE, 1)
    seed_tree(PARENT, args.children)
    machine = (f"{platform.node()} · {platform.machine()} · {os.cpu_count()} CPUs · Python "
               f"{platform.python_version()} · {connection.vendor} · {time.strftime('%Y-%m-%d %H:%M %Z')}")
    before = load()
    one, many = measure(ONE, args.runs), measure(PARENT, args.runs)
    after = load()
    lines = [
        "| children | ranking page | queries | xlsx | queries | xlsx size |",
        "| --- | --- | --- | --- | --- | --- |",
        *[f"| {r['children']} | {r['page'] * 1000:.0f} ms | {r['page_queries']} | {r['xlsx'] * 1000:.0f} ms | "
          f"{r['xlsx_queries']} | {r['xlsx_bytes'] // 1024} KiB |" for r in (one, many)],
    ]
    checks = [
        (f"ranking page under {MAX_SECONDS:.0f} s at {many['children']} children", many["page"] < MAX_SECONDS),
        (f"ranking xlsx under {MAX_SECONDS:.0f} s at {many['children']} children", many["xlsx"] < MAX_SECONDS),
        ("same queries for 1 child and for all (page)", one["page_queries"] == many["page_queries"]),
        ("same queries for 1 child and for all (xlsx)", one["xlsx_queries"] == many["xlsx_queries"]),
    ]
    report = "\n".join([
        SECTION, "",
        "The parent's ranking of its children (issue 15) reads the snapshot each",
        "assessment keeps at submit, review and finalise, and the open/overdue",
        "rectification counts in the same query, so its cost does not depend on the",
        "records behind the scores. Children at the demo bureau's yearly volume",
        "(`reports.volume`), every one submitted, every other one finalised; medians of",
        f"{args.runs} requests after a warm-up, through Django's test client.", "",
        f"Machine: {machine}; {before} before, {after} after (2 shared cores, other",
        "helpers' test suites running at the same time).", "",
        *lines, "",
        *[f"- {'met' if ok else 'MISSED'}: {text}" for text, ok in checks], "",
        "Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_assessment "
        ".venv/bin/python bench/assessment.py --write-docs`.", "",
    ])
    print(report)
    if args.write_docs:
        write_docs(report)
    sys.exit(0 if all(ok for _text, ok in checks) else 1)


if __name__ == "__main__":
    main()
