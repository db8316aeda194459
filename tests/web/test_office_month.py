"""Issue 8, done-when: an office plays its month in Debian's chromium (Playwright).

The admin creates the reporters, ingests the 无锡日报 page and creates two tasks without
numbers; the reporters of 江阴 and 新吴 submit reports (one with 1500亿 typed, one with an
evidence file); one is returned and corrected; the supervisor accepts them and closes (销号) the
target that is reached; a 催办 goes to the late unit (惠山) as a Word file and as a mail to a
local SMTP server (aiosmtpd on 127.0.0.1); the Excel 台账 and the 督查通报 are downloaded and
read back with openpyxl and python-docx.
"""

from __future__ import annotations

import email
import io
import socket
import threading
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import openpyxl
import pytest
import uvicorn
from aiosmtpd.controller import Controller
from docx import Document as WordDocument

from taizhang.ledger import open_ledger, session_scope
from taizhang.web.app import create_app
from taizhang.web.settings import WebSettings
from taizhang.web.users import add_user
from tests.web.conftest import EXAMPLE, PASSWORD
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AS_OF = "2024-10-10"  # the office's month: September's reports, chased in early October
REPORTED = "2024-09-30"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos),  # type: ignore[attr-defined]
                              email.message_from_bytes(envelope.content)))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    box, port = Inbox(), _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("TAIZHANG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TAIZHANG_SMTP_PORT", str(port))
    monkeypatch.setenv("TAIZHANG_SMTP_FROM", "dcs@wuxi.example")
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def server(tmp_path: Path, inbox: Inbox) -> Iterator[str]:
    db = f"sqlite:///{tmp_path / 'office.db'}"
    engine = open_ledger(db, create=True)
    with session_scope(engine, actor="setup") as s:  # the one user made on the command line
        add_user(s, username="admin", password=PASSWORD, role="admin", unit_name=None)
    engine.dispose()
    settings = WebSettings(db=db, secret_key="office-month-secret-0123456789",
                           evidence_dir=tmp_path / "evidence", office="无锡市督查室",
                           overview_cache_seconds=0)
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


def log_in(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("header form[action='/logout'] button")
    page.wait_for_url("**/login")


def set_as_of(page, day: str) -> None:  # type: ignore[no-untyped-def]
    """The header's 截至 picker: filling it fires its change event, which submits it."""
    page.fill("#as-of-picker input[name=as_of]", day)
    page.wait_for_url(f"**as_of={day}")
    page.wait_for_load_state()
    assert page.input_value("#as-of-picker input[name=as_of]") == day


def target_id(page, indicator: str) -> int:  # type: ignore[no-untyped-def]
    row = page.locator("#target-list tr", has_text=indicator).first
    return int(row.get_attribute("data-id"))


def test_an_office_plays_its_month(page, inbox: Inbox, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # --- the admin sets up the month ---------------------------------------------------------
    log_in(page, "admin")
    set_as_of(page, AS_OF)
    page.goto("/upload")
    page.set_input_files("#upload-form input[name=file]", str(EXAMPLE))
    page.fill("#upload-form input[name=date]", "2024-06-28")
    page.fill("#upload-form input[name=title]", "听板块一把手这么说")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/documents/*")
    assert "提取目标 14 条" in page.text_content(".flash")

    page.goto("/admin/users")
    for name, unit, mail in (("jy", "江阴", "jy@wuxi.example"), ("xw", "新吴", ""),
                             ("hs", "惠山", "hs@wuxi.example")):
        page.fill("#add-user input[name=username]", name)
        page.fill("#add-user input[name=password]", PASSWORD)
        page.select_option("#add-user select[name=role]", "reporter")
        page.fill("#add-user input[name=unit]", unit)
        page.fill("#add-user input[name=email]", mail)
        page.click("#add-user button[type=submit]")
        page.wait_for_selector(f"#u-{name}")

    page.goto("/targets?review=unreviewed")  # bulk review: everything right, all 季报
    page.check("#target-list thead input[type=checkbox]")
    page.select_option("#bulk-form select[name=cycle]", "quarterly")
    page.click("#bulk-form button[value=cycle]")
    page.wait_for_selector(".flash")
    page.check("#target-list thead input[type=checkbox]")
    page.click("#bulk-confirm")
    assert "已确认 14 条目标" in page.text_content(".flash")

    for title, lead, support, deadline in (("年底前建成江阴智慧园区", "江阴", ["新吴"], "2024-12-31"),
                                           ("9月底前完成惠山老旧小区改造", "惠山", [], "2024-09-30")):
        page.goto("/tasks/new")
        page.fill("#task-form textarea[name=title]", title)
        page.select_option("#task-form select[name=lead]", lead)
        page.select_option("#task-form select[name=support]", support)
        page.fill("#task-form input[name=deadline]", deadline)
        page.fill("#task-form textarea[name=milestones]", "6月底前开工")
        page.select_option("#task-form select[name=report_cycle]", "monthly")
        page.click("#task-form button[type=submit]")
        page.wait_for_url("**/tasks/*")
    assert page.text_content("#task-status").strip() == "逾期未完成"
    page.goto("/targets")
    gaoqi, digital = target_id(page, "有效“高企”"), target_id(page, "数字经济核心产业营收")
    log_out(page)

    # --- reporters submit ----------------------------------------------------------------------
    log_in(page, "jy")
    page.wait_for_url("**/my")  # a reporter lands on 我的任务
    assert "有效“高企”" in page.text_content("#my-targets")
    assert "年底前建成江阴智慧园区" in page.text_content("#my-tasks")
    evidence = tmp_path / "2024年高企认定名单.pdf"
    evidence.write_bytes(b"%PDF-1.4 list")
    page.goto(f"/targets/{gaoqi}")
    page.fill("#progress-form input[name=as_of]", REPORTED)
    page.fill("#progress-form input[name=value]", "1,250")
    page.fill("#progress-form textarea[name=note]", "三季度末有效高企")
    page.set_input_files("#progress-form input[name=evidence]", str(evidence))
    page.click("#progress-form button[type=submit]")
    assert "等待督查人员审核" in page.text_content(".flash")
    log_out(page)

    log_in(page, "xw")
    page.goto(f"/targets/{digital}")
    assert "完成值（亿元" in page.text_content("#progress-form")
    page.fill("#progress-form input[name=as_of]", REPORTED)
    page.fill("#progress-form input[name=value]", "1500亿")
    page.click("#progress-form button[type=submit]")
    assert "完成 1500亿元" in page.text_content(".flash")
    log_out(page)

    # --- the supervisor reviews: one returned, one accepted -------------------------------------
    log_in(page, "admin")
    set_as_of(page, AS_OF)  # kept for the session (a new login starts a new one)
    page.goto("/review")
    assert "1500亿元" in page.text_content("#pending")
    page.goto(f"/targets/{gaoqi}")
    row = page.locator("#submissions tr[data-state=submitted]").first
    row.locator("input[name=reason]").fill("请按认定文件口径核实，附认定文件")
    row.locator("button:text-is('退回')").click()
    page.wait_for_selector("#submissions tr[data-state=returned]")
    log_out(page)

    log_in(page, "jy")
    assert "请按认定文件口径核实" in page.text_content("#returned")
    page.click("#returned a")
    page.click("#submissions details.edit summary")
    page.fill("#submissions form[data-test^=correct] input[name=value]", "1300")
    page.set_input_files("#submissions form[data-test^=correct] input[name=evidence]", str(evidence))
    page.click("#submissions form[data-test^=correct] button[type=submit]")
    page.wait_for_selector("#submissions tr[data-state=submitted]")
    log_out(page)

    log_in(page, "admin")
    set_as_of(page, AS_OF)
    page.goto("/review")
    page.check("#pending thead input[type=checkbox]")
    page.click("#accept-selected")
    assert "已采纳 2 条报送" in page.text_content(".flash")
    page.goto(f"/targets/{gaoqi}")
    assert page.text_content("#status").strip() == "已完成"
    page.fill("#close-form input[name=note]", "经核实已完成全年目标")
    page.click("#close-form button[type=submit]")
    assert "已销号" in page.text_content("#closed")
    assert "销号" in page.text_content("#audit") and "退回" in page.text_content("#audit")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "target-closed.png"), full_page=True)

    # --- 催办 the late unit ------------------------------------------------------------------
    page.goto("/remind")
    late = page.text_content("#late-惠山")
    assert "逾期未报" in late and "9月底前完成惠山老旧小区改造" in late
    with page.expect_download() as notice:
        page.click("#late-惠山 a:text-is('Word')")
    word = WordDocument(notice.value.path())
    assert "惠山区：" in "\n".join(p.text for p in word.paragraphs)
    for box in page.locator("#late input[name=unit_ids]").all():
        box.uncheck()
    page.check("#late-惠山 input[name=unit_ids]")
    page.click("#send-reminders")
    assert "邮件发出 1 封" in page.text_content(".flash")
    assert "hs@wuxi.example" in page.text_content("#reminder-log")
    assert len(inbox.messages) == 1
    to, message = inbox.messages[0]
    assert to == ["hs@wuxi.example"]
    attachment = next(p for p in message.walk() if p.get_filename())
    mailed = WordDocument(io.BytesIO(attachment.get_payload(decode=True)))
    assert "督查催办通知" in "\n".join(p.text for p in mailed.paragraphs)
    assert "9月底前完成惠山老旧小区改造" in "\n".join(c.text for row in mailed.tables[0].rows for c in row.cells)
    page.screenshot(path=str(SCREENSHOTS / "remind.png"), full_page=True)

    # --- what the office hands upward ----------------------------------------------------------
    with page.expect_download() as sheet:
        page.click("header a:text-is('下载台账')")
    saved = tmp_path / sheet.value.suggested_filename
    sheet.value.save_as(saved)
    assert saved.name == "taizhang-2024-10-10.xlsx"  # the 截至 date chosen at the start
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == ["台账", "任务", "汇总"]
    rows = list(book["台账"].iter_rows(values_only=True))
    assert rows[0][0] == "目标任务督查台账（截至2024年10月10日）"
    by_indicator = {r[3]: r for r in rows[2:]}
    gaoqi_row, digital_row = by_indicator["有效“高企”"], by_indicator["数字经济核心产业营收"]
    assert gaoqi_row[10] == "1300家（截至2024-09-30）：三季度末有效高企"
    assert gaoqi_row[13] == "已完成" and gaoqi_row[14] is not None  # 销号 date
    assert (digital_row[5], digital_row[7], digital_row[10]) == (6000, "亿元", "1500亿元（截至2024-09-30）")
    tasks = [r[5] for r in list(book["任务"].iter_rows(values_only=True))[2:]]
    assert tasks == ["9月底前完成惠山老旧小区改造", "年底前建成江阴智慧园区"]  # by deadline
    with page.expect_download() as bulletin:
        page.click("header a:text-is('通报')")
    doc = WordDocument(bulletin.value.path())
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "无锡市督查室" in text and "截至2024年10月10日" in text
    assert "惠山：9月底前完成惠山老旧小区改造（时限2024-09-30），逾期未完成。" in text
    league = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert {"江阴", "新吴", "惠山"} <= {r[1] for r in league[1:]}
