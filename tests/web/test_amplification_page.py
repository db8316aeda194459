"""The 层层加码 page: from a batch dataset (TAIZHANG_DATASET) or from the ledger's targets."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.keys import indicator_key
from taizhang.ledger.models import Target, Unit
from taizhang.web.app import create_app
from taizhang.web.settings import WebSettings
from tests.research.conftest import small_corpus  # noqa: F401  (fixture)
from tests.web.conftest import login


def _charts(html: str) -> list[dict]:
    return [json.loads(m.replace("&#34;", '"').replace("&#39;", "'")) for m in re.findall(r"data-chart='([^']+)'", html)]


def test_the_page_draws_a_batch_dataset(settings: WebSettings, engine: Engine, seeded: dict[str, int],
                                        small_corpus: Path, tmp_path: Path) -> None:  # noqa: F811
    from taizhang.research.batch import run_batch

    out = tmp_path / "ds"
    run_batch([str(small_corpus)], out, workers=1)
    with TestClient(create_app(settings.model_copy(update={"dataset": out}), engine=engine)) as client:
        login(client, "sup")
        page = client.get("/amplification?indicator=gdp_growth&year=2026")
    assert page.status_code == 200
    assert "层层加码" in page.text and "上级目标不在数据中" in page.text
    [chart] = _charts(page.text)
    assert chart["parent"] == "全国" and chart["parent_value"] is None
    assert (chart["units"], chart["values"]) == (["西藏", "北京", "河北"], [7.0, 5.0, 5.0])  # highest first
    assert "地区生产总值增长7%以上" in page.text
    with TestClient(create_app(settings.model_copy(update={"dataset": out}), engine=engine)) as client:
        login(client, "sup")
        given = client.get("/amplification", params={"indicator": "gdp_growth", "year": 2026, "parent_target": "全国=5"})
        bad = client.get("/amplification", params={"indicator": "gdp_growth", "year": 2026, "parent_target": "全国=x"})
    [chart] = _charts(given.text)
    assert chart["parent_value"] == 5.0 and "手动给出" in given.text and "高于上级 2 个" in given.text
    assert bad.status_code == 200 and "UNIT=VALUE" in bad.text


def test_the_page_compares_the_ledgers_targets(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    with make_sessionmaker(engine)() as s:
        for unit_id, value, comparator in ((seeded["wuxi"], "5", "approx"), (seeded["jy"], "6", "ge"), (seeded["yx"], "5", "approx")):
            s.add(Target(document_id=seeded["doc"], unit_id=unit_id, indicator="地区生产总值", indicator_key=indicator_key("地区生产总值"),
                         value=Decimal(value), unit="%", comparator=comparator, kind="growth", deadline=date(2024, 12, 31),
                         value_text=f"{value}%", quote=f"地区生产总值增长{value}%"))
        s.add(Unit(name="unused"))
        s.commit()
    login(client, "sup")
    page = client.get("/amplification?indicator=gdp_growth")
    assert page.status_code == 200
    charts = {c["parent"]: c for c in _charts(page.text)}
    assert (charts["江苏"]["parent_value"], charts["江苏"]["units"]) == (None, ["无锡"])  # 无锡's parent
    chart = charts["无锡"]
    assert (chart["parent_value"], chart["units"], chart["values"]) == (5.0, ["江阴", "宜兴"], [6.0, 5.0])
    assert "高于上级 1 个" in page.text


def test_anonymous_visitors_log_in_first(client: TestClient) -> None:
    r = client.get("/amplification", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_nothing_to_compare(client: TestClient) -> None:
    login(client, "sup")
    page = client.get("/amplification?indicator=cpi&year=1999")
    assert page.status_code == 200 and "没有数据" in page.text


def test_promise_versus_delivery_on_the_target_page(client: TestClient, engine: Engine, seeded: dict[str, int]) -> None:
    from taizhang.ledger.models import Document, ProgressReport, ProposedResult

    with make_sessionmaker(engine)() as s:
        later = Document(title="2025年工作回顾", source="review.txt", date=date(2025, 1, 20), content_hash="1" * 64,
                         text="全年有效高企达1250家。", format="txt", meta={})
        s.add(later)
        s.flush()
        s.add(ProposedResult(target_id=seeded["t_jy"], document_id=later.id, value=Decimal(1250), unit="家",
                             period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), indicator="有效高企",
                             value_start=7, value_end=12, quote="全年有效高企达1250家", quote_start=0, quote_end=12,
                             verdict="met", state="proposed"))
        s.commit()
    csrf = login(client, "jy")  # a reporter sees it but cannot confirm
    page = client.get(f"/targets/{seeded['t_jy']}")
    assert "承诺 vs 实绩" in page.text and "已实现" in page.text and "待督查人员确认" in page.text
    r = client.post(f"/targets/{seeded['t_jy']}/results/1", data={"action": "confirm", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 403
    client.post("/logout", data={"csrf_token": csrf})
    csrf = login(client, "sup")
    r = client.post(f"/targets/{seeded['t_jy']}/results/1", data={"action": "confirm", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/targets/{seeded['t_jy']}")
    assert "已确认" in page.text and "实绩已确认" in page.text
    with make_sessionmaker(engine)() as s:
        [report] = s.query(ProgressReport).filter_by(target_id=seeded["t_jy"]).all()
        assert (report.value, report.as_of, report.reporter) == (Decimal(1250), date(2024, 12, 31), "sup")
        assert "全年有效高企达1250家" in (report.note or "")
    r = client.post(f"/targets/{seeded['t_yx']}/results/1", data={"action": "confirm", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 404
