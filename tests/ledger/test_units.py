from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger import session_scope
from taizhang.ledger.ingest import ingest_paths, store_document
from taizhang.ledger.models import Target, Unit, UnitLevel, UnitProposal
from taizhang.ledger.testing import make_target
from taizhang.ledger.units import (
    add_unit,
    classify,
    decide_proposal,
    document_unit,
    ensure_region,
    ensure_unit,
    find_unit,
    gazetteer_entry,
    gazetteer_parent,
    pending_proposals,
    split_region,
    subtree_ids,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.parametrize(
    ("name", "short", "level"),
    [
        ("江苏省", "江苏", UnitLevel.PROVINCE),
        ("上海市", "上海", UnitLevel.PROVINCE),
        ("无锡市", "无锡", UnitLevel.CITY),
        ("新吴区", "新吴", UnitLevel.DISTRICT),
        ("高阳县", "高阳", UnitLevel.COUNTY),
        ("锡山经济开发区", "锡山经济开发区", UnitLevel.ZONE),
        ("全国", "全国", UnitLevel.NATION),
        ("江阴", "江阴", None),
    ],
)
def test_classify(name: str, short: str, level: UnitLevel | None) -> None:
    assert classify(name) == (short, level)


def test_split_region() -> None:
    assert split_region("河北省保定市高阳县") == ["河北省", "保定市", "高阳县"]
    assert split_region("北京市海淀区") == ["北京市", "海淀区"]
    assert split_region("湖北省宜昌市（长江三峡）") == ["湖北省", "宜昌市"]


def test_aliases_resolve_to_one_unit(session: Session) -> None:
    wuxi = ensure_region(session, "江苏省无锡市")
    assert wuxi is not None and wuxi.name == "无锡"
    jiangyin = ensure_unit(session, "江阴市")
    assert ensure_unit(session, "江阴") is jiangyin
    assert find_unit(session, "江阴市") is jiangyin
    assert find_unit(session, "无锡市") is wuxi
    assert find_unit(session, "宜兴") is None


def test_hierarchy_comes_from_the_gazetteer_with_the_nation_at_the_root(session: Session) -> None:
    jiangyin = ensure_unit(session, "江阴")
    xinwu = ensure_unit(session, "新吴区")
    zone = ensure_unit(session, "经开")
    guangxi = ensure_unit(session, "广西壮族自治区")
    nation = ensure_unit(session, "国务院")
    assert (jiangyin.level, jiangyin.full_name, jiangyin.code) == ("county", "江阴市", "320281")
    assert [u.name for u in _chain(jiangyin)] == ["全国", "江苏", "无锡", "江阴"]
    assert xinwu.level == "district" and xinwu.parent is jiangyin.parent
    assert zone.level == "zone" and zone.parent is jiangyin.parent
    assert (guangxi.name, guangxi.level, guangxi.parent) == ("广西", "province", nation)
    assert (nation.name, nation.level, nation.parent) == ("全国", "nation", None)
    # a municipality's districts hang under it, not under the list's 市辖区 placeholder
    assert [u.name for u in _chain(ensure_unit(session, "海淀区"))] == ["全国", "北京", "海淀"]


def test_namesakes_are_told_apart_by_the_document_region(session: Session) -> None:
    beijing = gazetteer_entry("朝阳区", within="110000")
    changchun = gazetteer_entry("朝阳区", within="220100")
    assert beijing is not None and changchun is not None
    assert (beijing.code, changchun.code) == ("110105", "220104")
    a = document_unit(session, meta={"region": "北京市朝阳区"})
    b = document_unit(session, meta={"region": "吉林省长春市朝阳区"})
    assert a is not None and b is not None and a.id != b.id
    assert {a.name, b.name} == {"朝阳", "朝阳区"}  # the second takes its full name


def test_document_unit_from_region_then_issuer(session: Session) -> None:
    rongcheng = document_unit(session, meta={"region": "河北省雄安新区容城县"})
    assert rongcheng is not None and rongcheng.name == "容城"
    assert rongcheng.parent is not None and rongcheng.parent.name == "保定"  # as the list has it
    assert document_unit(session, meta={"issuer": "保定市人民政府（市长 闫继红）"}).name == "保定"  # type: ignore[union-attr]
    assert document_unit(session, meta={"issuer": "国务院（国务院总理 李强）"}).name == "全国"  # type: ignore[union-attr]
    assert document_unit(session, meta={"region": "全国"}).name == "全国"  # type: ignore[union-attr]
    assert document_unit(session, meta={}) is None
    with pytest.raises(NotFound, match="taizhang units add"):
        document_unit(session, given="某某办")


def test_nation_in_a_city_document_stays_with_the_city(session: Session) -> None:
    """Defect: the 保定 digest put 17 targets under 全国 and made 全国 a child of 保定."""
    store_document(
        session, text="保定摘登", source="014.txt", date=date(2026, 2, 12),
        meta={"region": "河北省保定市", "issuer": "保定市（报纸摘登，本报讯）"},
        targets=[make_target("地区生产总值", "6", subject="全国"), make_target("粮食", "80", subject=None)],
    )
    store_document(
        session, text="国务院报告", source="003.txt", date=date(2020, 5, 22),
        meta={"region": "全国"}, targets=[make_target("城镇新增就业", "900", subject="全国")],
    )
    units = {u.name: u for u in session.scalars(select(Unit))}
    assert units["全国"].parent_id is None
    assert units["保定"].parent is units["河北"] and units["河北"].parent is units["全国"]
    by_indicator = {t.indicator: (t.responsible.name, t.flags) for t in session.scalars(select(Target))}  # type: ignore[union-attr]
    assert by_indicator["地区生产总值"] == ("保定", ["subject_above_issuer"])
    assert by_indicator["粮食"] == ("保定", [])
    assert by_indicator["城镇新增就业"] == ("全国", [])


def test_an_older_ledger_unit_is_repaired_when_named_again(session: Session) -> None:
    baoding = Unit(name="保定", level="city")
    session.add(baoding)
    session.flush()
    session.add(Unit(name="全国", level="nation", parent_id=baoding.id))  # as older taizhang did
    session.flush()
    nation = ensure_unit(session, "全国")
    document_unit(session, meta={"region": "河北省保定市"})
    assert nation.parent is None and nation.code == "000000"
    assert baoding.code == "130600" and baoding.parent is not None and baoding.parent.name == "河北"


def test_unknown_subjects_are_proposed_not_created(session: Session) -> None:
    """Defect: the 西藏 report created a unit "自治" with 50 targets."""
    store_document(
        session, text="西藏报告", source="007.txt", date=date(2026, 1, 31),
        meta={"region": "西藏自治区"},
        targets=[make_target("地区生产总值", "7", subject="自治"), make_target("投资", "15", subject="自治"),
                 make_target("项目", "3", subject="市发改委")],
    )
    assert find_unit(session, "自治") is None and find_unit(session, "市发改委") is None
    assert {t.responsible.name for t in session.scalars(select(Target))} == {"西藏"}  # type: ignore[union-attr]
    assert [(p.name, n) for p, n in pending_proposals(session)] == [("自治", 2), ("市发改委", 1)]
    # rejected: not a unit; targets stay with 西藏, and the name is not proposed again
    assert decide_proposal(session, "自治") is None
    # accepted: a department under the document's unit; its targets move there
    unit = decide_proposal(session, "市发改委", accept=True)
    assert unit is not None and (unit.level, unit.parent.name) == ("department", "西藏")  # type: ignore[union-attr]
    moved = session.scalars(select(Target).where(Target.indicator == "项目")).one()
    assert moved.unit_id == unit.id and moved.flags == []
    store_document(session, text="又一份", source="x.txt", date=date(2026, 3, 1),
                   meta={"region": "西藏自治区"}, targets=[make_target("旅游", "1", subject="自治")])
    assert pending_proposals(session) == []
    assert session.scalars(select(UnitProposal.state).order_by(UnitProposal.id)).all() == [
        "rejected", "accepted"]


def test_a_proposal_mapped_to_a_unit_becomes_its_alias(session: Session) -> None:
    store_document(session, text="a", source="a", date=date(2024, 6, 28),
                   meta={"region": "江苏省无锡市"}, targets=[make_target(subject="城东片区")])
    unit = decide_proposal(session, "城东片区", same_as="江阴")
    assert unit is not None and find_unit(session, "城东片区") is unit
    assert session.scalars(select(Target)).one().unit_id == unit.id


def test_units_are_added_on_purpose(session: Session) -> None:
    bureau = add_unit(session, "市住建局", parent="保定")
    assert (bureau.level, bureau.parent.name) == ("department", "保定")  # type: ignore[union-attr]
    with pytest.raises(LedgerError, match="already exists"):
        add_unit(session, "市住建局")
    assert add_unit(session, "高阳县").code == "130628"  # a gazetteer name comes from there


def test_subtree(session: Session) -> None:
    wuxi = ensure_region(session, "江苏省无锡市")
    a = ensure_unit(session, "江阴市")
    b = ensure_unit(session, "新吴区")
    other = ensure_unit(session, "南京市")
    assert wuxi is not None
    ids = set(subtree_ids(session, wuxi))
    assert ids == {wuxi.id, a.id, b.id} and other.id not in ids


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "test").is_dir(), reason="../shared is not beside the checkout")
def test_the_30_shared_documents_get_units_of_the_gazetteer(engine: Engine, tmp_path: Path) -> None:
    """Issue 8, item 1: no unit outside the gazetteer/zones, no 全国 under a city, the
    hierarchy as the gazetteer has it, no target without a unit."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for sub in ("dev", "test"):
        for txt in (SHARED / sub).glob("*.txt"):
            (folder / txt.name).write_bytes(txt.read_bytes())
            (folder / txt.with_suffix(".json").name).write_bytes(txt.with_suffix(".json").read_bytes())
    results = ingest_paths(engine, [folder])
    assert len(results) == 30 and [r.error for r in results if r.status != "added"] == []
    with session_scope(engine) as session:
        units = list(session.scalars(select(Unit)))
        for unit in units:
            entry = gazetteer_entry(unit.full_name or unit.name)
            assert unit.code is not None and entry is not None, unit.name
            parent = gazetteer_parent(entry)
            assert (unit.parent.code if unit.parent else None) == (parent.code if parent else None)
        nation = next(u for u in units if u.name == "全国")
        assert nation.parent_id is None
        assert session.scalars(select(Target).where(Target.unit_id.is_(None))).all() == []
        assert session.scalars(select(UnitProposal)).all() == []


def _chain(unit: Unit) -> list[Unit]:
    chain = [unit]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)  # type: ignore[arg-type]
    return chain[::-1]


def test_a_name_proposed_by_two_ingests_at_once_is_one_pending_proposal(engine: Engine) -> None:
    """Issue 10: two ingests naming the same unknown subject made two pending proposals (and
    accepting one left the other pending for ever). The second now waits for the first's
    insert on the unique key of pending names and takes its proposal."""
    import threading
    import time

    region = {"region": "江苏省无锡市"}
    with session_scope(engine, actor="tester") as s:  # the region's units exist beforehand
        store_document(s, text="序", source="0.txt", date=date(2024, 6, 1), meta=region, targets=[])
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with session_scope(engine, actor="second") as s:
                store_document(s, text="乙", source="b.txt", date=date(2024, 6, 28), meta=region,
                               targets=[make_target("投资", "2", subject="城东片区")])
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    with session_scope(engine, actor="first") as first:
        store_document(first, text="甲", source="a.txt", date=date(2024, 6, 28), meta=region,
                       targets=[make_target("项目", "1", subject="城东片区")])
        other = threading.Thread(target=second)
        other.start()
        time.sleep(1.0)  # the second ingest has proposed (or waits to) before we commit
    other.join(30)
    assert not other.is_alive() and errors == []
    with session_scope(engine, write=False) as s:
        proposals = s.scalars(select(UnitProposal).where(UnitProposal.name == "城东片区")).all()
        assert [p.state for p in proposals] == ["pending"]
        assert len(s.scalars(select(Target).where(Target.subject == "城东片区")).all()) == 2
