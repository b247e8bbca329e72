"""The layers (issue 10): ``portal/`` is the ground floor and imports no record
app and not ``reports``; a record app imports neither another record app nor
``reports``. Every module's imports are read with ``ast`` (imports inside
functions too), so a new one that breaks the rule fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD_APPS = ("responsibility", "study", "publicity")
# The project's wiring may name every app.
PORTAL_WIRING = {"settings.py", "urls.py", "celery.py", "wsgi.py", "asgi.py"}


def imported_packages(source: str) -> set[str]:
    """The top-level packages a module imports by name (relative imports stay in their package)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def forbidden_for(path: Path) -> set[str]:
    app = path.relative_to(ROOT).parts[0]
    if app == "portal":
        return set() if path.parent.name == "portal" and path.name in PORTAL_WIRING else {*RECORD_APPS, "reports"}
    return {*RECORD_APPS, "reports"} - {app}


def violations() -> list[str]:
    found = []
    for app in ("portal", *RECORD_APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            bad = imported_packages(path.read_text(encoding="utf-8")) & forbidden_for(path)
            found += [f"{path.relative_to(ROOT)} imports {name}" for name in sorted(bad)]
    return found


def test_no_module_imports_across_the_layers():
    assert violations() == []


def test_the_walk_sees_every_kind_of_import():
    source = """
import os
from .models import Thing
from portal.models import Committee


def later():
    from study.models import StudySession
    import reports.compiler
    importlib.import_module("publicity.models")
"""
    assert imported_packages(source) == {"os", "portal", "study", "reports", "publicity"}
    assert forbidden_for(ROOT / "portal" / "ledger" / "importer.py") == {*RECORD_APPS, "reports"}
    assert forbidden_for(ROOT / "portal" / "urls.py") == set()
    assert forbidden_for(ROOT / "study" / "views.py") == {"responsibility", "publicity", "reports"}


# -- circles -------------------------------------------------------------------------------

PACKAGES = ("portal", *RECORD_APPS, "reports")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports, at the top or inside functions, relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports for type checkers only never run.
    typing_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING"
        for child in ast.walk(node)
    }
    for node in ast.walk(tree):
        targets = []
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def circles() -> list[list[str]]:
    """Groups of modules that import one another (strongly connected components), migrations aside."""
    paths = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    known = {module_name(p) for p in paths}
    graph = {module_name(p): project_imports(p, known) for p in paths}
    # A package's __init__ re-exporting its modules is not a circle of behaviour.
    graph = {m: {t for t in targets if not m.startswith(t + ".")} for m, targets in graph.items()}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_two_modules_import_each_other():
    """Issue 10: circles such as publicity.records <-> publicity.views or
    reports.services <-> reports.tasks (even through imports inside functions)."""
    assert circles() == []


def test_the_circle_walk_finds_a_circle(tmp_path, monkeypatch):
    package = tmp_path / "reports"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text("def build():\n    from . import tasks\n")
    (package / "tasks.py").write_text("from reports.services import build\n")
    (package / "typed.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .services import build\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGES"]), "PACKAGES", ("reports",))
    assert circles() == [["reports.services", "reports.tasks"]]
