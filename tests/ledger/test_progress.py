from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import AuditLog, ProgressReport, Target
from taizhang.ledger.progress import add_progress, import_progress
from taizhang.ledger.repository import latest_progress, review_target
from taizhang.ledger.testing import make_target
from taizhang.types import Comparator

TODAY = date(2024, 12, 1)


@pytest.fixture
def stored(session: Session) -> Session:
    store_document(
        session,
        text="doc",
        source="a.txt",
        targets=[make_target(), make_target("新招引重大项目数", "3")],
    )
    session.commit()
    return session


def reports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ProgressReport)) or 0


def test_add_progress_and_latest(stored: Session, tmp_path: Path) -> None:
    evidence = tmp_path / "q2.pdf"
    evidence.write_bytes(b"%PDF")
    add_progress(
        stored, target_id=1, value="650", as_of="2024-06-30", evidence=evidence, today=TODAY
    )
    add_progress(
        stored,
        target_id=1,
        value=Decimal("900.5"),
        as_of=date(2024, 9, 30),
        note="三季度",
        today=TODAY,
    )
    add_progress(stored, target_id=1, value="640", as_of="2024-06-30", today=TODAY)
    latest = latest_progress(stored, [1, 2])
    assert list(latest) == [1]
    assert (latest[1].value, latest[1].note, latest[1].reporter) == (
        Decimal("900.5"),
        "三季度",
        "tester",
    )
    first = stored.get(ProgressReport, 1)
    assert first is not None and first.evidence_name == "q2.pdf"
    created = stored.scalars(
        select(AuditLog).where(AuditLog.entity == "progress_reports").order_by(AuditLog.id))
    # the second report of 2024-06-30 updated the first one instead of adding a twin
    assert [(a.entity_id, a.action) for a in created] == [(1, "create"), (2, "create"), (1, "update")]
    assert first.value == Decimal(640) and reports(stored) == 2


def test_add_progress_refuses_bad_input(stored: Session, tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="in the future"):
        add_progress(stored, target_id=1, value="1", as_of="2024-12-02", today=TODAY)
    with pytest.raises(LedgerError, match="evidence file .* does not exist"):
        add_progress(
            stored,
            target_id=1,
            value="1",
            as_of="2024-06-30",
            evidence=tmp_path / "missing.pdf",
            today=TODAY,
        )
    review_target(stored, target_id=2, reject=True)
    with pytest.raises(LedgerError, match="rejected"):
        add_progress(stored, target_id=2, value="1", as_of="2024-06-30", today=TODAY)


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_csv(stored: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv", "target,value,as_of,note\n1,650,2024-06-30,上半年\n2,1,2024/9/30,\n\n"
    )
    done = import_progress(stored, path, today=TODAY)
    assert len(done.added) == 2 and done.row_errors == ()
    assert latest_progress(stored, [2])[2].as_of == date(2024, 9, 30)


def test_import_xlsx_with_chinese_headers_under_a_title_row(
    stored: Session, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2024年三季度目标进展填报表"])
    sheet.append(["目标编号", "完成值", "截至日期", "备注"])
    sheet.append([1, 900, date(2024, 9, 30), "三季度"])
    sheet.append(["2", "2", "2024年9月30日", None])
    book.save(tmp_path / "p.xlsx")
    done = import_progress(stored, tmp_path / "p.xlsx", today=TODAY)
    assert len(done.added) == 2
    values = {t: r.value for t, r in latest_progress(stored, [1, 2]).items()}
    assert values == {1: Decimal(900), 2: Decimal(2)}


BAD = (
    "target,value,as_of,note\n"
    "1,650,2024-06-30,ok\n"
    "99,1,2024-06-30,no such target\n"
    "2,many,2024-06-30,not a number\n"
    "2,1,30/06/2024,bad date\n"
    "1,700,2025-01-01,future\n"
)


def test_one_bad_row_rejects_the_whole_file(stored: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD)
    with pytest.raises(ImportFormatError, match="4 invalid row") as info:
        import_progress(stored, path, today=TODAY)
    assert [n for n, _ in info.value.row_errors] == [3, 4, 5, 6]
    messages = [m for _, m in info.value.row_errors]
    assert "no target '99'" in messages[0] and "is not an amount" in messages[1]
    assert "expected a date" in messages[2] and "in the future" in messages[3]
    stored.flush()
    assert reports(stored) == 0


def test_skip_invalid_takes_the_valid_rows(stored: Session, tmp_path: Path) -> None:
    done = import_progress(
        stored, write_csv(tmp_path / "bad.csv", BAD), skip_invalid=True, today=TODAY
    )
    assert len(done.added) == 1 and len(done.row_errors) == 4
    assert reports(stored) == 1


def test_missing_columns_are_named(stored: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="as_of: as_of / 截至日期"):
        import_progress(stored, write_csv(tmp_path / "p.csv", "target,value\n1,2\n"), today=TODAY)
    with pytest.raises(ImportFormatError, match="expected a .csv or .xlsx"):
        import_progress(stored, write_csv(tmp_path / "p.txt", "x"), today=TODAY)


def test_importing_the_same_file_twice_stores_each_report_once(stored: Session, tmp_path: Path) -> None:
    """Defect: importing the same progress file twice stored every report twice."""
    path = write_csv(tmp_path / "q3.csv", "target,value,as_of,note\n1,650,2024-06-30,上半年\n2,1,2024-06-30,\n")
    first = import_progress(stored, path, today=TODAY)
    again = import_progress(stored, path, today=TODAY)
    assert (len(first.added), len(again.added), len(again.unchanged), again.updated) == (2, 0, 2, ())
    assert reports(stored) == 2
    changed = write_csv(tmp_path / "q3b.csv", "target,value,as_of,note\n1,700,2024-06-30,更正\n")
    third = import_progress(stored, changed, today=TODAY)
    assert (third.added, third.updated) == ((), (1,))
    assert (stored.get(ProgressReport, 1).value, reports(stored)) == (Decimal(700), 2)  # type: ignore[union-attr]


def test_amounts_as_people_write_them(session: Session, tmp_path: Path) -> None:
    """Defect: `progress add 9 1500亿` was refused; files and the CLI take 1500亿, 3,000万元…"""
    store_document(session, text="doc", source="a", targets=[
        make_target("地区生产总值", "600000000000", unit="元", subject="保定"),
        make_target("城镇新增就业", "12000", unit="人", subject="保定"),
        make_target("研发投入强度", "5", unit="%", subject="保定")])
    gdp = session.get(Target, 1)
    assert gdp is not None
    gdp.value_text = "6000亿元"
    add_progress(session, target_id=1, value="1500亿", as_of="2024-06-30", today=TODAY)
    add_progress(session, target_id=1, value="3,000万元", as_of="2024-07-31", today=TODAY)
    add_progress(session, target_id=1, value="2000", as_of="2024-08-31", today=TODAY)  # in 亿元
    add_progress(session, target_id=2, value="1.2万", as_of="2024-06-30", today=TODAY)
    add_progress(session, target_id=3, value="百分之五", as_of="2024-06-30", today=TODAY)
    values = [(r.target_id, r.value) for r in session.scalars(select(ProgressReport).order_by(ProgressReport.id))]
    assert values == [(1, Decimal("150000000000")), (1, Decimal("30000000")),
                      (1, Decimal("200000000000")), (2, Decimal(12000)), (3, Decimal(5))]
    with pytest.raises(LedgerError, match="is in 吨, the target is counted in 元"):
        add_progress(session, target_id=1, value="12吨", as_of="2024-06-30", today=TODAY)
    path = write_csv(tmp_path / "p.csv", "目标编号,完成值,单位,截至日期\n1,1800,亿元,2024-09-30\n1,1.9万亿,,2024-10-31\n")
    import_progress(session, path, today=TODAY)
    assert [r.value for r in session.scalars(select(ProgressReport).where(
        ProgressReport.as_of >= date(2024, 9, 30)).order_by(ProgressReport.as_of))] == [
        Decimal("180000000000"), Decimal("1900000000000")]


def test_a_unit_holding_a_magnitude_is_its_own_display_unit(session: Session, tmp_path: Path) -> None:
    """Defect (CI): a rate per 10万 (孕产妇死亡率12.5/10万) took 万 for its scale, so the 台账's 单位
    cell '/10万' was refused as not fitting the target."""
    store_document(session, text="doc", source="a", targets=[
        make_target("孕产妇死亡率", "12.5", unit="/10万", subject="保定", comparator=Comparator.LE)])
    path = write_csv(tmp_path / "p.csv", "目标编号,完成值,单位,截至日期\n1,11.8,/10万,2024-09-30\n")
    import_progress(session, path, today=TODAY)
    assert [r.value for r in session.scalars(select(ProgressReport))] == [Decimal("11.8")]
