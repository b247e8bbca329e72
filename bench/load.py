"""Load test: gunicorn on PostgreSQL with the demo data x10, and logged-in
users browsing the dashboard, the list pages, records' detail pages and the
HTML report, stepped up until the 95th percentile reaches 300 ms; against
127.0.0.1 only.

    .venv/bin/python bench/load.py                       # the ladder, working tree only
    .venv/bin/python bench/load.py --baseline 1644b1e    # and an older commit, step by step in turns
    .venv/bin/python bench/load.py --reuse-db --ladder 10,20,40 --duration 20 --write-docs

It (re)creates its own database (``--db``, default ``portal_load``) on the
local PostgreSQL, migrates it, loads ``seed_demo`` and copies every record of
the demo committee in ``--year`` ``--scale - 1`` more times into that same
year (types under a unique rule on copied branches and people, bulletins
with new numbers: see ``replicate``), makes one login session per virtual
user (office, leaders and branch secretaries in turn), starts gunicorn with
the project's settings (DEBUG=0, Redis cache) and steps the number of users
up (``--ladder``), ``--duration`` seconds each, until p95 reaches ``--limit``.
The throughput at which p95 stays under the limit is the busiest step below
it. With ``--baseline REV`` a second gunicorn serves the same database from a
``git worktree`` of REV, and each step runs on both in turns, so a change in
the machine's load hits both.

Every page a role may read stays in the run: one that answers anything but
200 (in the warm-up or during the run) is an error, and any error makes the
exit status 1. Each virtual user waits a random 0..2x``--think`` seconds
between pages, as a person reading the page would. Standard library only on
the client side.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything else: this hammers the server
DOCS = ROOT / "docs" / "performance.md"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ladder", default="10,20,40,60,80,100,130,160,200",
                   type=lambda v: [int(x) for x in v.split(",")], help="numbers of users, stepped up in turn")
    p.add_argument("--limit", type=float, default=300.0, help="p95 (ms) that ends the ladder")
    p.add_argument("--duration", type=float, default=20.0, help="seconds of measured load per step")
    p.add_argument("--think", type=float, default=1.0, help="mean think time between pages (s)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--scale", type=int, default=10, help="copies of the demo records")
    p.add_argument("--year", type=int, default=2020, help="the year measured (and multiplied)")
    p.add_argument("--details", type=int, default=5, help="detail pages of each record type per role")
    p.add_argument("--baseline", help="a git revision served beside the working tree, step by step in turns")
    p.add_argument("--db", default="portal_load")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL (no db name)")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--reuse-db", action="store_true", help="skip (re)building the database")
    p.add_argument("--write-docs", action="store_true", help="write the figures into docs/performance.md")
    return p.parse_args()


def server_env(args, var_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER"}}
    env.update(
        DATABASE_URL=f"{args.pg}/{args.db}",
        REDIS_URL=args.redis,
        DEBUG="0",
        SECRET_KEY=env.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        PORTAL_VAR_DIR=var_dir,
        STATIC_MANIFEST="0",
        AXES_ENABLED="1",
        LOG_LEVEL="ERROR",
    )
    return env


# -- database -------------------------------------------------------------------


def recreate_database(args) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{args.pg}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{args.db}"')
    conn.close()


SKIP_TYPES = {"portal.attachment", "portal.department", "reports.annualreport"}


def replicate(committee, copies: int, year: int) -> dict[str, int]:
    """Copy every record of the committee in ``year`` ``copies`` times, in that
    same year. A type under a unique rule (one analysis per branch and quarter,
    one letter per branch and year, one 责任分工 per person and kind, one
    学习强国 row per branch and month, bulletin numbers per series and year)
    gets its copies on copied branches and people, or new issue numbers, as a
    larger unit would have them; the other types keep their branch and people,
    so a branch secretary's pages grow too."""
    from django.apps import apps
    from django.db import transaction

    from portal.models import Branch, Person, Record
    from portal.registry import RECORD_TYPES

    by_model = {rt.model: rt for rt in RECORD_TYPES.values()}
    made: dict[str, int] = {}
    with transaction.atomic():
        branches, people = copy_organisation(committee, copies)
        made["portal.branch"] = Branch.objects.filter(committee=committee).count()
        made["portal.person"] = Person.objects.filter(committee=committee).count()
        for model in apps.get_models():
            label = model._meta.label_lower
            if not issubclass(model, Record) or model in (Branch, Person) or label in SKIP_TYPES:
                continue
            originals = model.objects.filter(committee=committee)
            if model in by_model:
                originals = by_model[model].in_year(originals, year)
            originals = list(originals)
            if not originals:
                continue
            unique = bool(model._meta.constraints or model._meta.unique_together)
            for k in range(1, copies + 1):
                clones = [clone_record(obj, k, branches if unique else {}, people if unique else {}) for obj in originals]
                model.objects.bulk_create([c for _o, c in clones], batch_size=500)
                for f in model._meta.many_to_many:
                    through = getattr(model, f.name).through
                    src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()
                    rows = through.objects.filter(**{f"{src}__in": [o.pk for o in originals]}).values_list(src, dst)
                    clone_of = {o.pk: c.pk for o, c in clones}
                    through.objects.bulk_create(
                        [through(**{f"{src}_id": clone_of[a], f"{dst}_id": b}) for a, b in rows], batch_size=1000
                    )
            made[label] = len(originals) * (copies + 1)
    return made


def copy_organisation(committee, copies: int) -> tuple[dict, dict]:
    """Per copy k: every branch and person again (names suffixed), plus one new
    branch that takes the copies of unit-level rows under a per-month rule."""
    from django.db.models.base import ModelState

    from portal.models import Branch, Person

    originals_b = list(Branch.objects.filter(committee=committee).order_by("id"))
    originals_p = list(Person.objects.filter(committee=committee).order_by("id"))
    branches: dict[tuple[int, int | None], object] = {}
    people: dict[tuple[int, int], object] = {}
    for k in range(1, copies + 1):
        for b in originals_b + [None]:
            clone = Branch(committee=committee, name=f"新增第{k}党支部") if b is None else copy.copy(b)
            if b is not None:
                clone._state, clone.pk, clone.name, clone.secretary_id = ModelState(), None, f"{b.name}（{k}）", None
            clone.save()
            branches[(k, b.pk if b else None)] = clone
        for p in originals_p:
            clone = copy.copy(p)
            clone._state, clone.pk, clone.name, clone.user_id = ModelState(), None, f"{p.name}（{k}）", None
            clone.is_secretary, clone.role = False, "member"
            if p.branch_id:
                clone.branch_id = branches[(k, p.branch_id)].pk
            people[(k, p.pk)] = clone
        Person.objects.bulk_create([people[(k, p.pk)] for p in originals_p])
    return branches, people


def clone_record(obj, k: int, branches: dict, people: dict):
    """A copy of obj; under a unique rule, on the k-th copies of its branch and people."""
    from django.db.models.base import ModelState

    from portal.models import Branch, Person

    clone = copy.copy(obj)
    clone._state, clone.pk = ModelState(), None
    if not (branches or people):
        return obj, clone
    ruled = {name for c in obj._meta.constraints for name in getattr(c, "fields", ())}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if f.name not in ruled or not f.is_relation:
            continue
        if f.related_model is Branch:  # an empty branch (a unit-level row) goes to the new branch
            setattr(clone, f.attname, branches[(k, value)].pk)
        elif f.related_model is Person and value:
            setattr(clone, f.attname, people[(k, value)].pk)
    if hasattr(obj, "issue_no"):
        clone.issue_no = f"{obj.issue_no}-{k}" if not obj.issue_no.isdigit() else str(int(obj.issue_no) + 100 * k)
    return obj, clone


def prepare(args, env: dict) -> tuple[list[tuple[str, str]], str]:
    """Build the database; return (role, session cookie) per virtual user, and
    what the database holds."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "PORTAL_VAR_DIR", "ALLOWED_HOSTS", "SECRET_KEY")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from portal.models import Branch, Committee, Person, Role

    if not args.reuse_db:
        recreate_database(args)
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        made = replicate(Committee.objects.get(slug="demo"), args.scale - 1, args.year)
        for label, n in made.items():
            print(f"  {label}: {n}")
    committee = Committee.objects.get(slug="demo")
    summary = f"demo data x{args.scale} in {args.year}: " + records_in_year(committee, args.year)
    print(summary)
    # The demo's own branches (the copies' names end in （k）, or are 新增第k党支部).
    branches = [b for b in Branch.objects.filter(committee=committee).order_by("id")
                if not b.name.endswith("）") and not b.name.startswith("新增")]
    roles = [Role.OFFICE, Role.LEADER, Role.BRANCH_SECRETARY]
    User = get_user_model()
    cookies = []
    for i in range(max(args.ladder)):
        role = roles[i % len(roles)]
        user, _ = User.objects.get_or_create(username=f"load{i:02d}")
        Person.objects.update_or_create(
            committee=committee,
            user=user,
            defaults={"name": f"压测用户{i:02d}", "role": role, "branch": branches[i % len(branches)]},
        )
        # A logged-in session made directly: a PBKDF2 login per user would only
        # measure the password hasher before the run starts.
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append((role, session.session_key))
    return cookies, summary


def records_in_year(committee, year: int) -> str:
    from portal.registry import RECORD_TYPES

    counts = {}
    for rt in RECORD_TYPES.values():
        if rt.has_year:
            counts[rt.model._meta.label_lower] = rt.in_year(rt.model.objects.filter(committee=committee), year).count()
    return f"{sum(counts.values())} records in {len(counts)} types"


def pages_by_role(cookies, year: int, per_type: int) -> dict[str, list[tuple[str, str]]]:
    """(kind, path) each role browses: the dashboard, every list page, records'
    detail pages (``per_type`` of each type, among those the role's first user
    may read) and, for the office and leaders, the HTML report. Every page is
    kept: one that fails during the run is an error."""
    from django.contrib.auth import get_user_model
    from django.urls import NoReverseMatch, reverse

    from portal.access import actor_for
    from portal.registry import RECORD_TYPES

    rng = random.Random(year)
    lists = []
    for rt in RECORD_TYPES.values():
        try:
            path = reverse(rt.list_url) + f"?year={year}" if rt.list_url else None
        except NoReverseMatch:
            continue
        if path and ("list", path) not in lists:
            lists.append(("list", path))
    pages = {}
    users = {}
    for i, (role, _session) in enumerate(cookies):
        users.setdefault(role, f"load{i:02d}")
    for role, username in users.items():
        actor = actor_for(get_user_model().objects.get(username=username))
        details = []
        for rt in RECORD_TYPES.values():
            try:
                rt.url("detail", 1)
            except NoReverseMatch:
                continue
            pks = list(rt.in_year(rt.rows(actor), year).values_list("pk", flat=True))
            details += [("detail", rt.url("detail", pk)) for pk in rng.sample(pks, min(per_type, len(pks)))]
        pages[role] = [("dashboard", f"/?year={year}")] + lists + details
        if role != "branch_secretary":
            pages[role].append(("report", f"/reports/{year}/"))
    return pages


# -- servers and client ------------------------------------------------------------


def start_gunicorn(args, env: dict, port: int, cwd: Path) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "portal.wsgi:application",
        "--bind", f"{HOST}:{port}", "--workers", str(args.workers), "--timeout", "60",
        "--backlog", "512", "--log-level", "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit(f"gunicorn ({cwd}) did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(os.getpgid(proc.pid), 15)
    proc.wait(20)


def get(conn: http.client.HTTPConnection, path: str, session: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}", "Host": HOST})
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def warm_up(port: int, cookies, pages) -> list[str]:
    """Every page once per role (templates compiled, caches filled); returns the
    pages that did not answer 200. They stay in the run and count as errors there."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    failed = []
    for role, session in {r: s for r, s in reversed(cookies)}.items():
        for _kind, path in pages[role]:
            status, _t = get(conn, path, session)
            if status != 200:
                failed.append(f"{role} {path}: {status}")
    return failed


def run_load(args, port: int, cookies, pages) -> dict:
    deadline = time.monotonic() + args.duration
    lock = threading.Lock()
    samples: list[tuple[str, float, int]] = []
    failures: list[str] = []

    def user(role: str, session: str, seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        local = []
        time.sleep(rng.uniform(0, max(args.think, 0.05)))  # staggered start
        kinds = sorted({kind for kind, _p in pages[role]})
        while time.monotonic() < deadline:
            # Each kind of page (dashboard, a list, a detail, the report) equally often.
            kind = rng.choice(kinds)
            path = rng.choice([p for k, p in pages[role] if k == kind])
            try:
                status, elapsed = get(conn, path, session)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                with lock:
                    failures.append(f"{path}: {type(exc).__name__}")
                continue
            local.append((kind, elapsed, status))
            if args.think:
                time.sleep(rng.uniform(0, 2 * args.think))
        with lock:
            samples.extend(local)

    threads = [threading.Thread(target=user, args=(role, s, i)) for i, (role, s) in enumerate(cookies)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.duration + 60)
    wall = time.monotonic() - started
    return {"samples": samples, "failures": failures, "wall": wall}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def summarise(result: dict, users: int) -> dict:
    samples = result["samples"]
    times = [t * 1000 for _k, t, _s in samples]
    errors = sum(1 for _k, _t, s in samples if s != 200) + len(result["failures"])
    by_kind = defaultdict(list)
    for kind, t, _s in samples:
        by_kind[kind].append(t * 1000)
    return {
        "users": users,
        "requests": len(samples),
        "rps": len(samples) / result["wall"],
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": errors,
        "statuses": sorted({s for _k, _t, s in samples}),
        "kinds": {k: (len(v), percentile(v, 50), percentile(v, 95)) for k, v in sorted(by_kind.items())},
        "load": os.getloadavg()[0],
    }


def load_average() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


# -- the ladder ---------------------------------------------------------------------


def ladder(args, servers: dict[str, int], cookies, pages) -> dict[str, list[dict]]:
    """Step the number of users up, each server in turn at each step (so a change
    in the machine's load hits both), until a server's p95 reaches the limit."""
    steps = {name: [] for name in servers}
    for users in args.ladder:
        for name, port in servers.items():
            if steps[name] and steps[name][-1]["p95"] >= args.limit:
                continue
            s = summarise(run_load(args, port, cookies[:users], pages), users)
            steps[name].append(s)
            print(f"{name:>8}  {users:>3} users  {s['rps']:6.1f} req/s  p50 {s['p50']:5.0f} ms  p95 {s['p95']:5.0f} ms  "
                  f"p99 {s['p99']:5.0f} ms  errors {s['errors']}  ({load_average()})", flush=True)
        if all(v and v[-1]["p95"] >= args.limit for v in steps.values()):
            break
    return steps


def capacity(steps: list[dict], limit: float) -> dict | None:
    """The busiest step whose p95 stayed under the limit."""
    under = [s for s in steps if s["p95"] < limit]
    return max(under, key=lambda s: s["rps"]) if under else None


def report_text(args, steps: dict[str, list[dict]], warm_failures: dict[str, list[str]], made: str) -> str:
    lines = [
        f"Setup: gunicorn {args.workers} sync workers per server, PostgreSQL database `{args.db}` ({made}), "
        f"mean think time {args.think:g} s, {args.duration:g} s per step, client and servers on 127.0.0.1 "
        f"of the same machine; {load_average()} at the end.",
        "",
        "| server | users | requests/s | p50 | p95 | p99 | errors | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, rows in steps.items():
        for s in rows:
            lines.append(f"| {name} | {s['users']} | {s['rps']:.1f} | {s['p50']:.0f} ms | {s['p95']:.0f} ms | "
                         f"{s['p99']:.0f} ms | {s['errors']} | {s['load']:.1f} |")
    lines.append("")
    for name, rows in steps.items():
        best = capacity(rows, args.limit)
        if best is None:
            lines.append(f"- {name}: p95 at or over {args.limit:g} ms from the first step")
            continue
        kinds = "; ".join(f"{k} p50 {p50:.0f} / p95 {p95:.0f} ms" for k, (_n, p50, p95) in best["kinds"].items())
        lines.append(f"- {name}: **{best['rps']:.1f} requests/s** with p95 under {args.limit:g} ms "
                     f"({best['users']} users; {kinds}); warm-up failures: {len(warm_failures[name])}")
    if len(steps) == 2:
        (a, ra), (b, rb) = steps.items()
        ca, cb = capacity(ra, args.limit), capacity(rb, args.limit)
        if ca and cb:
            lines.append(f"- {b} / {a}: **{cb['rps'] / ca['rps']:.2f}x** the throughput at p95 under {args.limit:g} ms")
    return "\n".join(lines)


def write_docs(text: str) -> None:
    """Put the run's figures under "### Last run" in the load test's section:
    replaced up to the next heading, or added at the section's end."""
    content = DOCS.read_text(encoding="utf-8")
    head, marker, rest = content.partition("## Load test (`bench/load.py`)")
    if not marker:
        raise SystemExit("docs/performance.md has no load test section")
    end = rest.find("\n## ")
    section, tail = (rest[:end], rest[end:]) if end != -1 else (rest, "")
    before, found, after = section.partition("\n### Last run")
    following = ""
    if found and "\n#" in after:
        following = after[after.index("\n#"):]
    run = f"\n### Last run ({time.strftime('%Y-%m-%d %H:%M %Z')}, written by the script)\n\n{text.strip()}\n"
    DOCS.write_text(head + marker + before.rstrip("\n") + "\n" + run + following + tail, encoding="utf-8")


def baseline_tree(rev: str) -> Path:
    """A git worktree of ``rev`` to serve the same database from the older code."""
    path = Path(tempfile.mkdtemp(prefix="portal-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT, check=True, capture_output=True)
    return path


def main():
    args = parse_args()
    var_dir = tempfile.mkdtemp(prefix="portal-load-")
    env = server_env(args, var_dir)
    cookies, made = prepare(args, env)
    pages = pages_by_role(cookies, args.year, args.details)
    trees = {"current": ROOT}
    if args.baseline:
        trees = {"baseline": baseline_tree(args.baseline), "current": ROOT}
    procs, servers = {}, {}
    try:
        for i, (name, tree) in enumerate(trees.items()):
            servers[name] = args.port + i
            procs[name] = start_gunicorn(args, env, servers[name], tree)
        warm = {name: warm_up(port, cookies, pages) for name, port in servers.items()}
        for name, failed in warm.items():
            for line in failed:
                print(f"warning: {name}: {line} (kept in the run)")
        print(f"{len(cookies)} sessions; pages per role:",
              {str(r): len(p) for r, p in pages.items()}, f"({load_average()})", flush=True)
        steps = ladder(args, servers, cookies, pages)
    finally:
        for proc in procs.values():
            stop(proc)
        if args.baseline:
            subprocess.run(["git", "worktree", "remove", "--force", str(trees["baseline"])], cwd=ROOT)
        shutil.rmtree(var_dir, ignore_errors=True)
    text = report_text(args, steps, warm, made)
    print(text)
    if args.write_docs:
        write_docs(text)
    errors = sum(s["errors"] for rows in steps.values() for s in rows) + sum(map(len, warm.values()))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
