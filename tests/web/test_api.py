"""The JSON API and the pages with the real app: reads, review, progress, status, export."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import Document, Target, TargetRevision
from tests.web.conftest import login, token_for

TODAY = date.today().isoformat()


def test_reads_return_envelopes(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    login(client, "sup")
    targets = client.get("/api/targets").json()
    assert targets["count"] == 3 and len(targets["data"]) == 3
    jy = client.get(f"/api/targets/{seeded['t_jy']}").json()
    assert jy["unit_name"] == "江阴" and jy["value"] == 1200 and jy["quote"] == "全年有效“高企”突破1200家"
    doc = client.get(f"/api/documents/{seeded['doc']}").json()
    start, end = jy["quote_span"]
    assert doc["text"][start:end] == jy["quote"]
    units = client.get("/api/units").json()
    assert {u["name"] for u in units["data"]} >= {"无锡", "江阴", "宜兴", "江阴高新区"}
    # a unit's targets include those of its children
    under_jy = client.get("/api/targets", params={"unit_id": seeded["jy"]}).json()
    assert sorted(t["id"] for t in under_jy["data"]) == sorted([seeded["t_jy"], seeded["t_zone"]])
    assert client.get("/api/targets/999999").status_code == 404
    assert client.get(f"/api/targets/{seeded['t_jy']}/revisions").json()["count"] == 1


def test_progress_turns_the_status(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    token = token_for(engine, "jy")
    auth = {"Authorization": f"Bearer {token}"}
    tid = seeded["t_jy"]
    before = client.get("/api/status", headers=auth).json()["data"]
    # due 2024-12-31 and never reported: overdue, red (issue 8: not a grey "no data")
    assert {s["target_id"]: (s["status"], s["color"]) for s in before}[tid] == ("overdue", "red")
    r = client.post(f"/api/targets/{tid}/progress", headers=auth,
                    data={"as_of": TODAY, "value": "1300", "note": "已认定"},
                    files=[("evidence", ("名单.txt", "高企名单".encode(), "text/plain")),
                           ("evidence", ("照片.jpg", b"jpg", "image/jpeg"))])
    assert r.status_code == 202, r.text  # a reporter's report waits for review
    sub = r.json()
    assert (sub["state"], [e["name"] for e in sub["evidence"]]) == ("submitted", ["名单.txt", "照片.jpg"])
    waiting = {s["target_id"]: s for s in client.get("/api/status", headers=auth).json()["data"]}
    assert waiting[tid]["status"] == "overdue"  # nothing counts before review: still unreported
    sup = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    assert client.post(f"/api/submissions/{sub['id']}/accept", headers=auth).status_code == 403
    accepted = client.post(f"/api/submissions/{sub['id']}/accept", headers=sup)
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    after = {s["target_id"]: s for s in client.get("/api/status", headers=auth).json()["data"]}
    assert after[tid]["status"] != "no_data" and after[tid]["color"] == "green"
    assert after[tid]["latest_value"] == 1300
    evidence = client.get(sub["evidence"][0]["url"], headers=auth)
    assert evidence.status_code == 200 and evidence.content == "高企名单".encode()
    trail = client.get(f"/api/targets/{tid}/audit", headers=auth).json()["data"]
    assert [(a["actor"], a["entity"], a["action"]) for a in trail] == [
        ("jy", "submissions", "create"), ("sup", "progress_reports", "create"),
        ("sup", "submissions", "update")]


def test_bad_progress_values_are_clear_4xx(client: TestClient, engine: Engine,
                                           seeded: dict[str, int]) -> None:
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    url = f"/api/targets/{seeded['t_jy']}/progress"
    for data in ({"as_of": TODAY}, {"as_of": "2024-13-45", "value": "1"},
                 {"as_of": TODAY, "value": "abc"}, {"as_of": TODAY, "value": "nan"},
                 {"as_of": "2999-01-01", "value": "1"}, {"as_of": TODAY, "value": "5000000"}):
        r = client.post(url, headers=auth, data=data)
        assert 400 <= r.status_code < 500, (data, r.status_code, r.text)
        assert r.json()["detail"]
    assert client.get(f"/api/targets/{seeded['t_jy']}/progress", headers=auth).json()["count"] == 0
    # 5,000,000 firms on a target of 1,200: refused with the reason (issue 8, item 3)
    r = client.post(url, headers=auth, data={"as_of": TODAY, "value": "5000000"})
    assert r.status_code == 400 and "not plausible" in r.json()["detail"]


def test_review_confirm_edit_reject(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    auth = {"Authorization": f"Bearer {token_for(engine, 'admin')}"}
    url = f"/api/targets/{seeded['t_yx']}/review"
    r = client.post(url, headers=auth, json={"action": "edit", "changes": {"value": "120", "deadline": "2025-12-31"}})
    assert r.status_code == 200, r.text
    assert r.json()["review_state"] == "edited" and r.json()["value"] == 120
    assert client.post(url, headers=auth, json={"action": "edit", "changes": {"value": "x"}}).status_code == 400
    assert client.post(url, headers=auth, json={"action": "edit", "changes": {"password": "x"}}).status_code == 400
    assert client.post(url, headers=auth, json={"action": "bogus"}).status_code == 422
    # changes with another action: a validation error in the documented shape ({detail: [...]})
    r = client.post(url, headers=auth, json={"action": "confirm", "changes": {"value": "1"}})
    assert r.status_code == 422
    assert "changes are only allowed with action=edit" in r.json()["detail"][0]["msg"]
    assert client.post(url, headers=auth, json={"action": "reject"}).json()["review_state"] == "rejected"
    # a rejected target takes no progress and leaves tracking
    assert client.post(f"/api/targets/{seeded['t_yx']}/progress", headers=auth,
                       data={"as_of": TODAY, "value": "1"}).status_code == 409
    status = client.get("/api/status", headers=auth).json()["data"]
    assert seeded["t_yx"] not in {s["target_id"] for s in status}


def test_league_conflicts_and_export(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    auth = {"Authorization": f"Bearer {token_for(engine, 'sup')}"}
    client.post(f"/api/targets/{seeded['t_jy']}/progress", headers=auth, data={"as_of": TODAY, "value": "1300"})
    league = client.get("/api/league", headers=auth).json()["data"]
    assert league[0]["unit"] == "江阴" and league[0]["rank"] == 1
    with make_sessionmaker(engine)() as s:  # a later document restates 江阴's target
        t = s.get(Target, seeded["t_jy"])
        later = Document(title="三季度", source="later.txt", date=date(2024, 9, 1),
                         content_hash="1" * 64, text="全年有效高企突破1300家", format="txt", meta={})
        s.add(later)
        s.flush()
        s.add(TargetRevision(target_id=t.id, document_id=later.id, value=Decimal(1300),
                             comparator="gt", deadline=t.deadline, quote="全年有效高企突破1300家",
                             stated_on=date(2024, 9, 1)))
        s.commit()
    conflicts = client.get("/api/conflicts", headers=auth).json()["data"]
    restated = [c for c in conflicts if c["kind"] == "restated"]
    assert [c["statements"][0]["target_id"] for c in restated] == [seeded["t_jy"]]
    assert sorted(st["value"] for st in restated[0]["statements"]) == [1200, 1300]
    r = client.get("/api/export.xlsx", headers=auth)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "责任单位" in rows[1] and len(rows) == 5
    assert any("1200" in " ".join(str(c) for c in row) for row in rows[1:])


def test_pages_render_with_highlights(client: TestClient, seeded: dict[str, int]) -> None:
    login(client, "sup")
    overview = client.get("/")
    assert overview.status_code == 200 and "江阴" in overview.text and "echarts.min.js" in overview.text
    doc = client.get(f"/documents/{seeded['doc']}").text
    assert f'<mark id="t{seeded["t_jy"]}" class="unreviewed"' in doc
    assert "全年有效“高企”突破1200家</mark>" in doc
    target = client.get(f"/targets/{seeded['t_jy']}").text
    assert f'<mark id="t{seeded["t_jy"]}" class="current">全年有效“高企”突破1200家</mark>' in target
    assert 'data-chart=' in target and "报送进展" in target
    unit = client.get(f"/units/{seeded['jy']}").text
    assert "有效高企数量" in unit and "江阴高新区目标" in unit and "宜兴目标" not in unit
    assert client.get("/static/vendor/echarts/echarts.min.js").status_code == 200


def test_page_forms_review_and_report(client: TestClient, seeded: dict[str, int]) -> None:
    csrf = login(client, "sup")
    r = client.post(f"/targets/{seeded['t_jy']}/review", data={"action": "confirm", "csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"/targets/{seeded['t_jy']}/progress", follow_redirects=True,
                    data={"as_of": TODAY, "value": "600", "csrf_token": csrf})
    assert r.status_code == 200 and "已报送：截至" in r.text and "已采纳" in r.text  # a supervisor's
    assert re.search(r'<td class="num">600家</td>', r.text)
    edit = client.post(f"/targets/{seeded['t_yx']}/review", follow_redirects=False,
                       data={"action": "edit", "csrf_token": csrf, "value": "150",
                             "unit_name": "江阴", "deadline": "2025-06-30", "indicator": ""})
    assert edit.status_code == 303
    moved = client.get(f"/api/targets/{seeded['t_yx']}").json()
    assert (moved["review_state"], moved["value"], moved["unit_name"], moved["deadline"]) == (
        "edited", 150, "江阴", "2025-06-30")
    nothing = client.post(f"/targets/{seeded['t_yx']}/review",
                          data={"action": "edit", "csrf_token": csrf}, headers={"accept": "text/html"})
    assert nothing.status_code == 422
    missing = client.post(f"/targets/{seeded['t_jy']}/progress", data={"csrf_token": csrf},
                          headers={"accept": "text/html"})
    assert missing.status_code == 422 and "表单内容有误" in missing.text


def test_reporter_sees_no_report_form_for_other_units(client: TestClient, seeded: dict[str, int]) -> None:
    login(client, "jy")
    # the form, not the words: the judgement of an unreported target says 仍未报送进展
    assert 'id="progress-form"' in client.get(f"/targets/{seeded['t_jy']}").text
    assert 'id="progress-form"' not in client.get(f"/targets/{seeded['t_yx']}").text
    document = client.get(f"/documents/{seeded['doc']}").text
    assert f'action="/targets/{seeded["t_jy"]}/review"' not in document
