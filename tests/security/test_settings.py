"""Production settings, response headers, error pages and request size limits."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "PORTAL_REQUIRE_SECRET_KEY": "1",
}


def manage(args, env_overrides, tmp_path):
    # The test harness's own switches (tests/conftest.py) are not production's.
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_overrides)
    env["PORTAL_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_env(tmp_path):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_notices_missing_https_settings(tmp_path):
    # The same check fails when HTTPS settings are left off, so the test above can fail.
    env = dict(PRODUCTION_ENV, SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", SECURE_HSTS_SECONDS="0")
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


def test_check_deploy_notices_the_embedded_secret_key(tmp_path):
    env = dict(PRODUCTION_ENV, SECRET_KEY="", PORTAL_REQUIRE_SECRET_KEY="0")
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0 and "security.W009" in result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    result = manage(["check"], env, tmp_path)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_session_age_comes_from_the_environment(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    env = {k: v for k, v in os.environ.items()}
    env.update(SESSION_COOKIE_AGE="900", PORTAL_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="portal.settings")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "900", out.stderr


@pytest.mark.django_db
def test_csp_header_forbids_inline_script_and_outside_origins(world, client_for, client):
    for response in (client.get(reverse("login")), client_for(world.office).get(reverse("dashboard"))):
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_error_pages_are_chinese(world, client_for):
    c = client_for(world.office)
    response = c.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    response = client_for(world.branch_secretary).get(reverse("trash"))
    assert response.status_code == 403 and "您没有权限" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_chinese(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    response = c.post(reverse("portal:department_create"), {"name": "x", "kind": "office"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_500_page_renders_without_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "服务器错误" in response.content.decode()


@pytest.mark.django_db
@override_settings(PORTAL_MAX_REQUEST_BYTES=200_000)
def test_too_large_upload_gets_413_and_saves_nothing(world, client_for):
    from portal.models import Department

    before = Department.all_objects.count()
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 300_000, content_type="application/pdf")
    response = client_for(world.office).post(
        reverse("portal:department_create"), {"name": "大文件", "kind": "office", "file": upload}
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "上传内容过大" in body and "未保存任何数据" in body
    assert Department.all_objects.count() == before


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_too_large_form_body_returns_to_the_form_not_a_bare_400(world, client_for):
    """Beyond DATA_UPLOAD_MAX_MEMORY_SIZE Django answers a bare 400; the portal
    goes back to the form with its menu and a Chinese error (portal.kept_forms)."""
    c = client_for(world.office)
    response = c.post(reverse("portal:department_create"), {"name": "x" * 20_000, "kind": "office"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:department_create")
    page = c.get(response["Location"]).content.decode()
    assert "提交的内容过大" in page and "portal-nav" in page
