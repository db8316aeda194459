"""Reported results (facts): what a document says was achieved, for which period.

A work report's review ("2025年全省地区生产总值增长5.4%", "城镇新增就业68万人") reports the
results of last year's targets; a bulletin reports a period so far (上半年增长5.2%). The
extractor decides, for every quantity, whether it is a target; the quantities it rejects *for
being facts* are the results. This module reads them from `pipeline.analyse` (it never
re-decides what is a fact) and adds what a result needs to be compared with a target:

- the **indicator**, in the document's words (the noun before the number: 地区生产总值 in
  "全省地区生产总值5.3万亿元、增长5.5%" for both numbers);
- the **kind** and sign: 增长5.5% is a growth rate, 下降17% a negative one, 占比33.5% a share;
- the **period** it reports: a year named before the number in its sentence (2025年…), a part
  of the year (上半年), a multi-year average (年均, 累计, a 这五年 paragraph: the plan period
  before the document's year), else, in a work report, the year before the report.

Spans are code-point offsets into the text given, like every span of the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from taizhang.extract.deadlines import find_deadlines
from taizhang.extract import rules
from taizhang.extract.layout import repair
from taizhang.extract.lexicon import or_regex
from taizhang.extract.lexicon.cues import GROWTH_DOWN, GROWTH_UP
from taizhang.extract.pipeline import Candidate, analyse, extract_targets
from taizhang.extract.structure import document_date
from taizhang.types import Comparator, Span, Target

# The extractor's reasons for rejecting a quantity as a fact (classify.py, pipeline.py).
FACT_RULES = frozenset(f"reject:{name}" for name in rules.FACT_RULES)

_QUOTE_REACH = 60  # characters of the clause kept on each side of the value
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")
_GROWTH = re.compile(or_regex(GROWTH_UP + GROWTH_DOWN))
_DOWN = frozenset(GROWTH_DOWN)
# 年均增长, 累计下降, 这五年…: the number reports a plan period, not one year
_MULTI_YEAR = re.compile(r"年均|年平均|累计|五年来|这五年|过去五年|十四五|十三五")
_MULTI_YEAR_PARAGRAPH = re.compile(r"^[\s“]*(?:这五年|过去五年|五年来|“?十[三四五]五”?(?:时期|期间|以来))")
# what stands between an indicator and its number: verbs, comparators, connectives
_LEAD = re.compile(
    r"^(?:[，、\s“”]|全年|今年|去年|上年|其中|同时|分别|实现|完成|达到|达|为|是|共|累计|合计|年均|"
    r"全[省市区县州盟国]|我[省市区县]|[省市区县]|\d{4}年(?:的|全年)?|前?三季度|上半年|一季度|1—\d+月|1-\d+月)+"
)
_TAIL = re.compile(
    r"(?:比上年|比去年|同比|较上年|分别|累计|年均|年平均|实现|完成|达到|达|为|是|至|到|超过|超|突破|增至|降至|提高到|提升至|"
    r"提高|提升|增长|增速|增幅|涨幅|上涨|增加|下降|降低|减少|回落|跃升|跨越|稳定在|保持在|控制在|约|近|的|了|\s)+$"
)
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是")
# a level reached (a stock: 总数达, 达到, 提高到), not an amount added over the period
_STOCK = re.compile(r"(?:达到|总数达|总量达|提高到|提升至|提升到|增至|跃升至)$")
_FLOW = re.compile(r"新增|新建|完成|累计|引进|培育|创建|建成|改造")
_GROWTH_GAP = re.compile(r"率|速|幅|为|了|超过|超|突破|达到|达|约|近|左右|以上|分别|\s")
_FROM = re.compile(r"[从由](?=[^、，]*\d).*$")


@dataclass(frozen=True, slots=True)
class Result:
    """A reported figure: who, what, how much, for which period, and where it is printed."""

    subject: str | None
    indicator: str  # in the document's words
    value: Decimal  # signed for growth (下降17% → -17)
    unit: str
    comparator: Comparator  # approx for 约/左右, gt for 超, else eq
    kind: str  # growth | share | level
    period_start: date | None
    period_end: date | None
    value_text: str
    value_span: Span
    quote: str
    quote_span: Span
    value_max: Decimal | None = None
    rules: tuple[str, ...] = field(default=(), compare=False)

    @property
    def year(self) -> int | None:
        """The year of a result that covers one whole year (or a part of one)."""
        if self.period_end is None or self.period_start is None:
            return None
        return self.period_end.year if self.period_start.year == self.period_end.year else None

    @property
    def full_year(self) -> bool:
        s, e = self.period_start, self.period_end
        return s is not None and e is not None and (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "indicator": self.indicator,
            "value": _number(self.value),
            "value_max": _number(self.value_max) if self.value_max is not None else None,
            "unit": self.unit,
            "comparator": self.comparator.value,
            "kind": self.kind,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "value_text": self.value_text,
            "value_span": [self.value_span.start, self.value_span.end],
            "quote": self.quote,
            "quote_span": [self.quote_span.start, self.quote_span.end],
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True)
class Findings:
    """What one document commits to (targets) and what it reports (results)."""

    targets: list[Target]
    results: list[Result]
    date: date | None  # the reference date used (given, the sidecar's, or the text's own)


def extract_findings(
    text: str,
    *,
    date: date | None = None,
    subject: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Findings:
    """Targets (as `extract_targets` gives them) and results of one document."""
    when = date or meta_date(meta) or document_date(text)
    targets = extract_targets(text, date=when, subject=subject, meta=meta)
    return Findings(targets, extract_results(text, date=when, subject=subject, meta=meta), when)


def extract_results(
    text: str,
    *,
    date: date | None = None,
    subject: str | None = None,
    meta: dict[str, Any] | None = None,
) -> list[Result]:
    """The results a document reports (see the module docstring)."""
    doc_date = date or meta_date(meta) or document_date(text)
    report = (meta or {}).get("genre") == "work_report" or "政府工作报告" in text[:3000]
    analysis, omap = repair(text)
    out = []
    seen: set[tuple[str, str, str]] = set()  # a passage printed twice reports once
    for c in analyse(text, date=doc_date, subject=subject, meta=meta):
        if c.target is not None or not FACT_RULES.intersection(c.decision.rules):
            continue
        result = _result(c, analysis, text, omap, doc_date, report)
        if result is None:
            continue
        key = (result.indicator, result.value_text, result.quote)
        if key not in seen:
            seen.add(key)
            out.append(result)
    return out


def _result(c: Candidate, text: str, original: str, omap: Any, doc_date: date | None, report: bool) -> Result | None:
    q = c.quantity
    ss, se = c.sentence
    cs = max(ss, _clause_start(text, ss, q.start))
    ce = _clause_end(text, q.end, se)
    before = text[cs : q.start]
    indicator, growth = _indicator(before)
    if len(indicator) < 2:
        return None
    value, value_max, kind = q.value, q.value_max, "level"
    if q.unit in ("%", "个百分点", "倍") and growth:
        kind = "growth"
        if growth in _DOWN:
            value = -q.value
            value_max = -q.value_max if q.value_max is not None else None
            if value_max is not None:
                value, value_max = value_max, value
    elif q.unit == "%":
        kind = "share"
    comparator = q.comparator if q.comparator in (Comparator.APPROX, Comparator.GT, Comparator.GE, Comparator.RANGE) else Comparator.EQ
    start, end, period_rule = _period(text, q.start, (ss, se), before, doc_date, report)
    vs, ve = omap.span_to_original(q.start, q.end)
    qs, qe = omap.span_to_original(max(cs, q.start - _QUOTE_REACH), min(ce, q.end + _QUOTE_REACH))
    return Result(
        subject=c.subject,
        indicator=indicator,
        value=value,
        value_max=value_max,
        unit=q.unit,
        comparator=comparator,
        kind=kind,
        period_start=start,
        period_end=end,
        value_text=original[vs:ve],
        value_span=Span(vs, ve),
        quote=original[qs:qe].strip(),
        quote_span=Span(qs, qe),
        rules=(*c.decision.rules, period_rule),
    )


def _clause_start(text: str, lo: int, pos: int) -> int:
    for i in range(pos - 1, max(lo, pos - 200) - 1, -1):
        if _CLAUSE_BREAK.match(text, i):
            return i + 1
    return max(lo, pos - 200)


def _clause_end(text: str, pos: int, hi: int) -> int:
    m = _CLAUSE_BREAK.search(text, pos, hi)
    return m.start() if m else hi


_NUMBERS = re.compile(r"[0-9０-９.．,，]+(?:万亿|亿|万|千)?[\u4e00-\u9fff%％]{0,3}?(?=[、和及与]|$)")


def _indicator(before: str) -> tuple[str, str | None]:
    """(indicator, growth word) from the clause text before the number.

    >>> _indicator("全省地区生产总值5.3万亿元、增长")
    ('地区生产总值', '增长')
    >>> _indicator("单位地区生产总值能耗下降")
    ('单位地区生产总值能耗', '下降')
    >>> _indicator("2025年全省地区生产总值增长")
    ('地区生产总值', '增长')
    """
    growth = None
    last = None
    for m in _GROWTH.finditer(before):
        last = m
    if last is not None:
        rest = before[last.end() :]
        if not rest.startswith(("到", "至")) and not _GROWTH_GAP.sub("", rest):
            growth = last.group()
    before = _FROM.sub("", before)  # 从2020年的3.68万亿元增长到2025年的…: the indicator is before 从
    segments = before.split("、")
    phrase = segments[-1] if segments else ""
    core = _clean(phrase)
    if len(core) < 2 and len(segments) > 1:
        # 地区生产总值5.3万亿元、增长5.5%: the rate belongs to the noun of the previous item
        core = _clean(re.sub(r"[0-9０-９.．,，]+.*$", "", segments[-2]))
    return core, growth


def _clean(phrase: str) -> str:
    phrase = _ORDINAL.sub("", phrase.strip())
    for _ in range(3):
        new = _TAIL.sub("", _LEAD.sub("", phrase))
        if new == phrase:
            break
        phrase = new
    return phrase.strip("“”\"' 　")


def _period(
    text: str, pos: int, sentence: tuple[int, int], before: str, doc_date: date | None, report: bool
) -> tuple[date | None, date | None, str]:
    """[start, end] of the period a result reports, and the rule that decided it."""
    if doc_date is None:
        return None, None, "period:unknown"
    ss, _ = sentence
    paragraph = text[text.rfind("\n", 0, ss) + 1 : ss + 12]
    sentence_before = text[ss:pos]
    clause = [p for p in find_deadlines(text, pos - len(before), pos, doc_date) if p.rule == "到<year>年" and p.due]
    if clause and clause[-1].due is not None and clause[-1].due.month == 12:
        due = clause[-1].due
        return date(due.year, 1, 1), due, "period:<year>年"
    if re.search(r"[从由][^、，]*\d[^、，]*[到至]$", before) and _MULTI_YEAR_PARAGRAPH.match(paragraph):
        # 从3826.5亿元增长到4398.6亿元 in a 这五年 paragraph: the level at the end of the period
        year = doc_date.year - 1 if report else doc_date.year
        return date(year, 1, 1), date(year, 12, 31), "period:end of the plan period"
    if _MULTI_YEAR_PARAGRAPH.match(paragraph) and not _MULTI_YEAR.search(before) and _STOCK.search(before) and not _FLOW.search(before):
        # 这五年…国家科技型中小企业达到2912家: a stock reached is measured at the period's end
        # (a flow over the five years reads 新增, 累计, 完成, 年均)
        year = doc_date.year - 1 if report else doc_date.year
        return date(year, 1, 1), date(year, 12, 31), "period:stock at the end of the plan period"
    if _MULTI_YEAR.search(before) or _MULTI_YEAR_PARAGRAPH.match(paragraph) or "年均" in sentence_before:
        end_year = doc_date.year - 1 if report else doc_date.year
        return date(end_year - 4, 1, 1), date(end_year, 12, 31), "period:multi-year"
    phrases = [p for p in find_deadlines(text, ss, pos, doc_date) if p.due is not None]
    if phrases:
        p = phrases[-1]
        due = p.due
        assert due is not None
        if p.rule == "到<year>年" and due.month == 12 and due.day == 31:
            return date(due.year, 1, 1), due, "period:<year>年"
        if p.rule in ("<part of year>", "<month>月底前") and due <= doc_date:
            return date(due.year, 1, 1), due, "period:part of year"
    if report:
        year = doc_date.year - 1
        return date(year, 1, 1), date(year, 12, 31), "period:report reviews the last year"
    return None, None, "period:unknown"


def meta_date(meta: dict[str, Any] | None) -> date | None:
    """A sidecar's date: 2024-06-28, 2024-06 (→ the 28th) or 2016 (→ 31 Dec), as the scorer reads it."""
    raw = str((meta or {}).get("date") or "")
    try:
        if len(raw) == 4:
            return date(int(raw), 12, 31)
        if len(raw) == 7:
            return date.fromisoformat(raw + "-28")
        return date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        return None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


__all__ = ["FACT_RULES", "Findings", "Result", "extract_findings", "extract_results", "meta_date"]
