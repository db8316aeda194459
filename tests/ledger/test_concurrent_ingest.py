"""Issue 10's bar: concurrent `taizhang ingest` processes on a brand-new ledger lose nothing.

Real subprocesses (8 on PostgreSQL, 2 on SQLite) start at once on a ledger that does not exist
yet, so they race to create the schema, the same units (全国, the provinces of the documents),
the same documents (each process also has the shared ones) and restatements of one target.
Then as many `taizhang progress import` processes write reports, one row shared by all.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from taizhang.ledger import make_engine, session_scope
from taizhang.ledger.models import Document, ProgressReport, Target, TargetRevision, Unit
from taizhang.ledger.testing import throwaway_database

REPO = Path(__file__).resolve().parents[2]
SHARED_DOCS = 4  # every process has these: only one of each may be stored
CORPUS_DOCS = 24  # small real documents, dealt out between the processes


def small_documents() -> list[Path]:
    """The smallest dated texts of the repository's corpus (quick to extract)."""
    texts = [p for p in (REPO / "corpus").glob("*.txt") if p.with_suffix(".json").exists()]
    return sorted(texts, key=lambda p: (p.stat().st_size, p.name))[:CORPUS_DOCS]


def restatement(directory: Path, k: int) -> None:
    """Process k's own statement of 保定's GDP target: all must become one target."""
    text = f"保定市{k + 1}月工作安排\n到2027年，全市地区生产总值达到{4000 + k * 10}亿元。\n"
    (directory / f"baoding-{k}.txt").write_text(text, encoding="utf-8")
    meta = {"date": f"2026-{k + 1:02d}-01", "region": "河北省保定市", "issuer": "保定市人民政府"}
    (directory / f"baoding-{k}.json").write_text(json.dumps(meta, ensure_ascii=False),
                                                  encoding="utf-8")


def deal(tmp_path: Path, processes: int) -> tuple[list[Path], list[str]]:
    """One folder per process; returns the folders and every distinct document's text."""
    docs = small_documents()
    shared, dealt = docs[:SHARED_DOCS], docs[SHARED_DOCS:]
    folders = []
    for k in range(processes):
        folder = tmp_path / f"p{k}"
        folder.mkdir()
        for doc in shared + dealt[k::processes]:
            for path in (doc, doc.with_suffix(".json")):
                shutil.copy(path, folder / path.name)
        restatement(folder, k)
        folders.append(folder)
    texts = {p.read_text(encoding="utf-8") for f in folders for p in f.glob("*.txt")}
    return folders, sorted(texts)


def row(target: Any) -> list[Any]:
    """目标编号, 完成值 (the target's own value, in its unit), 单位."""
    return [target.id, format(target.value, "f"), target.unit]


def run_all(commands: list[list[str]], env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for c in commands]
    done = []
    for proc, command in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=240)
        done.append(subprocess.CompletedProcess(command, proc.returncode, out, err))
    return done


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """(URL of a ledger that does not exist yet, number of processes)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}", 2
        return
    with throwaway_database("race") as url:
        yield url, 8


@pytest.mark.slow
def test_concurrent_ingest_on_a_fresh_ledger_loses_nothing(
    fresh_ledger: tuple[str, int], tmp_path: Path
) -> None:
    url, processes = fresh_ledger
    folders, texts = deal(tmp_path, processes)
    env = {**os.environ, "TAIZHANG_ACTOR": "racer", "COLUMNS": "200"}
    taizhang = [sys.executable, "-m", "taizhang"]
    ingests = run_all([[*taizhang, "ingest", str(f), "--db", url] for f in folders], env)
    for result in ingests:
        assert result.returncode == 0, result.stderr[-3000:]
        assert " 0 failed" in result.stdout, result.stdout
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            stored = session.scalars(select(Document.text)).all()
            assert sorted(stored) == texts  # every document, each exactly once
            names = session.scalars(select(Unit.name)).all()
            assert len(names) == len(set(names))
            baoding = session.scalars(select(Target).join(Unit, Target.unit_id == Unit.id).where(
                Unit.name == "保定", Target.indicator.contains("地区生产总值"))).all()
            assert len(baoding) == 1  # restatements, not duplicate targets
            revisions = session.scalar(select(func.count()).select_from(TargetRevision).where(
                TargetRevision.target_id == baoding[0].id))
            assert revisions == processes
            assert baoding[0].value == 4000_0000_0000 + (processes - 1) * 10_0000_0000  # latest
            targets = session.execute(
                select(Target.id, Target.value, Target.unit).order_by(Target.id).limit(processes + 1)
            ).all()
        # concurrent progress imports: each its own rows, plus one row that all of them report
        sheets = []
        for k in range(processes):
            sheet = tmp_path / f"progress-{k}.csv"
            with sheet.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["目标编号", "完成值", "单位", "截至日期", "备注"])
                writer.writerow([*row(targets[k]), "2026-03-31", f"own {k}"])
                writer.writerow([*row(targets[-1]), "2026-06-30", "shared"])
            sheets.append(sheet)
        imports = run_all(
            [[*taizhang, "progress", "import", str(s), "--db", url] for s in sheets], env
        )
        for result in imports:
            assert result.returncode == 0, result.stderr[-3000:]
        with session_scope(engine) as session:
            reports = session.execute(select(ProgressReport.target_id, ProgressReport.as_of,
                                             ProgressReport.note)).all()
        assert sorted((r.target_id, r.as_of.isoformat(), r.note) for r in reports) == sorted(
            [(targets[k].id, "2026-03-31", f"own {k}") for k in range(processes)]
            + [(targets[-1].id, "2026-06-30", "shared")]
        )
    finally:
        engine.dispose()
