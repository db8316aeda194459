"""The gazetteer: current divisions, former names, zones, and words that are not units."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from taizhang.extract.gazetteer import AdminUnit, gazetteer

TABLES = ("admin_units.tsv", "former_units.tsv", "zones.tsv", "common_words.tsv")


def _rows(name: str) -> list[list[str]]:
    text = resources.files("taizhang.extract").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _parent(unit: AdminUnit) -> AdminUnit:
    assert unit.parent is not None
    return gazetteer().by_code[unit.parent]


def named(text: str) -> list[str]:
    return [unit.short for _, _, unit in gazetteer().mentions(text)]


@pytest.mark.parametrize(
    ("name", "short", "parent"),
    [
        ("光明区", "光明", "深圳"),  # new district of 2018
        ("钢城区", "钢城", "济南"),  # of 莱芜 until 2019
        ("渌口区", "渌口", "株洲"),  # 株洲县 until 2018
        ("滦州市", "滦州", "唐山"),  # 滦县 until 2018
        ("白杨市", "白杨", "新疆"),  # county-level city under the region, 2023
        ("仙桃市", "仙桃", "湖北"),
    ],
)
def test_current_units_with_their_parents(name: str, short: str, parent: str) -> None:
    unit = gazetteer().find(name)
    assert unit is not None and unit.short == short and _parent(unit).short == parent


def test_a_new_district_is_named_in_running_text() -> None:
    assert named("深圳市光明区力争全年新增科技企业200家") == ["深圳", "光明"]


@pytest.mark.parametrize(
    ("former", "current"),
    [("莱芜市", "莱芜区"), ("莱城区", "莱芜区"), ("梁平县", "梁平区"), ("长治县", "上党区"),
     ("港闸区", "崇川区"), ("邯郸县", "邯郸市"), ("那曲地区", "那曲市")],
)
def test_former_names_point_to_the_unit_that_took_their_place(former: str, current: str) -> None:
    unit = gazetteer().find(former)
    assert unit is not None and unit.name == current


def test_a_former_name_is_found_in_an_older_document() -> None:
    assert named("2018年，莱芜市地区生产总值增长6.5%") == ["莱芜"]
    assert _parent(gazetteer().find("莱芜市")).short == "济南"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["乡村振兴扎实推进", "新建停车场80个", "壮大新兴产业集群", "推进共同富裕", "世界和平与发展",
     "新增城镇就业9万人", "提出了更高要求", "中心城区", "深化产学研合作", "比如"],
)
def test_ordinary_words_are_not_units_in_running_text(text: str) -> None:
    assert named(text) == []
    assert gazetteer().pattern.match(text) is None


@pytest.mark.parametrize(("full", "short"), [("资源县", "资源"), ("振兴区", "振兴"), ("增城区", "增城")])
def test_units_whose_short_name_is_a_word_keep_their_full_name(full: str, short: str) -> None:
    assert named(f"{full}将新建学校3所") == [short]
    unit = gazetteer().find(short)  # an exact name (a heading, a title's unit) still answers
    assert unit is not None and unit.name.startswith(short)


def test_a_suffix_that_starts_a_word_falls_back_to_the_shorter_name() -> None:
    assert named("落实西安区域科技创新中心建设") == ["西安"]  # not 辽源's 西安区
    assert named("提高县城辐射带动能力") == []  # not 高县 (四川)
    assert named("高阳县城乡总体规划") == ["高阳"]


def test_a_news_site_is_not_the_unit_it_is_named_after() -> None:
    # 华龙网 is Chongqing's news site; 华龙 is also a district of 濮阳
    assert named("第1眼TV-华龙网讯 1月19日,重庆市第六届人民代表大会第三次会议开幕") == ["重庆"]
    assert named("华龙区新建口袋公园10个") == ["华龙"]


@pytest.mark.parametrize(
    ("name", "short", "parent"),
    [("光谷", "东湖高新区", "武汉"), ("武汉东湖新技术开发区", "东湖高新区", "武汉"),
     ("天府新区", "天府新区", "成都"), ("雄安新区", "雄安", "河北"), ("两江新区", "两江新区", "重庆"),
     ("泰达", "天津经开区", "天津"), ("苏州工业园区", "苏州工业园区", "苏州")],
)
def test_zones_by_their_printed_names(name: str, short: str, parent: str) -> None:
    unit = gazetteer().find(name)
    assert unit is not None and unit.level == "zone" and unit.short == short
    assert _parent(unit).short == parent


def test_new_areas_that_are_districts_are_districts() -> None:
    for name in ("浦东新区", "滨海新区"):
        unit = gazetteer().find(name)
        assert unit is not None and unit.level == "county"


def test_tables_hold_together() -> None:
    units = {row[0]: row for row in _rows("admin_units.tsv")}
    assert len(units) == len(_rows("admin_units.tsv")) > 3000
    assert all(parent in units for _, _, _, parent in units.values() if parent)
    assert {level for _, _, level, _ in units.values()} == {"province", "city", "county"}
    assert all(current in units for _, _, current, _ in _rows("former_units.tsv"))
    zones = _rows("zones.tsv")
    assert all(row[4] in units and row[3] == "zone" for row in zones)
    names = {row[1] for row in units.values()} | {row[0] for row in _rows("former_units.tsv")}
    shorts = {gazetteer().by_code[code].short for code in units}
    for word, example, _ in _rows("common_words.tsv"):
        assert word in names | shorts, f"{word} names no unit"
        assert example, f"{word} needs an example of its ordinary use"


def test_the_source_is_recorded() -> None:
    header = resources.files("taizhang.extract").joinpath("data", "admin_units.tsv").read_text("utf-8")
    assert "xiangyuecn/AreaCity-JsSpider-StatsGov" in header and "MIT License" in header


def test_the_tables_ship_in_the_wheel(tmp_path: Path) -> None:
    """Build the wheel and read the gazetteer from it, as an installed user would."""
    hatchling = pytest.importorskip("hatchling.builders.wheel")
    root = Path(__file__).resolve().parents[2]
    wheel = Path(next(iter(hatchling.WheelBuilder(str(root)).build(directory=str(tmp_path), versions=["standard"]))))
    with zipfile.ZipFile(wheel) as archive:
        assert {f"taizhang/extract/data/{t}" for t in TABLES} <= set(archive.namelist())
    code = "from taizhang.extract.gazetteer import gazetteer; print(gazetteer().find('光谷').short)"
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(wheel)!r}); {code}"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "东湖高新区"


def test_an_issuer_is_read_outside_its_parenthesis() -> None:
    """A sidecar's issuer may name the speaker in brackets; a person's name is no place
    (罗东川 contains 东川, a district of Kunming)."""
    from taizhang.extract.subjects import document_subject

    assert document_subject("", {"issuer": "青海省人民政府（省长 罗东川）"}) == "青海"
    assert document_subject("", {"issuer": "河北省保定市涞源县人民政府"}) == "涞源"


def test_a_news_medium_is_not_the_unit_it_reports_on() -> None:
    """新华网海南频道 reports on a district of Haikou: the unit is the one it names after 报道,
    or the sidecar's region; never the medium's own place."""
    from taizhang.extract.subjects import document_subject

    meta = {"issuer": "新华网海南频道（报道海口市美兰区第八届人大第五次会议）", "region": "海南省海口市美兰区"}
    assert document_subject("", meta) == "美兰"
    assert document_subject("", {"issuer": "新华网海南频道", "region": "海南省海口市美兰区"}) == "美兰"
    zone = {"issuer": "株洲日报，报道株洲经开区党工委(扩大)会议", "region": "湖南省株洲市"}
    assert document_subject("", zone) == "株洲经开区"


def test_a_town_in_the_region_is_the_unit_as_printed() -> None:
    """Towns are below the gazetteer's units: a sidecar region ending in one (…惠民县皂户李镇)
    names the town, kept as printed."""
    from taizhang.extract.subjects import document_subject

    meta = {"issuer": "惠民县政府新闻办", "region": "山东省滨州市惠民县皂户李镇", "level": "town"}
    assert document_subject("", meta) == "皂户李镇"
    assert document_subject("", {"region": "河北省保定市涞源县"}) == "涞源"


def test_an_autonomous_prefecture_or_county_is_named_without_its_nationalities() -> None:
    """黔东南苗族侗族自治州 → 黔东南, as GUIDELINES' 宁夏回族自治区 → 宁夏 (and as people say it)."""
    from taizhang.extract.gazetteer import short_name

    assert short_name("黔东南苗族侗族自治州") == "黔东南"
    assert short_name("海西蒙古族藏族自治州") == "海西"
    assert short_name("琼中黎族苗族自治县") == "琼中"
    assert short_name("恩施土家族苗族自治州") == "恩施"
    assert short_name("宁夏回族自治区") == "宁夏"


def test_a_zone_takes_its_usual_short_name() -> None:
    """GUIDELINES: development zones keep their usual short name (东台经济开发区 → 东台经开区)."""
    from taizhang.extract.subjects import document_subject

    assert document_subject("", {"region": "江苏省盐城市东台经济开发区"}) == "东台经开区"
    assert document_subject("", {"region": "江苏省南通市如皋高新技术产业开发区"}) == "如皋高新区"


def test_zone_named_after_a_place_the_gazetteer_does_not_hold() -> None:
    """万盛 (a district merged away in 2011) is no unit of the gazetteer: its zone is still
    万盛经开区, not the bare 经开 of another city's page."""
    from taizhang.extract.subjects import document_subject

    assert document_subject("", {"issuer": "重庆市万盛经开区管委会办公室"}) == "万盛经开区"
    assert document_subject("", {"issuer": "株洲经开区管委会"}) == "株洲经开区"


def test_a_banner_and_a_league_keep_their_suffix() -> None:
    """GUIDELINES §4 drops 省, 市, 县, 区 and the autonomous regions' suffixes, not 旗 and 盟."""
    from taizhang.extract.gazetteer import short_name

    assert short_name("新巴尔虎左旗") == "新巴尔虎左旗"
    assert short_name("阿拉善盟") == "阿拉善盟"
    assert short_name("呼伦贝尔市") == "呼伦贝尔"


def test_a_zone_under_its_city_in_the_metadata_is_the_issuer() -> None:
    """吉林省长春市净月高新区: a zone named after a place the gazetteer does not hold is the unit,
    with its zone's usual short form (经济技术开发区 → 经开区)."""
    from taizhang.extract.subjects import document_subject

    assert document_subject("", {"region": "吉林省长春市净月高新区"}) == "净月高新区"
    assert document_subject("", {"region": "重庆市万盛经济技术开发区"}) == "万盛经开区"
    assert document_subject("", {"region": "浙江省杭州市"}) == "杭州"
