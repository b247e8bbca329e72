"""The office builds the evidence binder in the embedded setup (no Redis): the job
runs in the server's threads after the response while the page polls its progress."""

import io
import time
import zipfile

import pytest

from reports.models import BinderBuild
from tests import factories as f
from tests.browser.conftest import login
from tests.reports.binder_helpers import INDEX, make_evidence

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE_PANEL = """() => {
  const panel = document.querySelector(".binder-build");
  const percent = panel.querySelector(".js-job-percent");
  const note = panel.querySelector(".js-job-note");
  return [panel.querySelector(".js-job-status").textContent,
          percent.classList.contains("d-none") ? "" : percent.textContent,
          panel.querySelector(".js-binder-button").disabled,
          note.classList.contains("d-none") ? "" : note.textContent];
}"""


def test_office_builds_the_binder_with_progress_and_downloads_it(page, world, tmp_path):
    evidence = make_evidence(world)
    login(page, "office", f.PASSWORD)
    page.goto(page.base_url + "/reports/2020/")
    page.get_by_role("link", name="佐证材料包").click()
    panel = page.locator(".binder-build")
    panel.locator(".js-job-status", has_text="尚未生成").wait_for()
    button = panel.locator(".js-binder-button")
    assert button.is_enabled() and panel.locator(".js-job-download").is_hidden()
    page.evaluate("window.__noReload = true")
    seen = []
    started = time.monotonic()
    button.click()
    while time.monotonic() - started < 180:
        state = tuple(page.evaluate(SAMPLE_PANEL))
        if not seen or seen[-1][1:] != state:
            seen.append((round(time.monotonic() - started, 1), *state))
        if state[0] in ("已完成", "失败"):
            break
        page.wait_for_timeout(100)
    active = [s for s in seen if s[1] in ("排队中", "进行中")]
    assert active and active[0][0] < 3, seen  # feedback at once, the work after the response
    assert all(disabled for *_rest, disabled, _note in active), seen
    assert any("步" in note and "/" in note for *_rest, note in active), seen  # steps done / in all
    assert seen[-1][1] == "已完成" and not seen[-1][3], seen
    assert page.evaluate("window.__noReload") is True  # polled, never reloaded
    link = panel.locator(".js-job-download")
    link.wait_for(state="visible")
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "binder.zip"
    info.value.save_as(path)
    zf = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert INDEX in zf.namelist()
    inside = {zf.read(n) for n in zf.namelist()}
    with evidence.attachments[0].file.open("rb") as fh:
        assert fh.read() in inside
    assert BinderBuild.objects.get().status == "done"
    assert page.js_errors == []
