"""层层加码 on the web: each parent's target as a line across its children's bars, and the table.

The data is the batch dataset named by `TAIZHANG_DATASET` (`taizhang batch … -o DIR`), else the
ledger's own targets (in public mode, the confirmed ones).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from taizhang.research.amplification import compare, parse_parent_target
from taizhang.extract.indicators import by_key, indicators
from taizhang.web.deps import SessionDep, SettingsDep, ViewerDep
from taizhang.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/amplification", response_class=HTMLResponse)
def amplification_page(
    request: Request, session: SessionDep, settings: SettingsDep, _v: ViewerDep,
    indicator: Annotated[str, Query(max_length=100)] = "gdp_growth",
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    parent_target: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    if settings.dataset is not None:
        rows = _dataset_panel(str(settings.dataset), _stamp(settings.dataset))
        source = f"数据集 {settings.dataset}"
    else:
        from taizhang.research.ledger_rows import ledger_panel

        rows = ledger_panel(session, public=settings.public)
        source = "台账"
    years = sorted({r["year"] for r in rows if r["indicator"] == indicator}, reverse=True)
    chosen = year if year is not None else (years[0] if years else None)
    given, error = {}, None
    if parent_target:
        try:
            unit, target = parse_parent_target(parent_target)
            given[unit] = target
        except ValueError as err:
            error = str(err)
    comparisons = compare(rows, indicator=indicator, year=chosen, parents=given) if chosen is not None else []
    for comp in comparisons:  # the chart reads best from the highest target down
        comp.children.sort(key=lambda c: (-(c["target_value"] or 0), c["unit"]))
    ind = by_key(indicator)
    charts = [_chart(c, ind.unit if ind else "") for c in comparisons]
    return render(request, "amplification.html", {
        "indicator": indicator, "label": ind.label if ind else indicator, "year": chosen, "years": years,
        "comparisons": list(zip(comparisons, charts, strict=True)), "keys": indicators(), "source": source,
        "parent_target": parent_target or "", "error": error,
    })


def _chart(comparison: Any, unit: str) -> dict[str, Any]:
    p = comparison.parent_target
    return {
        "parent": comparison.parent,
        "parent_value": p.get("target_value") if p else None,
        "units": [c["unit"] for c in comparison.children],
        "values": [c["target_value"] for c in comparison.children],
        "maxima": [c["target_value_max"] for c in comparison.children],
        "unit": unit,
    }


def _stamp(path: Path) -> float:
    """Changes when a batch run adds files (the cached panel is then rebuilt)."""
    try:
        return max((p.stat().st_mtime for p in (path / "documents").rglob("*.parquet")), default=0.0)
    except OSError:
        return 0.0


@lru_cache(maxsize=4)
def _dataset_panel(path: str, _stamp: float) -> list[dict[str, Any]]:
    from taizhang.research.panel import load_panel

    return load_panel(Path(path))
