"""Promise versus delivery in the ledger: proposals from a later report, confirmed by a person."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from taizhang.errors import LedgerError, NotFound
from taizhang.ledger import session_scope
from taizhang.ledger.ingest import ingest_paths
from taizhang.ledger.models import AuditLog, ProgressReport, ProposedResult
from taizhang.research.ledger_results import confirm_result, list_proposals, propose_results, reject_result

REPORT_2025 = """政府工作报告
——2025年1月13日在河北省第十四届人民代表大会第三次会议上
各位代表：
一、2024年工作回顾
全省生产总值增长5.4%。
二、2025年主要预期目标
今年经济社会发展的主要预期目标是：地区生产总值增长5%以上，城镇调查失业率控制在5.5%左右，城镇新增就业86万人。
"""
REPORT_2026 = """政府工作报告
——2026年1月26日在河北省第十四届人民代表大会第四次会议上
各位代表：
一、2025年工作回顾
刚刚过去的2025年，全省生产总值增长5.6%，城镇新增就业80万人。
二、2026年主要预期目标
主要预期目标是：地区生产总值增长5%以上。
"""


@pytest.fixture
def two_reports(engine: Engine, tmp_path: Path) -> Engine:
    for name, text, day in (("hebei-2025", REPORT_2025, "2025-01-13"), ("hebei-2026", REPORT_2026, "2026-01-26")):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        meta = {"title": name, "region": "河北省", "level": "province", "date": day, "genre": "work_report"}
        (tmp_path / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    results = ingest_paths(engine, [tmp_path], actor="tester")
    assert [r.status for r in results] == ["added", "added"]
    return engine


def test_results_of_the_next_report_are_proposed_with_a_verdict(two_reports: Engine) -> None:
    with session_scope(two_reports, actor="tester") as s:
        summary = propose_results(s)
        assert summary.documents == 2 and len(summary.proposed) == 2
        found = {(p.target.indicator, float(p.value), p.verdict) for p in list_proposals(s)}
    assert found == {("地区生产总值", 5.6, "met"), ("城镇新增就业", 800000.0, "not_met")}
    with session_scope(two_reports, actor="tester") as s:  # proposing again adds nothing
        assert propose_results(s).proposed == []
        assert s.scalars(select(ProgressReport)).all() == []  # nothing counts before a person confirms


def test_confirming_makes_a_progress_report_quoting_the_document(two_reports: Engine) -> None:
    with session_scope(two_reports, actor="tester") as s:
        ids = propose_results(s).proposed
    with session_scope(two_reports, actor="supervisor") as s:
        gdp = next(p for p in list_proposals(s) if p.target.indicator == "地区生产总值")
        report = confirm_result(s, gdp.id, reporter="supervisor", today=date(2026, 3, 1))
        assert (report.value, report.as_of) == (Decimal("5.6"), date(2025, 12, 31))
        assert report.note.startswith("实绩（hebei-2026，2026-01-26）：") and "全省生产总值增长5.6%" in report.note
        assert gdp.state == "confirmed" and gdp.progress_report_id == report.id
        other = next(i for i in ids if i != gdp.id)
        assert reject_result(s, other).state == "rejected"
    with session_scope(two_reports, actor="tester") as s:
        with pytest.raises(LedgerError, match="already confirmed"):
            confirm_result(s, gdp.id)
        with pytest.raises(NotFound):
            confirm_result(s, 999)
        with pytest.raises(LedgerError, match="unknown state"):
            list_proposals(s, state="maybe")
        assert [p.state for p in list_proposals(s, state="rejected")] == ["rejected"]
        assert s.scalars(select(AuditLog).where(AuditLog.entity == "proposed_results")).first() is not None


def test_a_proposal_goes_with_its_target(two_reports: Engine) -> None:
    with session_scope(two_reports, actor="tester") as s:
        propose_results(s)
        target = list_proposals(s)[0].target
        s.delete(target)
    with session_scope(two_reports, actor="tester") as s:
        assert len(s.scalars(select(ProposedResult)).all()) == 1
