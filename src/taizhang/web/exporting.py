"""The Excel 台账 download: the ledger's exporter; the public view writes confirmed targets
only, without notes or tasks (`ledger.export`, `public=True`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from taizhang.ledger.export import export_ledger


def write_workbook(session: Session, path: Path, *, as_of: date, public: bool) -> None:
    export_ledger(session, path, as_of=as_of, public=public)
