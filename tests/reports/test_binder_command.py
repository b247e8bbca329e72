"""``evidence_binder``: exit 0 with the zip, non-zero with one Chinese line on bad input."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from .binder_helpers import INDEX, make_evidence


@pytest.fixture
def evidence(world):
    return make_evidence(world)


@pytest.fixture
def out_dir(tmp_path):
    """A folder of its own (media and the seal live in tmp_path too)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def test_writes_the_zip(evidence, out_dir, capsys):
    out = out_dir / "binder.zip"
    call_command("evidence_binder", committee="alpha", year="2020", out=str(out))
    names = zipfile.ZipFile(out).namelist()
    assert INDEX in names and any(n.endswith(".xlsx") for n in names)
    assert "已写入" in capsys.readouterr().out
    assert [p.name for p in out_dir.iterdir()] == ["binder.zip"]  # no partial file left behind


@pytest.mark.parametrize("committee, year, reason", [
    ("nope", "2020", "没有标识为“nope”的党委"),
    ("alpha", "1999", "年份“1999”无效"),
    ("alpha", "20x0", "年份“20x0”无效"),
])
def test_bad_input(evidence, out_dir, committee, year, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("evidence_binder", committee=committee, year=year, out=str(out_dir / "b.zip"))
    assert not list(out_dir.iterdir())


def test_unwritable_out_path(evidence, tmp_path):
    with pytest.raises(CommandError, match="无法写入"):
        call_command("evidence_binder", committee="alpha", year="2020", out=str(tmp_path / "missing" / "b.zip"))
    with pytest.raises(CommandError, match="无法写入"):
        call_command("evidence_binder", committee="alpha", year="2020", out=str(tmp_path))


def test_over_the_limit(evidence, out_dir, settings):
    settings.PORTAL_BINDER_MAX_BYTES = 10
    with pytest.raises(CommandError, match="超过上限"):
        call_command("evidence_binder", committee="alpha", year="2020", out=str(out_dir / "b.zip"))
    assert not list(out_dir.iterdir())


@pytest.mark.django_db(transaction=True)
def test_exit_status_through_the_real_entry_point(world, tmp_path):
    """A real process: status 1 and one line on stderr for bad input, 0 with the zip otherwise."""
    if connection.vendor != "postgresql":
        pytest.skip("the child process needs the same database (PostgreSQL)")
    s = connection.settings_dict
    env = {"DATABASE_URL": f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}",
           "PATH": "/usr/bin:/bin", "MEDIA_ROOT": str(tmp_path / "media"), "PORTAL_SEAL_DIR": str(tmp_path / "seal")}
    root = Path(__file__).resolve().parents[2]

    def run(*args):
        return subprocess.run([sys.executable, "manage.py", "evidence_binder", *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)

    bad = run("--committee", "nope", "--year", "2020", "--out", str(tmp_path / "b.zip"))
    assert bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1 and "党委" in bad.stderr
    good = run("--committee", "alpha", "--year", "2020", "--out", str(tmp_path / "b.zip"))
    assert good.returncode == 0, good.stderr
    assert INDEX in zipfile.ZipFile(tmp_path / "b.zip").namelist()
