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
