import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo")


def test_office_logs_in_and_sees_dashboard(page, demo):
    login(page, "office", "demo1234")
    page.wait_for_url(page.base_url + "/")
    assert "年工作概况" in page.inner_text("h1")
    assert "××市水文水资源勘测局党委" in page.inner_text("h1")
    # Bootstrap loaded from the installed package: the navbar is styled.
    assert page.eval_on_selector("nav.navbar", "el => getComputedStyle(el).display") == "flex"
    assert page.js_errors == []


def test_wrong_password_shows_error(page, demo):
    login(page, "office", "not-the-password")
    assert "/login/" in page.url
    assert "请输入一个正确的用户名和密码" in page.inner_text(".alert-danger")
