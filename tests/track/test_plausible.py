"""Issue 8 (3): a report of 1,200 on a 6 % target gave 完成率 20000 % and 已完成. Reports of
the wrong magnitude for their target are refused, with a reason, wherever they come in."""

from __future__ import annotations

import doctest
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from taizhang.cli import cli
from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.models import ProgressReport
from taizhang.ledger.progress import add_progress, import_progress
from taizhang.track import plausible
from taizhang.track.model import TargetFacts
from taizhang.track.plausible import implausible

from . import ledgerdata as ld


@pytest.mark.parametrize(
    ("value", "target", "unit", "kind", "baseline"),
    [
        (1200, 6, "%", "growth", None),  # a level typed into a growth rate
        (-250, -2.5, "%", "growth", None),  # 下降2.5%: a fall of 250 % is no rate either
        (150, 60, "%", "share", None),  # no share is more than the whole
        (1500, 150_000_000_000, "元", "level", None),  # 1500亿 typed as 1500
        (30, 3_000_000_000, "元", "increment", None),  # 30亿 typed as 30
        (12_000_000, 1200, "家", "level", None),  # a thousand times too many firms
        (5.8, 1000, "元", "growth", 1000),  # a growth target with a baseline takes levels
    ],
)
def test_wrong_magnitudes_are_named(value: float, target: float, unit: str, kind: str,
                                    baseline: float | None) -> None:
    assert implausible(value, target=target, unit=unit, kind=kind, baseline=baseline)


@pytest.mark.parametrize(
    ("value", "target", "unit", "kind", "baseline"),
    [
        (5.8, 6, "%", "growth", None),
        (-3.1, -2.5, "%", "growth", None),
        (120, 200, "%", "growth", None),  # a fast growth rate is still a rate
        (0, 1200, "家", "level", None),  # nothing yet is a value
        (3, 40_000, "人", "increment", None),  # a slow January
        (1100, 1200, "家", "level", 1000),
        (1058, 5, "%", "growth", 1000),  # a level near the baseline of a growth target
    ],
)
def test_ordinary_reports_pass(value: float, target: float, unit: str, kind: str,
                               baseline: float | None) -> None:
    assert implausible(value, target=target, unit=unit, kind=kind, baseline=baseline) is None


def test_docstring_examples() -> None:
    result = doctest.testmod(plausible)
    assert result.attempted > 0 and result.failed == 0


def growth_target(session: Session) -> int:
    doc = ld.document(session, date(2024, 2, 1))
    row = ld.target(session, doc, ld.unit(session, "江阴"), TargetFacts(
        id=0, value=6.0, comparator="approx", kind="growth", deadline=date(2024, 12, 31),
        indicator="地区生产总值增长", unit="%"))
    session.commit()
    return row.id


def reports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ProgressReport)) or 0


def test_the_ledger_refuses_them(session: Session) -> None:
    tid = growth_target(session)
    with pytest.raises(LedgerError, match=f"value 1,200 is not plausible for target {tid}: "
                                          "a rate in %"):
        add_progress(session, target_id=tid, value="1200", as_of="2024-09-30")
    add_progress(session, target_id=tid, value="5.8", as_of="2024-09-30")
    assert reports(session) == 1


def test_imports_list_them_as_row_errors(session: Session, tmp_path: Path) -> None:
    tid = growth_target(session)
    sheet = tmp_path / "q3.csv"
    sheet.write_text(f"目标编号,完成值,截至日期\n{tid},5.8,2024-09-30\n{tid},1200,2024-09-30\n",
                     encoding="utf-8")
    with pytest.raises(ImportFormatError) as info:
        import_progress(session, sheet)
    assert [n for n, _ in info.value.row_errors] == [3]
    assert "not plausible" in info.value.row_errors[0][1]
    assert reports(session) == 0
    done = import_progress(session, sheet, skip_invalid=True)
    assert len(done.added) == 1


def test_the_cli_says_why(engine: Engine) -> None:
    with Session(engine) as session:
        tid = growth_target(session)
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["progress", "add", str(tid), "1200", "--as-of",
                                      "2024-09-30", "--db", url])
    assert result.exit_code == 1
    assert "not plausible" in result.output and "a rate in %" in result.output
    assert Decimal(5.8)  # the same command with a rate works
    ok = CliRunner().invoke(cli, ["progress", "add", str(tid), "5.8", "--as-of", "2024-09-30",
                                  "--db", url])
    assert ok.exit_code == 0, ok.output
