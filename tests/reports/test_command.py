import pytest
from django.core.management import CommandError, call_command


def test_builds_html_and_pdf(year_data, tmp_path):
    out = tmp_path / "r.html"
    call_command("build_report", committee="alpha", year=2020, format="html", out=str(out))
    assert "党委专题研究了2次意识形态工作" in out.read_text(encoding="utf-8")


def test_builds_the_word_file(year_data, tmp_path):
    import docx

    out = tmp_path / "r.docx"
    call_command("build_report", committee="alpha", year=2020, format="docx", out=str(out))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "党委专题研究了2次意识形态工作" in text


@pytest.mark.parametrize(
    "committee, year, reason",
    [("nope", 2020, "unknown committee"), ("alpha", 1999, "year out of range"), ("alpha", 2015, "no records")],
)
def test_bad_input_exits_with_a_reason(year_data, tmp_path, committee, year, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("build_report", committee=committee, year=year, format="pdf", out=str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()


def test_unwritable_path(year_data, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("build_report", committee="alpha", year=2020, format="html", out=str(tmp_path / "missing" / "r.html"))


def test_command_line_exit_status(year_data, tmp_path):
    """Through the real entry point: non-zero status and one line on stderr."""
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "build_report", "--committee", "nope", "--year", "2020", "--format", "pdf",
                                 "--out", str(tmp_path / "x.pdf")])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code != 0
