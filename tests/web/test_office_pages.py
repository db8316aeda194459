"""The office's pages through the real app (issue 8, items 2, 6, 8–11), SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from docx import Document as WordDocument
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import AuditLog, ProgressReport, Target, User
from taizhang.ledger.office_models import Reminder, Task
from tests.web.conftest import login

TEXT = "今年，全市将确保新增高新技术企业200家以上，力争规上工业增加值增长7%。"


def test_upload_without_a_date_asks_for_one_then_reextract_and_withdraw(
        client: TestClient, engine: Engine) -> None:
    """Defect: an upload without a date extracted 0 targets without a word, then refused the same
    file with a date as a duplicate, and nothing could delete or re-extract it."""
    csrf = login(client, "sup")
    upload = {"csrf_token": csrf}
    r = client.post("/upload", data=upload, files={"file": ("报告.txt", TEXT.encode())})
    assert r.status_code == 422 and "请填写文件日期" in r.text
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(Target).where(Target.indicator.contains("生产总值"))) is None
    r = client.post("/upload", data={**upload, "date": "2024-01-20", "unit": "宜兴",
                                     "title": "宜兴市政府工作报告"},
                    files={"file": ("报告.txt", TEXT.encode())})
    assert r.status_code == 200 and "宜兴市政府工作报告" in r.text and "发文单位：宜兴" in r.text
    doc_id = int(re.search(r"/documents/(\d+)/reextract", r.text).group(1))  # type: ignore[union-attr]
    again = client.post(f"/documents/{doc_id}/reextract",
                        data={"csrf_token": csrf, "date": "2025-01-14"})
    assert again.status_code == 200 and "已重新提取" in again.text and "2025-01-14" in again.text
    with make_sessionmaker(engine)() as s:
        deadlines = {t.deadline for t in s.scalars(select(Target).where(Target.document_id == doc_id))}
        assert len(deadlines) == 1
        assert deadlines == {date(2025, 12, 31)}
        assert s.scalar(select(AuditLog).where(AuditLog.action == "re-extract")) is not None
    gone = client.post(f"/documents/{doc_id}/withdraw", data={"csrf_token": csrf, "reason": "测试"})
    assert gone.status_code == 200 and "已撤回" in gone.text
    assert client.get(f"/documents/{doc_id}").status_code == 404


def test_reporter_submits_supervisor_returns_reporter_corrects_supervisor_accepts(
        client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    tid = seeded["t_jy"]
    csrf = login(client, "jy")
    r = client.post(f"/targets/{tid}/progress", data={"csrf_token": csrf, "as_of": "2024-06-30",
                                                      "value": "1,250", "note": "上半年"},
                    files=[("evidence", ("名单.pdf", b"%PDF-1")), ("evidence", ("表.xlsx", b"PK"))])
    assert r.status_code == 200 and "等待督查人员审核" in r.text and 'data-state="submitted"' in r.text
    assert "名单.pdf" in r.text and "表.xlsx" in r.text
    assert "我的任务" in client.get("/my").text
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "sup")
    review = client.get("/review").text
    sid = int(re.search(r'name="ids" value="(\d+)"', review).group(1))  # type: ignore[union-attr]
    back = client.post(f"/submissions/{sid}/return", data={"csrf_token": csrf, "reason": "请附认定文件"})
    assert "已退回" in back.text
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "jy")
    assert "请附认定文件" in client.get("/my").text
    fixed = client.post(f"/submissions/{sid}/correct", data={"csrf_token": csrf, "value": "1300"},
                        files=[("evidence", ("认定文件.pdf", b"%PDF-2"))])
    assert fixed.status_code == 200 and 'data-state="submitted"' in fixed.text
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "sup")
    bulk = client.post("/submissions/bulk", data={"csrf_token": csrf, "ids": [str(sid)]})
    assert "已采纳 1 条报送" in bulk.text
    page = client.get(f"/targets/{tid}", params={"as_of": "2024-12-31"}).text
    assert '<td class="num">1,300家</td>' in page and "认定文件.pdf" in page
    assert "原因：退回" in page and "原因：采纳" in page  # the audit trail, in words
    closed = client.post(f"/targets/{tid}/close", data={"csrf_token": csrf, "note": "已核实"})
    assert 'id="closed"' in closed.text and "已销号" in closed.text
    with make_sessionmaker(engine)() as s:
        assert s.scalars(select(ProgressReport.value)).all() == [1300]


def test_as_of_is_kept_and_amounts_are_shown_in_their_scale(client: TestClient, engine: Engine,
                                                            seeded: dict[str, int]) -> None:
    """Defects: after a progress entry the page lost its 截至 date; pages showed base units and
    "≥ ge"."""
    with make_sessionmaker(engine)() as s:
        t = s.get(Target, seeded["t_yx"])
        assert t is not None
        t.value, t.unit, t.value_text, t.comparator = 600000000000, "元", "6000亿元", "ge"
        s.commit()
    csrf = login(client, "sup")
    client.get("/", params={"as_of": "2024-09-30"})
    page = client.get(f"/targets/{seeded['t_yx']}").text
    assert 'name="as_of" value="2024-09-30"' in page  # the header's picker, remembered
    assert "≥ 6000亿元" in page and "≥ ge" not in page and "完成值（亿元" in page
    r = client.post(f"/targets/{seeded['t_yx']}/progress",
                    data={"csrf_token": csrf, "as_of": "2024-09-30", "value": "1500亿"})
    assert "截至 2024-09-30 完成 1500亿元" in r.text and "截至 2024-09-30）" in r.text
    assert '<td class="num">1500亿元</td>' in r.text


def test_filters_bulk_review_and_overview_links(client: TestClient, seeded: dict[str, int]) -> None:
    csrf = login(client, "sup")
    listed = client.get("/targets", params={"unit_id": seeded["jy"], "q": "高企"}).text
    assert "有效高企数量" in listed and "宜兴目标" not in listed
    r = client.post("/targets/bulk", data={"csrf_token": csrf, "action": "confirm",
                                           "ids": [str(seeded["t_yx"]), str(seeded["t_zone"])]})
    assert "已确认 2 条目标" in r.text
    confirmed = client.get("/targets", params={"review": "confirmed"}).text
    assert "宜兴目标" in confirmed and "有效高企数量" not in confirmed
    grey = client.get("/targets", params={"color": "grey", "as_of": "2024-09-30"}).text
    assert "宜兴目标" in grey
    overview = client.get("/").text
    assert f'/targets?unit_id={seeded["yx"]}&amp;color=grey' in overview


def test_tasks_are_created_assigned_reported_and_closed(client: TestClient, engine: Engine,
                                                        seeded: dict[str, int]) -> None:
    csrf = login(client, "sup")
    r = client.post("/tasks", data={"csrf_token": csrf, "title": "年底前建成智慧园区", "lead": "江阴",
                                    "support": ["宜兴"], "leader": "张副市长", "deadline": "2024-12-31",
                                    "milestones": "6月底前开工\n9月底前主体完工", "report_cycle": "quarterly"})
    assert r.status_code == 200 and "年底前建成智慧园区" in r.text and "宜兴" in r.text, r.text[-3000:]
    task_id = int(re.search(r"/tasks/(\d+)/report", r.text).group(1))  # type: ignore[union-attr]
    moved = client.post(f"/tasks/{task_id}/assign", data={"csrf_token": csrf, "lead": "江阴",
                                                          "support": ["宜兴", "江阴高新区"],
                                                          "deadline": "2024年12月底"})
    assert "已更新" in moved.text and "宜兴、江阴高新区" in moved.text
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "yx")  # a 配合单位 may report too
    done = client.post(f"/tasks/{task_id}/report", data={"csrf_token": csrf, "as_of": date.today().isoformat(),
                                                         "completed": "true", "note": "已建成"})
    assert "等待督查人员审核" in done.text
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "sup")
    sid = int(re.search(r'name="ids" value="(\d+)"', client.get("/review").text).group(1))  # type: ignore[union-attr]
    client.post(f"/submissions/{sid}/accept", data={"csrf_token": csrf})
    page = client.post(f"/tasks/{task_id}/close", data={"csrf_token": csrf}).text
    assert "已销号" in page
    assert "年底前建成智慧园区" in client.get(f"/units/{seeded['jy']}").text
    with make_sessionmaker(engine)() as s:
        task = s.get(Task, task_id)
        assert task is not None and task.done_on == date.today() and task.closed_by == "sup"


def test_user_administration(client: TestClient, engine: Engine) -> None:
    csrf = login(client, "admin")
    r = client.post("/admin/users", data={"csrf_token": csrf, "username": "zone1", "password": "pw-long-enough",
                                          "role": "reporter", "unit": "江阴高新区", "email": "z@example.org"})
    assert r.status_code == 200 and "zone1" in r.text
    with make_sessionmaker(engine)() as s:
        uid = s.scalars(select(User.id).where(User.username == "zone1")).one()
    client.post(f"/admin/users/{uid}", data={"csrf_token": csrf, "action": "update", "role": "reporter",
                                             "unit": "宜兴", "email": "yx@example.org"})
    client.post(f"/admin/users/{uid}", data={"csrf_token": csrf, "action": "password", "password": "new-password-1"})
    client.post(f"/admin/users/{uid}", data={"csrf_token": csrf, "action": "disable"})
    with make_sessionmaker(engine)() as s:
        user = s.scalars(select(User).where(User.username == "zone1")).one()
        assert (user.unit.name, user.email, user.active) == ("宜兴", "yx@example.org", False)  # type: ignore[union-attr]
    client.post("/logout", data={"csrf_token": csrf})
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    refused = client.post("/login", data={"username": "zone1", "password": "new-password-1",
                                          "csrf_token": token, "next": "/"})
    assert refused.status_code == 401  # disabled
    csrf = login(client, "sup")
    assert client.get("/admin/users").status_code == 403


def test_remind_and_bulletin_downloads(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    with make_sessionmaker(engine)() as s:
        for t in s.scalars(select(Target)):
            t.report_cycle = "quarterly"
        s.commit()
    csrf = login(client, "sup")
    page = client.get("/remind", params={"as_of": "2024-07-10"}).text
    assert "江阴" in page and "逾期未报" in page
    sent = client.post("/remind", data={"csrf_token": csrf, "unit_ids": [str(seeded["jy"])]})
    assert "已催办 1 个单位" in sent.text
    with make_sessionmaker(engine)() as s:
        assert [r.unit.name for r in s.scalars(select(Reminder))] == ["江阴"]
    notice = client.get(f"/remind/{seeded['jy']}.docx")
    assert notice.status_code == 200
    assert "督查催办通知" in "\n".join(p.text for p in WordDocument(io.BytesIO(notice.content)).paragraphs)
    bulletin = client.get("/bulletin.docx", params={"as_of": "2024-07-10"})
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(bulletin.content)).paragraphs)
    assert "目标任务督查通报" in text and "截至2024年7月10日" in text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export.xlsx").content))
    assert book.sheetnames == ["台账", "任务", "汇总"]


def test_docs_are_served_from_the_package(client: TestClient) -> None:
    """Defect: /docs was blank because Swagger UI loaded from a CDN."""
    page = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/swagger-ui/swagger-ui.css").status_code == 200


