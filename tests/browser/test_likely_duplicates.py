"""Issue 13 item 2 in Chromium: entering an article that probably repeats one
already recorded asks "可能重复" with a link to it; "仍然保存" saves it."""

import pytest

from tests import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_likely_duplicate_is_confirmed_before_it_is_saved(page):
    import datetime

    from publicity.models import Article

    committee = f.CommitteeFactory(slug="alpha", name="甲局党委", short_name="局党委")
    f.person_with_user(committee, "office", role="office", name="办公室主任")
    existing = f.ArticleFactory(committee=committee, date=datetime.date(2020, 7, 1), title="学习《条例》（一）")
    login(page, "office", f.PASSWORD)
    page.wait_for_url(page.base_url + "/")

    page.goto(page.base_url + "/publicity/article/new/?year=2020")
    page.fill("input[name=date]", "2020-07-01")
    page.fill("input[name=title]", "学习 条例 (一)")
    page.fill("input[name=outlet]", "中国水利报")
    page.select_option("select[name=level]", label="省部级")
    page.press("input[name=outlet]", "Enter")  # the form's default button is 保存, never the confirmation
    warning = page.locator("main form", has_text="可能重复")
    warning.wait_for()
    link = page.locator("main form a", has_text="学习《条例》（一）")
    assert link.get_attribute("href") == f"/publicity/article/{existing.pk}/"
    assert Article.objects.count() == 1
    assert page.input_value("input[name=title]") == "学习 条例 (一)"  # nothing typed is lost

    page.click("button.confirm-duplicate")
    page.wait_for_selector("dl.record-detail")
    assert Article.objects.count() == 2
    assert "已保存" in page.inner_text("main")
    assert page.js_errors == []
