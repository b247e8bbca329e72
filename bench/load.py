"""Load test: gunicorn (2 workers) on PostgreSQL with the demo data x10, and
N concurrent logged-in users browsing the dashboard, the list pages and the
HTML report for a bounded time, against 127.0.0.1 only.

    .venv/bin/python bench/load.py                      # 50 users, 60 s
    .venv/bin/python bench/load.py --users 50 --duration 60 --think 1.0 --write-docs

It (re)creates its own database (``--db``, default ``portal_load``) on the
local PostgreSQL, migrates it, loads ``seed_demo``, copies every 2020 record
of the demo committee ``--scale - 1`` more times, makes one login session per
virtual user (office, leaders and branch secretaries), then starts gunicorn
and measures. Each virtual user waits a random 0..2x``--think`` seconds
between pages, as a person reading the page would; ``--think 0`` turns it
into a closed-loop stress test. Standard library only on the client side.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import os
import random
import secrets
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
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--duration", type=float, default=60.0, help="seconds of measured load")
    p.add_argument("--think", type=float, default=1.0, help="mean think time between pages (s)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--scale", type=int, default=10, help="copies of the demo records")
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


def shifted(value, years: int):
    try:
        return value.replace(year=value.year - years)
    except ValueError:  # 29 February
        return value.replace(year=value.year - years, day=28)


def replicate(committee, copies: int) -> dict[str, int]:
    """Copy every record of the committee ``copies`` times; rows under a unique
    rule (one analysis per branch and quarter...) go to earlier years instead."""
    from django.apps import apps
    from django.db import IntegrityError, models, transaction
    from django.db.models.base import ModelState

    from portal.models import Branch, Department, Person, Record

    skip = {Branch, Department, Person}
    made: dict[str, int] = {}
    for model in apps.get_models():
        if not issubclass(model, Record) or model in skip:
            continue
        originals = list(model.all_objects.filter(committee=committee))
        if not originals:
            continue
        unique = bool(model._meta.constraints or model._meta.unique_together)
        m2m = [f for f in model._meta.many_to_many]
        date_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)]
        year_fields = [f for f in model._meta.concrete_fields if f.name == "year"]
        for k in range(1, copies + 1):
            clones = []
            for obj in originals:
                clone = copy.copy(obj)
                clone._state = ModelState()
                clone.pk = None
                if unique:
                    for f in date_fields:
                        value = getattr(clone, f.attname)
                        if value is not None:
                            setattr(clone, f.attname, shifted(value, k))
                    for f in year_fields:
                        setattr(clone, f.attname, getattr(clone, f.attname) - k)
                clones.append((obj, clone))
            try:
                with transaction.atomic():
                    model.all_objects.bulk_create([c for _o, c in clones])
                    for f in m2m:
                        for obj, clone in clones:
                            getattr(clone, f.name).set(getattr(obj, f.name).all())
            except IntegrityError:
                made[model._meta.label_lower + " (skipped: unique rule)"] = 0
                break
            made[model._meta.label_lower] = len(originals) * (k + 1)
    return made


def prepare(args, env: dict) -> list[tuple[str, str]]:
    """Build the database and return (role, session cookie) per virtual user."""
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
        committee = Committee.objects.get(slug="demo")
        made = replicate(committee, args.scale - 1)
        print("records after replication:", sum(made.values()), "in", len(made), "types")
    committee = Committee.objects.get(slug="demo")
    branches = list(Branch.objects.filter(committee=committee).order_by("id"))
    roles = [Role.OFFICE, Role.LEADER, Role.BRANCH_SECRETARY]
    User = get_user_model()
    cookies = []
    for i in range(args.users):
        role = roles[i % len(roles)]
        user, _ = User.objects.get_or_create(username=f"load{i:02d}")
        Person.objects.update_or_create(
            committee=committee,
            user=user,
            defaults={"name": f"压测用户{i:02d}", "role": role, "branch": branches[i % len(branches)]},
        )
        # A logged-in session made directly: fifty PBKDF2 logins would only
        # measure the password hasher before the run starts.
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append((role, session.session_key))
    return cookies


def pages_by_role() -> dict[str, list[tuple[str, str]]]:
    """(kind, path) each role browses: the dashboard, every list page, the report."""
    from django.urls import NoReverseMatch, reverse

    from portal.registry import RECORD_TYPES

    lists = []
    for rt in RECORD_TYPES.values():
        try:
            path = reverse(rt.list_url) + "?year=2020" if rt.list_url else None
        except NoReverseMatch:
            continue
        if path and ("list", path) not in lists:
            lists.append(("list", path))
    common = [("dashboard", "/?year=2020")] + lists
    report = [("report", "/reports/2020/")]
    return {"office": common + report, "leader": common + report, "branch_secretary": common}


# -- server and client ------------------------------------------------------------


def start_gunicorn(args, env: dict) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "gunicorn", "portal.wsgi:application",
        "--bind", f"{HOST}:{args.port}", "--workers", str(args.workers), "--timeout", "60",
        "--backlog", "256", "--log-level", "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, args.port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def get(conn: http.client.HTTPConnection, path: str, session: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}", "Host": HOST})
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def check_pages(args, cookies, pages) -> dict[str, list[tuple[str, str]]]:
    """Keep only the pages each role is meant to read (200 before the run)."""
    conn = http.client.HTTPConnection(HOST, args.port, timeout=60)
    checked = {}
    for role, session in {r: s for r, s in reversed(cookies)}.items():
        ok = []
        for kind, path in pages[role]:
            status, _t = get(conn, path, session)
            if status == 200:
                ok.append((kind, path))
            else:
                print(f"warning: {role} gets {status} on {path}; left out of the run")
        checked[role] = ok
    return checked


def run_load(args, cookies, pages) -> dict:
    deadline = time.monotonic() + args.duration
    lock = threading.Lock()
    samples: list[tuple[str, float, int]] = []
    failures: list[str] = []

    def user(role: str, session: str, seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        local = []
        time.sleep(rng.uniform(0, max(args.think, 0.05)))  # staggered start
        kinds = sorted({kind for kind, _p in pages[role]})
        while time.monotonic() < deadline:
            # Each kind of page (dashboard, a list, the report) equally often.
            kind = rng.choice(kinds)
            path = rng.choice([p for k, p in pages[role] if k == kind])
            try:
                status, elapsed = get(conn, path, session)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
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


def summarise(result: dict) -> dict:
    samples = result["samples"]
    times = [t * 1000 for _k, t, _s in samples]
    errors = sum(1 for _k, _t, s in samples if s != 200) + len(result["failures"])
    by_kind = defaultdict(list)
    for kind, t, _s in samples:
        by_kind[kind].append(t * 1000)
    return {
        "requests": len(samples),
        "rps": len(samples) / result["wall"],
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "mean": statistics.fmean(times) if times else float("nan"),
        "errors": errors,
        "statuses": sorted({s for _k, _t, s in samples}),
        "kinds": {k: (len(v), percentile(v, 50), percentile(v, 95)) for k, v in sorted(by_kind.items())},
    }


def report_text(args, s: dict) -> str:
    lines = [
        f"- Setup: gunicorn {args.workers} sync workers, PostgreSQL database `{args.db}`, demo data x{args.scale}, "
        f"{args.users} logged-in users (office / leaders / branch secretaries in turn), mean think time "
        f"{args.think:g} s, {args.duration:g} s, client and server on 127.0.0.1 of the same 2-core machine.",
        f"- Requests: {s['requests']}, **{s['rps']:.1f} requests/s**; latency p50 **{s['p50']:.0f} ms**, "
        f"p95 **{s['p95']:.0f} ms**, p99 **{s['p99']:.0f} ms** (mean {s['mean']:.0f} ms); "
        f"errors **{s['errors']}** (statuses seen: {', '.join(map(str, s['statuses']))}).",
    ]
    for kind, (n, p50, p95) in s["kinds"].items():
        lines.append(f"  - {kind}: {n} requests, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    return "\n".join(lines)


def write_docs(text: str) -> None:
    content = DOCS.read_text(encoding="utf-8")
    head, marker, rest = content.partition("## Load test (`bench/load.py`)")
    if not marker:
        raise SystemExit("docs/performance.md has no load test section")
    next_section = rest.find("\n## ")
    tail = rest[next_section:] if next_section != -1 else "\n"
    DOCS.write_text(head + marker + "\n\n" + text.strip() + "\n" + tail, encoding="utf-8")


def main():
    args = parse_args()
    var_dir = tempfile.mkdtemp(prefix="portal-load-")
    env = server_env(args, var_dir)
    cookies = prepare(args, env)
    pages = pages_by_role()
    proc = start_gunicorn(args, env)
    try:
        pages = check_pages(args, cookies, pages)
        result = run_load(args, cookies, pages)
    finally:
        os.killpg(os.getpgid(proc.pid), 15)
        proc.wait(20)
    summary = summarise(result)
    text = report_text(args, summary)
    print(text)
    for failure in result["failures"][:10]:
        print("failure:", failure)
    if args.write_docs:
        write_docs(text)
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
