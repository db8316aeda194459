"""The list API writes its JSON directly (queries.target_json, responses.dumps): the same
targets as the single-target route, which goes through the `TargetPublic` model, and the same
bytes as the json module."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from taizhang.ledger import make_sessionmaker
from taizhang.ledger.models import Target
from taizhang.web.responses import dumps
from tests.web.conftest import login


def test_list_items_are_the_single_targets(client: TestClient, engine: Engine,
                                           seeded: dict[str, int]) -> None:
    with make_sessionmaker(engine)() as s:  # every optional field filled on one target
        s.execute(update(Target).where(Target.id == seeded["t_jy"]).values(
            value_max=Decimal("1500.5"), baseline_value=Decimal("980"),
            baseline_date=date(2023, 12, 31), flags=["range", "估计"], recurring="yearly",
            commitment="确保", qualifier="以上", report_cycle="monthly",
            closed_at=datetime(2024, 12, 1, 8, 30, tzinfo=UTC), closed_by="sup"))
        # amounts the database turns into floats for the list (1.2万亿元, six decimals, 0.1)
        s.execute(update(Target).where(Target.id == seeded["t_yx"]).values(
            value=Decimal("1200000000000"), value_max=Decimal("123456789.123456"),
            baseline_value=Decimal("0.1")))
        s.execute(update(Target).where(Target.id == seeded["t_zone"]).values(
            value=Decimal("0.000001"), flags=None))
        s.commit()
    login(client, "sup")
    listed = client.get("/api/targets").json()["data"]
    assert [t["id"] for t in listed] == sorted(seeded[k] for k in ("t_jy", "t_yx", "t_zone"))
    for item in listed:
        single = client.get(f"/api/targets/{item['id']}").json()
        assert list(item) == list(single)  # same keys in the same order
        closed, closed_single = item.pop("closed_at"), single.pop("closed_at")
        assert item == single
        if closed_single is None:
            assert closed is None
        else:  # the model writes "Z" for UTC where the list writes "+00:00": the same instant
            assert datetime.fromisoformat(closed) == datetime.fromisoformat(closed_single)
    jy = next(t for t in listed if t["id"] == seeded["t_jy"])
    assert jy["value_max"] == 1500.5 and jy["flags"] == ["range", "估计"]
    assert jy["baseline_date"] == "2023-12-31" and jy["display_unit"] == "家"
    yx = next(t for t in listed if t["id"] == seeded["t_yx"])
    assert (yx["value"], yx["value_max"], yx["baseline_value"]) == (1.2e12, 123456789.123456, 0.1)


def test_list_counts_follow_filters_and_writes(client: TestClient, engine: Engine,
                                              seeded: dict[str, int]) -> None:
    """The count is cached per filter and ledger version: another filter is another count,
    and a write shows at once."""
    login(client, "sup")
    assert client.get("/api/targets").json()["count"] == 3
    assert client.get("/api/targets", params={"unit_id": seeded["jy"]}).json()["count"] == 2
    assert client.get("/api/targets", params={"unit_id": seeded["yx"]}).json()["count"] == 1
    assert client.get("/api/targets", params={"due_before": "2024-01-01"}).json()["count"] == 0
    assert client.get("/api/targets", params={"review_state": "confirmed"}).json()["count"] == 0
    token = login(client, "admin")
    r = client.post(f"/api/targets/{seeded['t_yx']}/review", json={"action": "confirm"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    assert client.get("/api/targets", params={"review_state": "confirmed"}).json()["count"] == 1
    assert client.get("/api/targets", params={"unit_id": seeded["yx"]}).json()["count"] == 1


@pytest.mark.parametrize("content", [
    {"data": [{"id": 1, "unit_name": "江阴", "value": 1200.0, "value_max": None,
               "quote": "全年有效“高企”突破1200家\n", "flags": [], "span": [3, 9]}], "count": 1},
    {"detail": "请先登录 (login required)"},
    [0.1, 1e16, 1.5e300, -0.0, 600000000000.0, 12345.6789, "\u2028\x00\x1f\"\\/😀é", True],
])
def test_dumps_writes_what_the_json_module_writes(content: object) -> None:
    assert dumps(content) == json.dumps(content, ensure_ascii=False,
                                        separators=(",", ":")).encode("utf-8")


def test_dumps_takes_what_orjson_refuses() -> None:
    for content in ({1: "a"}, [2**70]):
        assert dumps(content) == json.dumps(content, ensure_ascii=False,
                                            separators=(",", ":")).encode("utf-8")
    assert json.loads(dumps([1e-7])) == [1e-7]  # spelled 1e-7, not 1e-07: the same number
