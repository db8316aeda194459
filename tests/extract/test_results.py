"""Reported results (facts): indicator, value, kind, period and spans, by example."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal

import pytest

from taizhang.extract import results as mod
from taizhang.extract.results import extract_findings, extract_results

REPORT = "政府工作报告\n一、2025年工作回顾\n"
WHEN = date(2026, 1, 26)


def one(text: str, indicator: str, unit: str, when: date = WHEN) -> mod.Result:
    found = [r for r in extract_results(text, date=when, subject="河北") if (r.indicator, r.unit) == (indicator, unit)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "indicator", "value", "unit", "kind"),
    [
        ("全省生产总值增长5.6%，一般公共预算收入增长2%。", "生产总值", "5.6", "%", "growth"),
        ("全省生产总值增长5.6%，一般公共预算收入增长2%。", "一般公共预算收入", "2", "%", "growth"),
        ("全省地区生产总值5.3万亿元、增长5.5%。", "地区生产总值", "5.5", "%", "growth"),
        ("单位地区生产总值能耗下降3.1%。", "单位地区生产总值能耗", "-3.1", "%", "growth"),
        ("城镇新增就业89.9万人。", "城镇新增就业", "899000", "人", "level"),
        ("服务业增加值占地区生产总值比重达54%。", "服务业增加值占地区生产总值比重", "54", "%", "share"),
    ],
)
def test_a_review_reports_last_year(sentence: str, indicator: str, value: str, unit: str, kind: str) -> None:
    r = one(REPORT + sentence, indicator, unit)
    assert (r.value, r.unit, r.kind) == (Decimal(value), unit, kind)
    assert (r.period_start, r.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert r.subject == "河北" and r.year == 2025 and r.full_year


def test_a_named_year_decides_the_period() -> None:
    text = REPORT + "全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元。"
    found = extract_results(text, date=WHEN, subject="河北")
    assert [(r.indicator, r.period_end.year if r.period_end else None) for r in found] == [("生产总值", 2020), ("生产总值", 2025)]


def test_five_year_averages_cover_the_plan_period() -> None:
    text = "政府工作报告\n一、“十四五”时期回顾\n这五年，地区生产总值年均增长5.6%，城镇新增就业452万人。"
    for r in extract_results(text, date=WHEN, subject="河北"):
        assert (r.period_start, r.period_end) == (date(2021, 1, 1), date(2025, 12, 31)), r
        assert r.year is None


def test_a_bulletin_reports_part_of_the_year() -> None:
    text = "上半年全市经济运行情况\n上半年，全市地区生产总值增长5.2%。"
    r = one(text, "地区生产总值", "%", date(2026, 7, 20))
    assert (r.period_start, r.period_end) == (date(2026, 1, 1), date(2026, 6, 30)) and not r.full_year


def test_targets_are_not_results() -> None:
    text = REPORT + "全省生产总值增长5.6%。\n二、2026年主要预期目标\n地区生产总值增长5%以上。"
    findings = extract_findings(text, date=WHEN, subject="河北")
    assert [t.value for t in findings.targets] == [Decimal(5)]
    assert [r.value for r in findings.results] == [Decimal("5.6")]
    assert findings.date == WHEN


def test_spans_point_into_the_original_text_across_repaired_line_breaks() -> None:
    # a line broken inside a sentence (PDF columns) is joined for analysis only
    text = REPORT + "过去一年，我们顶住压力，全省规上工业增加\n值增长7.9%，固定资产投资增长6.1%。"
    found = extract_results(text, date=WHEN, subject="河北")
    assert found, "no result"
    for r in found:
        assert text[r.value_span.start : r.value_span.end] == r.value_text
        assert text[r.quote_span.start : r.quote_span.end].strip() == r.quote
    assert {r.value_text for r in found} == {"7.9%", "6.1%"}


def test_a_passage_printed_twice_reports_once() -> None:
    body = "全省生产总值增长5.6%，一般公共预算收入增长2%。\n"
    assert len(extract_results(REPORT + body + body, date=WHEN, subject="河北")) == 2


def test_docstring_examples() -> None:
    result = doctest.testmod(mod)
    assert result.attempted > 0 and result.failed == 0


def test_a_stock_reached_in_a_five_year_paragraph_is_the_level_at_its_end() -> None:
    text = "政府工作报告\n一、“十四五”时期回顾\n这五年，国家科技型中小企业达到2912家、增长456%，新增高新技术企业800家。"
    periods = {r.value_text: (r.period_start, r.period_end) for r in extract_results(text, date=WHEN, subject="保定")}
    assert periods["2912家"] == (date(2025, 1, 1), date(2025, 12, 31))
    assert periods["456%"] == periods["800家"] == (date(2021, 1, 1), date(2025, 12, 31))
