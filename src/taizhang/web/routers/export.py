"""/api/export.xlsx: the Excel 台账 as a supervision office keeps it."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from taizhang.web import exporting
from taizhang.web.responses import READ_ERRORS
from taizhang.web.deps import IsoDate, SessionDep, SettingsDep, ViewerDep

router = APIRouter(tags=["export"], responses=READ_ERRORS)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/api/export.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "The 台账 workbook"}})
@router.get("/export.xlsx", include_in_schema=False, response_class=Response)
def export_xlsx(session: SessionDep, settings: SettingsDep, _v: ViewerDep,
                as_of: Annotated[IsoDate | None, Query()] = None) -> Response:
    day = as_of or date.today()
    with tempfile.TemporaryDirectory(prefix="taizhang-export-") as tmp:
        path = Path(tmp) / "taizhang.xlsx"
        exporting.write_workbook(session, path, as_of=day, public=settings.public)
        data = path.read_bytes()
    name = f"taizhang-{day.isoformat()}.xlsx"
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
