"""The standard indicator table (extract/data/indicators.tsv), tested by example."""

from __future__ import annotations

import doctest

import pytest

from taizhang.extract import indicators as mod
from taizhang.extract.indicators import indicators, normalise_wording, standard_key

REQUIRED = (
    "gdp_growth", "fiscal_revenue_growth", "fai_growth", "retail_sales_growth", "urban_jobs",
    "unemployment_rate", "cpi", "income_growth", "grain_output", "energy_intensity", "co2_intensity",
    "rd_intensity",
)
_KIND = {"growth": ("%", "growth"), "share": ("%", "share")}

# (wording as extracted from a document, unit, kind) → key; from the 2026 provincial reports
EXAMPLES = [
    ("地区生产总值", "%", "growth", "gdp_growth"),
    ("全省地区生产总值年均", "%", "growth", "gdp_growth"),
    ("全市生产总值", "%", "growth", "gdp_growth"),
    ("经济", "%", "growth", "gdp_growth"),
    ("GDP", "%", "growth", "gdp_growth"),
    ("地区生产总值", "元", "level", "gdp"),
    ("一般公共预算收入", "%", "growth", "fiscal_revenue_growth"),
    ("地方一般公共预算收入", "%", "growth", "fiscal_revenue_growth"),
    ("固定资产投资", "%", "growth", "fai_growth"),
    ("社会消费品零售总额", "%", "growth", "retail_sales_growth"),
    ("城镇新增就业", "人", "increment", "urban_jobs"),
    ("城镇调查失业率", "%", "share", "unemployment_rate"),
    ("城镇调查失业率控制在", "%", "share", "unemployment_rate"),
    ("居民消费价格", "%", "growth", "cpi"),
    ("居民消费价格指数", "%", "growth", "cpi"),
    ("居民消费价格涨幅", "%", "share", "cpi"),
    ("居民人均可支配收入", "%", "growth", "income_growth"),
    ("城乡居民人均可支配收入分别", "%", "growth", "income_growth"),
    ("粮食产量", "斤", "level", "grain_output"),
    ("粮食总产量", "吨", "level", "grain_output"),
    ("单位地区生产总值能耗", "%", "growth", "energy_intensity"),
    ("单位地区生产总值二氧化碳排放", "%", "growth", "co2_intensity"),
    ("全社会研发经费投入强度", "%", "share", "rd_intensity"),
    ("全社会研发投入强度", "%", "share", "rd_intensity"),
    ("全社会研发经费投入年均", "%", "growth", "rd_growth"),
    ("规上工业增加值", "%", "growth", "above_scale_industry_growth"),
    ("规模以上工业增加值", "%", "growth", "above_scale_industry_growth"),
    ("常住人口城镇化率提升至", "%", "share", "urbanization_rate"),
    ("人均预期寿命提高到", "岁", "level", "life_expectancy"),
    ("进出口总值", "%", "growth", "trade_growth"),
]
# wordings that must keep their own words (no key): other measures, other nouns
NEGATIVE = [
    ("海洋生产总值", "%", "growth"),
    ("数字经济核心产业增加值", "%", "growth"),
    ("新建5G基站", "个", "increment"),
    ("地区生产总值", "个百分点", "growth"),
    ("城镇新增就业", "%", "growth"),
    ("粮食产量", "元", "level"),
]


@pytest.mark.parametrize(("wording", "unit", "kind", "key"), EXAMPLES, ids=[e[0] + e[1] for e in EXAMPLES])
def test_wording_maps_to_key(wording: str, unit: str, kind: str, key: str) -> None:
    assert standard_key(wording, unit=unit, kind=kind) == key


@pytest.mark.parametrize(("wording", "unit", "kind"), NEGATIVE, ids=[n[0] + n[1] for n in NEGATIVE])
def test_other_wording_keeps_its_words(wording: str, unit: str, kind: str) -> None:
    assert standard_key(wording, unit=unit, kind=kind) is None


def test_table_has_at_least_40_keys_and_the_required_ones() -> None:
    keys = [i.key for i in indicators()]
    assert len(keys) >= 40 and len(set(keys)) == len(keys)
    assert set(REQUIRED) <= set(keys)


@pytest.mark.parametrize("ind", indicators(), ids=lambda i: i.key)
def test_every_wording_of_the_table_maps_to_its_own_key(ind: mod.Indicator) -> None:
    """By example: each wording, printed with a scope word and a verb as documents print it."""
    unit, kind = _KIND.get(ind.measure, (ind.unit, "level"))
    for wording in ind.wordings:
        assert standard_key(wording, unit=unit, kind=kind) == ind.key, wording
        assert standard_key(f"全省{wording}年均", unit=unit, kind=kind) == ind.key, wording


def test_normalise_wording() -> None:
    assert normalise_wording("我市“城镇新增就业”") == "城镇新增就业"


def test_docstring_examples() -> None:
    result = doctest.testmod(mod)
    assert result.attempted > 0 and result.failed == 0
