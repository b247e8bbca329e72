"""The main pages work in Chromium under the Content-Security-Policy: no violation
is reported in the console while the office walks every menu page."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_main_pages_raise_no_csp_violation(page, transactional_db):
    from django.core.management import call_command

    call_command("seed_demo")
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    login(page, "office", "demo1234")
    page.wait_for_url(page.base_url + "/")
    response = page.goto(page.base_url + "/?year=2020")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    links = page.eval_on_selector_all("a.dropdown-item", "els => els.map(e => e.getAttribute('href'))")
    paths = sorted({href for href in links if href and href.startswith("/")}) + ["/reports/2020/", "/trash/"]
    assert len(paths) > 5, paths
    visited = []
    for path in paths:
        response = page.goto(page.base_url + path)
        page.wait_for_load_state("load")
        visited.append((path, response.status))
    # A record page and its history (office only) too.
    page.goto(page.base_url + "/publicity/article/?year=2020")
    page.click("table.record-table tbody a")
    page.click("text=修改历史")
    assert page.locator(".history-version").count() >= 1
    visited.append((page.url, 200))
    violations = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert violations == [], violations
    assert [v for v in visited if v[1] >= 500] == []
    assert page.js_errors == []
