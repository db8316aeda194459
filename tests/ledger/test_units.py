from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from taizhang.ledger.models import UnitLevel
from taizhang.ledger.units import (
    classify,
    ensure_region,
    ensure_unit,
    find_unit,
    split_region,
    subtree_ids,
)


@pytest.mark.parametrize(
    ("name", "short", "level"),
    [
        ("江苏省", "江苏", UnitLevel.PROVINCE),
        ("广西壮族自治区", "广西壮族", UnitLevel.PROVINCE),
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


def test_aliases_resolve_to_one_unit(session: Session) -> None:
    wuxi = ensure_region(session, "江苏省无锡市")
    assert wuxi is not None and wuxi.name == "无锡"
    jiangyin = ensure_unit(session, "江阴市", parent=wuxi)
    assert ensure_unit(session, "江阴") is jiangyin
    assert find_unit(session, "江阴市") is jiangyin
    assert find_unit(session, "无锡市") is wuxi
    assert find_unit(session, "宜兴") is None


def test_a_unit_never_becomes_its_own_descendant(session: Session) -> None:
    wuxi = ensure_region(session, "江苏省无锡市")
    jiangsu = find_unit(session, "江苏")
    assert jiangsu is not None
    ensure_unit(session, "江苏省", parent=wuxi)
    assert jiangsu.parent_id is None


def test_subtree(session: Session) -> None:
    wuxi = ensure_region(session, "江苏省无锡市")
    a = ensure_unit(session, "江阴市", parent=wuxi)
    b = ensure_unit(session, "新吴区", parent=wuxi)
    other = ensure_unit(session, "南京市")
    assert wuxi is not None
    ids = set(subtree_ids(session, wuxi))
    assert ids == {wuxi.id, a.id, b.id} and other.id not in ids


def test_gazetteer_gives_names_levels_and_parents(session: Session) -> None:
    jiangyin = ensure_unit(session, "江阴")
    xinwu = ensure_unit(session, "新吴区")
    zone = ensure_unit(session, "经开")
    guangxi = ensure_unit(session, "广西壮族自治区")
    assert (jiangyin.level, jiangyin.full_name) == ("county", "江阴市")
    assert jiangyin.parent is not None and jiangyin.parent.name == "无锡"
    assert jiangyin.parent.parent is not None and jiangyin.parent.parent.name == "江苏"
    assert xinwu.level == "district" and xinwu.parent is jiangyin.parent
    assert zone.level == "zone" and zone.parent is jiangyin.parent
    assert (guangxi.name, guangxi.level) == ("广西", "province")
    assert find_unit(session, "江阴市") is jiangyin
    assert find_unit(session, "无锡市") is jiangyin.parent


def test_unknown_names_fall_back_to_suffix_and_region(session: Session) -> None:
    region = ensure_region(session, "江苏省无锡市")
    unit = ensure_unit(session, "梅村街道", parent=region)
    assert (unit.name, unit.level, unit.parent) == ("梅村街道", None, region)
