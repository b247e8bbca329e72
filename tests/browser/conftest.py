"""Playwright driving Debian's Chromium (never a downloaded browser).

Browser tests use ``live_server`` (a real HTTP server on 127.0.0.1) and the
``page`` fixture; they are marked ``browser``. In CI a missing Chromium fails
the run instead of skipping it.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _embedded_jobs(_eager_celery, settings, transactional_db):
    """Jobs run as in the embedded setup: in threads of the (live) server after
    the response, never inside the request. Each test waits for its jobs
    before its database is emptied."""
    from portal import jobs

    settings.PORTAL_JOBS_INLINE = False
    yield
    assert jobs.wait_idle(120), "a background job was still running after the test"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs this thread's code in another greenlet, whose
    # context gets database connections of its own (Django keeps them per
    # context): close the ones opened before, and those opened while it ran,
    # or they stay open and the test database cannot be dropped at the end.
    connections.close_all()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
        connections.close_all()
    connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    pg.base_url = live_server.url
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()


def login(page, username: str, password: str):
    page.goto(page.base_url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
