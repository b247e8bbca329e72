from portal import checks


def test_no_warning_on_a_machine_with_cjk_fonts_and_harfbuzz_subset():
    assert checks.cjk_fonts(), "the set-up installs fonts-noto-cjk"
    assert checks.pdf_dependencies(None) == []


def test_warns_without_harfbuzz_subset_or_cjk_font(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset", lambda: None)
    monkeypatch.setattr(checks, "cjk_fonts", lambda: [])
    ids = {w.id for w in checks.pdf_dependencies(None)}
    assert ids == {"portal.W001", "portal.W002"}
