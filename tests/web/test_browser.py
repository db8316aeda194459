"""End to end in Debian's chromium (Playwright): the office's whole loop through the browser.

Log in, upload the bundled sample (real reader and extractor), confirm 江阴's 高企 target,
report progress with an evidence file, see its status turn, download the Excel 台账, and save
a screenshot of the overview to out/screenshots/overview.png.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import uvicorn

from taizhang.ledger import open_ledger, session_scope
from taizhang.web.app import create_app
from taizhang.web.settings import WebSettings
from taizhang.web.users import add_user
from tests.web.conftest import EXAMPLE, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parents[2] / "out" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = open_ledger(db, create=True)
    with session_scope(engine, actor="test") as s:
        add_user(s, username="sup", password=PASSWORD, role="supervisor", unit_name=None)
    engine.dispose()
    settings = WebSettings(db=db, secret_key="browser-test-secret-0123456789",
                           evidence_dir=tmp_path / "evidence")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                       log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def page(server: str):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `./dev test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=server, accept_downloads=True, locale="zh-CN",
                                      viewport={"width": 1280, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def test_office_loop_in_the_browser(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", "sup")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.goto("/upload")
    page.set_input_files("input[name=file]", str(EXAMPLE))
    page.fill("input[name=date]", "2024-06-28")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/documents/*")
    assert "提取目标" in page.text_content(".flash")
    quote = "全年有效“高企”突破1200家"
    mark = page.locator("mark", has_text=quote)
    assert mark.count() == 1
    target_id = int(mark.get_attribute("data-target"))

    page.click(f"[data-test=confirm-{target_id}]")
    page.wait_for_url(f"**/documents/*#t{target_id}")
    assert page.text_content(f"#row{target_id} .review-state").strip() == "已确认"
    assert "confirmed" in (page.get_attribute(f"mark#t{target_id}", "class") or "")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "document.png"))

    page.goto(f"/targets/{target_id}")
    # due 2024-12-31, nobody reported: overdue (red), and the page says which rule judged
    assert page.text_content("#status").strip() == "逾期未完成"
    assert "逾期未报" in page.text_content("#rule")
    page.wait_for_selector("#progress-chart[data-drawn='1']")
    evidence = tmp_path / "高企名单.txt"
    evidence.write_text("2024年认定名单", encoding="utf-8")
    page.fill("#progress-form input[name=as_of]", date.today().isoformat())
    page.fill("#progress-form input[name=value]", "1300")
    page.fill("#progress-form textarea[name=note]", "含新认定")
    page.set_input_files("#progress-form input[name=evidence]", str(evidence))
    page.click("#progress-form button[type=submit]")
    page.wait_for_url(f"**/targets/{target_id}")
    assert page.text_content("#status").strip() == "已完成"
    assert "总量指标" in page.text_content("#rule")
    assert "green" in (page.get_attribute("#status", "class") or "")
    assert "高企名单.txt" in page.text_content("#reports")
    assert "sup" in page.text_content("#audit")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(600)
    page.screenshot(path=str(SCREENSHOTS / "target.png"), full_page=True)

    with page.expect_download() as info:
        page.click("text=下载台账")
    saved = tmp_path / "taizhang.xlsx"
    info.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))
    assert "责任单位" in rows[1]
    assert any(quote in " ".join(map(str, r)) for r in rows[2:])

    page.goto("/")
    page.wait_for_selector("#lights-chart[data-drawn='1']")
    page.wait_for_timeout(600)  # let the chart's entry animation finish
    assert "江阴" in page.text_content("#units")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview.png"), full_page=True)
    page.click("#units a:text-is('江阴')")
    page.wait_for_url("**/units/*")
    assert "有效“高企”" in page.text_content("table")
    page.screenshot(path=str(SCREENSHOTS / "unit.png"), full_page=True)
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto("/")
    phone.screenshot(path=str(SCREENSHOTS / "overview-phone.png"), full_page=True)
