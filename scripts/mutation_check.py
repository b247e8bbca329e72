#!/usr/bin/env python
"""Remove each permission check in turn and show the security tests notice.

For every mutation (each predicate of ``portal/rules.py`` made to return True;
each restriction of ``portal.access.scope`` / ``get_readable`` and of the other
read paths made a no-op) the tree is copied to a temporary folder, that one
check is removed there, and the security tests are run against the copy with
``-x``. A mutation the tests still pass with has *survived*: a permission check
no test depends on. Exit status 1 when any survived.

    CI=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_mut \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python scripts/mutation_check.py [--only NAME ...] [--list]

It takes minutes per surviving mutation (a killed one stops at the first
failing test), so it is not part of the normal suite; docs/security.md says
when it was last run and what it found.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The quickest to fail first: pytest stops at the first failure (-x).
TESTS = [
    "tests/security/test_permission_matrix.py::test_no_role_receives_what_it_may_not_read",
    "tests/responsibility/test_letter_signers.py",
    "tests/portal/test_attachments.py",
    "tests/responsibility/test_letter_lifecycle.py",
    "tests/security/test_permission_matrix.py::test_permission_matrix",
    "tests/security/test_permission_matrix.py::test_a_branch_secretary_downloads_no_other_branchs_file_even_by_guessing_ids",
    "tests/security/test_foreign_ids.py",
    "tests/security/test_letter_rules.py",
    "tests/portal/test_rules_property.py",
]
# Not copied: the virtualenv is linked, the rest is not needed to run the tests.
SKIP = {".git", ".venv", "media", "var", "node_modules", "__pycache__", ".pytest_cache", "staticfiles"}


@dataclass
class Mutation:
    name: str
    path: str
    old: str  # the text replaced (must occur exactly once)
    new: str


def predicate_mutations(path: str = "portal/rules.py") -> list[Mutation]:
    """Each ``@rules.predicate`` function gives way whatever it is asked: True,
    or False where the rules use it negated (``~is_frozen``: the check is the refusal)."""
    source = (ROOT / path).read_text()
    lines = source.splitlines(keepends=True)
    mutations = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any(ast.unparse(d) in ("rules.predicate", "predicate") for d in node.decorator_list):
            continue
        if len(re.findall(rf"\b{node.name}\b", source)) == 1:
            continue  # defined but used by no rule: there is no check to remove
        first = node.body[0]
        indent = " " * first.col_offset
        header = "".join(lines[node.lineno - 1 : first.lineno - 1])
        answer = "False" if re.search(rf"~\s*{node.name}\b", source) else "True"
        mutations.append(Mutation(f"rules.{node.name} -> {answer}", path, header, header + f"{indent}return {answer}\n"))
    return mutations


# The read restrictions outside rules.py, one by one.
SCOPE_MUTATIONS = [
    Mutation("scope: committee filter removed", "portal/access.py",
             "    qs = qs.filter(committee=actor.committee)\n", "    qs = qs\n"),
    Mutation("scope: branch filter removed", "portal/access.py",
             '        qs = qs.filter(Q(**{branch_field: actor.branch}) | Q(**{f"{branch_field}__isnull": True}))\n',
             "        qs = qs\n"),
    Mutation("scope: committee rows not restricted", "portal/access.py",
             "        return qs.filter(pk=actor.committee.pk)\n", "        return qs\n"),
    Mutation("get_readable: no scope", "portal/access.py",
             "        return scope(actor, qs, branch_field).get(pk=int(pk))\n", "        return qs.get(pk=int(pk))\n"),
    Mutation("RecordType.get_object: no scope", "portal/registry.py",
             "            return self.rows(actor).get(pk=int(pk))\n",
             "            return self.model.objects.get(pk=int(pk))\n"),
    Mutation("letter_allows -> True", "portal/rules.py",
             "lambda actor, letter: letter.allows(action)", "lambda actor, letter: True"),
    Mutation("notifications: anyone's", "portal/notifications.py",
             "Notification.objects.filter(recipient=actor.person, committee=actor.committee)",
             "Notification.objects.filter(committee=actor.committee)"),
    Mutation("talk summaries: every talker's", "responsibility/selectors.py",
             "        return Q(talker=actor.person)\n", "        return Q(pk__isnull=False)\n"),
    Mutation("report builds: any committee's", "reports/selectors.py",
             ".filter(pk=pk, report__committee=actor.committee, report__deleted_at__isnull=True)",
             ".filter(pk=pk, report__deleted_at__isnull=True)"),
]


def all_mutations() -> list[Mutation]:
    return predicate_mutations() + SCOPE_MUTATIONS


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(*SKIP))
    os.symlink((ROOT / ".venv").resolve(), target / ".venv")


def apply(mutation: Mutation, tree: Path) -> None:
    file = tree / mutation.path
    text = file.read_text()
    if text.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.name}: the text to replace is not found exactly once in {mutation.path}")
    file.write_text(text.replace(mutation.old, mutation.new))


def run_tests(tree: Path, tests: list[str]) -> tuple[bool, str]:
    """(passed, the last lines of pytest's output) for the tests run in ``tree``."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MUTATION_CHECK="1")
    command = [str(tree / ".venv/bin/python"), "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider",
               "--reuse-db", *tests]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    tail = "\n".join(done.stdout.strip().splitlines()[-3:])
    return done.returncode == 0, tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run the mutations whose name contains one of these")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--tests", nargs="*", default=TESTS)
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the run of the unmutated tree (when the same tests were just seen to pass)")
    args = parser.parse_args()
    mutations = [m for m in all_mutations() if not args.only or any(o in m.name for o in args.only)]
    if args.list:
        print("\n".join(m.name for m in mutations))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutation-") as temp:
        clean = Path(temp) / "clean"
        copy_tree(ROOT, clean)  # once: edits made while it runs do not mix in
        passed, tail = (True, "") if args.no_baseline else run_tests(clean, args.tests)
        if not passed:  # the unmutated tree must pass, or a failure shows nothing
            print(f"the tests fail without any mutation:\n{tail}")
            return 2
        survived = []
        for mutation in mutations:
            tree = Path(temp) / "mutant"
            shutil.rmtree(tree, ignore_errors=True)
            copy_tree(clean, tree)
            apply(mutation, tree)
            t0 = time.monotonic()
            passed, tail = run_tests(tree, args.tests)
            verdict = "SURVIVED" if passed else "killed"
            print(f"{verdict:8} {time.monotonic() - t0:6.0f}s  {mutation.name}  [{tail.splitlines()[-1] if tail else ''}]",
                  flush=True)
            if passed:
                survived.append(mutation.name)
    minutes = (time.monotonic() - started) / 60
    print(f"{len(mutations) - len(survived)} of {len(mutations)} mutations killed in {minutes:.0f} min")
    if survived:
        print("survived: " + "; ".join(survived))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
