"""The status of a few ledger targets without computing the whole ledger (a target's page).

Builds the rules' inputs from ORM objects, so that callers (web, CLI) never copy the field
mapping by hand and drift from the ledger-wide query; `test_single.py` holds the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from taizhang.ledger.models import ProgressReport, Target
from taizhang.track.model import Report, TargetFacts, TargetStatus
from taizhang.track.oracle import Judge, status_of
from taizhang.track.rules import Rules, load_rules


def target_facts(target: Target) -> TargetFacts:
    """The fields of a ledger target that its status depends on."""
    return TargetFacts(
        id=target.id,
        value=float(target.value),
        comparator=target.comparator,
        kind=target.kind,
        value_max=None if target.value_max is None else float(target.value_max),
        deadline=target.deadline,
        recurring=target.recurring or None,
        baseline=None if target.baseline_value is None else float(target.baseline_value),
        baseline_date=target.baseline_date,
        doc_date=target.document.date,
        indicator=target.indicator,
        unit=target.unit,
    )


def target_report(report: ProgressReport) -> Report:
    """A progress report as the rules read it (evidence: the stored file, else its name)."""
    path = (report.evidence_path or "").strip()
    return Report(report.id, report.as_of, float(report.value), path or report.evidence_name)


def statuses_of_targets(
    targets: Iterable[Target], as_of: date, *, rules: Rules | None = None
) -> list[TargetStatus]:
    """Status of each given target (load `Target.progress` and `Target.document` eagerly)."""
    rules = rules or load_rules()
    judge = Judge(as_of, rules)
    out = []
    for target in targets:
        reports = [target_report(p) for p in target.progress]
        status = status_of(target_facts(target), reports, as_of, rules, judge=judge)
        name = target.responsible.name if target.responsible else target.subject
        out.append(status._replace(unit_name=name, unit_id=target.unit_id))
    return out
