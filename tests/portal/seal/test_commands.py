"""verify_pdf: exit 0 and one line for an issued file; non-zero and one Chinese line otherwise."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .helpers import incremental_update, issue_memo, plain_pdf

pytestmark = pytest.mark.django_db


def test_verify_pdf_describes_an_issued_file(tmp_path, capsys, memos):
    document, sealed = issue_memo("1")
    path = tmp_path / "letter.pdf"
    path.write_bytes(sealed)
    call_command("verify_pdf", str(path))
    out = capsys.readouterr().out.strip()
    assert out.startswith("真实有效：测试文件 1") and document.display_code in out and "\n" not in out


@pytest.mark.parametrize(
    "content,reason",
    [
        (lambda doc, sealed: plain_pdf(f"{doc.sha256}"), "文件没有电子签章"),
        (lambda doc, sealed: sealed[:-200] + b"x" + sealed[-199:], "无法读取"),
        (lambda doc, sealed: incremental_update(sealed), "盖章后被追加修改"),
        (lambda doc, sealed: b"hello", "这不是 PDF 文件"),
    ],
    ids=["forged", "corrupted", "appended", "not-pdf"],
)
def test_verify_pdf_refuses_with_a_one_line_reason(tmp_path, memos, content, reason):
    document, sealed = issue_memo("1")
    path = tmp_path / "x.pdf"
    path.write_bytes(content(document, sealed))
    with pytest.raises(CommandError) as failure:
        call_command("verify_pdf", str(path))
    assert reason in str(failure.value) and "\n" not in str(failure.value)


def test_verify_pdf_refuses_a_missing_or_oversized_file(tmp_path, settings):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("verify_pdf", str(tmp_path / "missing.pdf"))
    with pytest.raises(CommandError, match="不是文件"):
        call_command("verify_pdf", str(tmp_path))
    settings.VERIFY_MAX_BYTES = 10
    (tmp_path / "big.pdf").write_bytes(b"%PDF-" + b"0" * 100)
    with pytest.raises(CommandError, match="文件太大"):
        call_command("verify_pdf", str(tmp_path / "big.pdf"))


def test_verify_pdf_exit_codes_from_the_shell(tmp_path):
    """The contract as ops see it: a non-PDF gives exit 1 and a Chinese line on stderr."""
    (tmp_path / "x.pdf").write_text("not a pdf")
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_pdf", str(tmp_path / "x.pdf")],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "这不是 PDF 文件" in result.stderr and result.stdout == ""
