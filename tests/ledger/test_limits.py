"""One rule on both databases: numbers neither can keep exactly are refused with the reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taizhang.errors import ImportFormatError, LedgerError
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import Document, ProgressReport, Target, Unit
from taizhang.ledger.progress import add_progress, import_progress
from taizhang.ledger.testing import make_target
from taizhang.ledger.units import add_unit


@pytest.mark.parametrize(("value", "reason"), [
    (Decimal("1e40"), "out of range"),
    (Decimal("123456789012345678901234567890"), "out of range"),
    (Decimal("1e-30"), "more than 6 decimal places"),
    (Decimal("1234567.123456789"), "more than 6 decimal places"),
    (Decimal("1234567890.123456"), "more than 15 significant digits"),
])
def test_amounts_out_of_range_are_refused_on_both_databases(
    session: Session, value: Decimal, reason: str
) -> None:
    result = store_document(session, text="doc", source="a", targets=[make_target()])
    target_id = result.target_ids[0]
    with pytest.raises(LedgerError, match=reason):
        add_progress(session, target_id=target_id, value=value, as_of=date(2024, 6, 30))
    assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_an_import_row_out_of_range_is_a_row_error(session: Session, tmp_path: Path) -> None:
    result = store_document(session, text="doc", source="a", targets=[make_target()])
    target_id = result.target_ids[0]
    sheet = tmp_path / "progress.csv"
    sheet.write_text(f"目标编号,完成值,截至日期\n{target_id},1e40,2024-06-30\n"
                     f"{target_id},123456789012345678901234567890,2024-05-31\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        import_progress(session, sheet)
    assert [n for n, _ in caught.value.row_errors] == [2, 3]
    assert "out of range" in caught.value.row_errors[1][1]


def test_long_text_is_stored_on_both_databases(session: Session) -> None:
    """PostgreSQL's VARCHAR limits aborted a whole ingest on a 600-character title."""
    title, unit_name = "关于" * 300, "某某" * 75 + "局"  # 600 and 151 characters
    long_indicator = "指标" * 200
    result = store_document(
        session, text="doc", source="来源/" * 300 + "a.txt", title=title,
        targets=[make_target(long_indicator, subject="江阴")],
    )
    add_unit(session, unit_name)
    session.flush()
    document = session.get(Document, result.document_id)
    assert document is not None and document.title == title
    assert session.scalar(select(Unit.name).where(Unit.name == unit_name)) == unit_name
    assert session.scalar(select(Target.indicator)) == long_indicator
