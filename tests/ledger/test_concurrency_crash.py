"""Bars of issue 3: concurrent writers lose no report; a killed ingest leaves no half document."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from taizhang.ledger import session_scope
from taizhang.ledger.ingest import ingest_paths, store_document
from taizhang.ledger.models import AuditLog, Document, ProgressReport, Target, TargetRevision
from taizhang.ledger.testing import make_target

HERE = Path(__file__).parent


@pytest.mark.slow
def test_concurrent_writers_lose_no_report(engine: Engine, ledger_url: str) -> None:
    with session_scope(engine) as session:
        store_document(session, text="doc", source="a", targets=[make_target()])
    writers = 2 if engine.dialect.name == "sqlite" else 8
    per_writer = 60 if writers == 2 else 25
    procs = [
        subprocess.Popen(
            [sys.executable, str(HERE / "_writer.py"), ledger_url, str(w), str(per_writer)]
        )
        for w in range(writers)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * writers
    with session_scope(engine) as session:
        notes = session.scalars(select(ProgressReport.note)).all()
        assert sorted(notes) == sorted(
            f"{w}-{i}" for w in range(writers) for i in range(per_writer)
        )
        audited = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "progress_reports")
        )
        assert audited == writers * per_writer


@pytest.mark.slow
def test_killed_ingest_leaves_no_half_document(
    engine: Engine, ledger_url: str, tmp_path: Path
) -> None:
    docs, per_doc, stall_at = 40, 30, 25
    for i in range(docs):
        (tmp_path / f"doc-{i:03d}.txt").write_text(f"文档{i:03d}", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "_crasher.py"),
            ledger_url,
            str(tmp_path),
            str(stall_at),
            str(per_doc),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "MIDWAY"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with session_scope(engine) as session:
        stored = session.scalars(select(Document.source).order_by(Document.source)).all()
        assert [Path(s).name for s in stored] == [f"doc-{i:03d}.txt" for i in range(stall_at)]
        by_doc = dict(
            session.execute(
                select(TargetRevision.document_id, func.count()).group_by(
                    TargetRevision.document_id
                )
            ).all()
        )
        assert sorted(by_doc.values()) == [per_doc] * stall_at
        assert (
            session.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "ingest")
            )
            == stall_at
        )

    def extract(text: str, *, date: object = None, **_: object) -> list:
        return [
            make_target(f"{text}-指标{i}", str(i + 1), subject=f"单位{i % 7}")
            for i in range(per_doc)
        ]

    results = ingest_paths(engine, [tmp_path], date=date(2024, 6, 28), extract=extract)
    assert [r.status for r in results].count("added") == docs - stall_at
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == docs
        assert session.scalar(select(func.count()).select_from(Target)) == docs * per_doc
