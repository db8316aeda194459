"""The Excel 台账 download: the ledger's exporter, or a confirmed-only sheet in public mode."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from taizhang.ledger.excel import export_ledger
from taizhang.ledger.models import Target
from taizhang.web import tracking
from taizhang.web.queries import PUBLIC_STATES

HEADERS = ("序号", "责任单位", "指标", "目标值", "单位", "完成时限", "最新进展", "完成率",
           "序时进度", "状态", "来源原文", "文件")
FILLS = {"green": "C8E6C9", "yellow": "FFF59D", "red": "FFCDD2", "grey": "ECEFF1"}


def write_workbook(session: Session, path: Path, *, as_of: date, public: bool) -> None:
    """The ledger's 台账 layout; the public view writes only confirmed targets, no progress notes."""
    if not public:
        export_ledger(session, path, as_of=as_of)
        return
    status = tracking.statuses(session, as_of, public=public)
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(HEADERS)
    q = select(Target).options(selectinload(Target.responsible), selectinload(Target.document))
    q = q.where(Target.review_state.in_(PUBLIC_STATES))
    for n, t in enumerate(session.scalars(q.order_by(Target.unit_id, Target.id)), start=1):
        s = status.get(t.id)
        ws.append([n, t.responsible.name if t.responsible else t.subject, t.indicator,
                   float(t.value), t.unit, t.deadline.isoformat() if t.deadline else "",
                   s.latest_value if s else None,
                   s.actual_share if s else None, s.expected_share if s else None,
                   s.status if s else "", t.quote, t.document.title or t.document.source])
        if s:
            ws.cell(ws.max_row, 10).fill = PatternFill("solid", fgColor=FILLS[s.color])
    wb.save(path)
