"""The whole workflow in a real browser (Debian's chromium driven by Playwright, never a
downloaded browser): the bureau opens a task, the unit uploads, edits and submits, the reviewer
returns it, the unit corrects, the reviewer accepts and publishes, and the public page serves the
files with the same hash. Screenshots go to ``$JIXIAO_SCREENSHOTS`` (or the test's tmp dir)."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import FRAMEWORK, PASSWORD, filled_workbook, synthetic_records

from jixiao.web.models import Submission, Task

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium 未安装：请运行 scripts/setup-system.sh")
        pytest.skip("Debian's chromium is not installed (scripts/setup-system.sh)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("JIXIAO_SCREENSHOTS", tmp_path / "shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _login(browser: Any, base: str, user: str, width: int = 1366, height: int = 768) -> Any:
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    return page


def _alert(page: Any) -> str:
    return " ".join(page.locator("[role=alert]").all_inner_texts())


def test_whole_workflow_in_browser(
    transactional_db: Any,
    live_server: Any,
    world: dict[str, Any],
    browser: Any,
    shots: Path,
    tmp_path: Path,
) -> None:
    base = live_server.url

    # the bureau opens the year's task
    reviewer = _login(browser, base, "reviewer")
    reviewer.goto(f"{base}/bureau/tasks/new/")
    reviewer.fill("input[name=year]", "2023")
    reviewer.fill("input[name=notice_number]", "甲财绩〔2024〕4号")
    reviewer.fill("input[name=title]", "关于开展2023年度部门整体支出绩效自评工作的通知")
    reviewer.select_option("select[name=framework_id]", FRAMEWORK)
    reviewer.fill("input[name=deadline]", "2099-06-30")
    reviewer.click("button.primary")
    reviewer.wait_for_load_state("networkidle")
    assert "已向 2 个单位下达任务" in _alert(reviewer)
    task = Task.objects.get(notice_number="甲财绩〔2024〕4号")
    filing = task.filings.get(unit=world["a1"])

    # the unit's editor uploads the workbook and the records (XHR with a progress bar)
    editor = _login(browser, base, "editor")
    editor.goto(f"{base}/filings/{filing.pk}/")
    wb = filled_workbook(tmp_path / "基础数据.xlsx")
    forms = editor.locator("form.upload")
    forms.nth(0).locator("input[type=file]").set_input_files(str(wb))
    with editor.expect_navigation():
        forms.nth(0).locator("button").click()
    editor.wait_for_load_state("networkidle")
    assert editor.locator(".score-big").count() == 1
    archive = tmp_path / "records.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in synthetic_records(tmp_path / "rec"):
            zf.write(f, f.name)
    archive.write_bytes(buf.getvalue())
    forms = editor.locator("form.upload")
    forms.nth(1).locator("input[type=file]").set_input_files(str(archive))
    with editor.expect_navigation(timeout=60_000):
        forms.nth(1).locator("button").click()
    editor.wait_for_load_state("networkidle")
    assert "已导入" in _alert(editor) and editor.locator(".msg.error").count() == 0
    assert editor.locator("text=导入记录").count() == 1
    editor.screenshot(path=str(shots / "web-filing.png"))

    # a file that is not a workbook gets a clear message in place
    bad = tmp_path / "假工作簿.xlsx"
    bad.write_text("不是工作簿", encoding="utf-8")
    forms = editor.locator("form.upload")
    forms.nth(0).locator("input[type=file]").set_input_files(str(bad))
    forms.nth(0).locator("button").click()
    editor.wait_for_selector("form.upload .msg.error")
    assert "不是 Excel 工作簿" in _alert(editor)

    # evaluation with reasons, dashboard with charts, narrative
    editor.goto(f"{base}/filings/{filing.pk}/evaluation/")
    editor.locator("details summary").first.click()
    editor.screenshot(path=str(shots / "web-evaluation.png"))
    editor.goto(f"{base}/filings/{filing.pk}/dashboard/")
    editor.wait_for_selector(".chart svg")
    editor.screenshot(path=str(shots / "web-dashboard.png"))
    editor.goto(f"{base}/filings/{filing.pk}/narrative/")
    editor.fill("input[name=status]", "参公事业单位")
    editor.fill("textarea[name=problems]", "部分事项网办深度不够")
    editor.fill("textarea[name=measures]", "推进全程网办")
    editor.click("form button.primary")
    editor.wait_for_load_state("networkidle")
    assert "报告文字已保存" in _alert(editor)

    # the approver submits: frozen, hashed
    approver = _login(browser, base, "approver")
    approver.goto(f"{base}/filings/{filing.pk}/preview/")
    with approver.expect_navigation(timeout=120_000):
        approver.click("form.submit-form button")
    assert "已提交第 1 版" in _alert(approver)
    v1 = Submission.objects.get(filing=filing, version=1)
    assert approver.locator("#bundle-hash").inner_text() == v1.bundle_sha256

    # the reviewer sees status, score, auditor's findings, and returns it with a comment
    reviewer.goto(f"{base}/bureau/tasks/{task.pk}/")
    reviewer.wait_for_selector(".chart svg")
    reviewer.screenshot(path=str(shots / "web-bureau-task.png"))
    reviewer.goto(f"{base}/submissions/{v1.pk}/")
    assert reviewer.locator("text=审核程序发现的问题").count() == 1
    reviewer.fill("textarea[name=comment]", "请写明改进措施的完成时间")
    reviewer.click("button.danger")
    reviewer.wait_for_load_state("networkidle")
    assert "已退回第 1 版" in _alert(reviewer)

    # the unit corrects; a second version is submitted, the first kept
    editor.goto(f"{base}/filings/{filing.pk}/")
    assert "请写明改进措施的完成时间" in editor.content()
    editor.goto(f"{base}/filings/{filing.pk}/narrative/")
    editor.fill("textarea[name=measures]", "2024年6月底前推进全程网办")
    editor.click("form button.primary")
    editor.wait_for_load_state("networkidle")
    approver.goto(f"{base}/filings/{filing.pk}/preview/")
    with approver.expect_navigation(timeout=120_000):
        approver.click("form.submit-form button")
    assert "已提交第 2 版" in _alert(approver)
    v2 = Submission.objects.get(filing=filing, version=2)
    assert Submission.objects.get(pk=v1.pk).status == "returned"

    # the reviewer accepts and publishes
    reviewer.goto(f"{base}/submissions/{v2.pk}/")
    reviewer.fill("textarea[name=comment]", "同意")
    reviewer.click("button.primary")
    reviewer.wait_for_load_state("networkidle")
    assert "审核通过" in _alert(reviewer)
    reviewer.click("form button.primary")  # 公开
    reviewer.wait_for_load_state("networkidle")
    assert "已公开" in _alert(reviewer)
    reviewer.screenshot(path=str(shots / "web-submission.png"), full_page=True)

    # the public page shows the files with the same hash, byte-identical
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    public = ctx.new_page()
    public.goto(f"{base}/public/bureau-a/2023/")
    assert public.locator("code.bundle").inner_text() == v2.bundle_sha256
    public.screenshot(path=str(shots / "web-public.png"))
    links = public.locator("table a")
    assert links.count() == 4
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        got = public.request.get(f"{base}{href}")
        assert got.status == 200
        digest = hashlib.sha256(got.body()).hexdigest()
        stored = v2.files.get(pk=int(href.split("/")[3]))
        assert digest == stored.sha256 == got.headers["x-content-sha256"]
        assert got.body() == bytes(stored.content)
        assert digest in public.content()

    # a phone's width
    phone = _login(browser, base, "editor", width=390, height=844)
    phone.goto(f"{base}/filings/{filing.pk}/")
    phone.screenshot(path=str(shots / "web-phone.png"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide at a 390px viewport"
