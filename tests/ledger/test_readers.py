"""SQLite: reading transactions never wait for a writer (WAL), only writing ones take the lock.

Before, every transaction opened with BEGIN IMMEDIATE, so readers queued behind a long ingest
and, past the busy timeout, failed with "database is locked" (issue 11: 40 of 50 API requests
on SQLite during a load test).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from taizhang.ledger import make_engine, read_only, session_scope
from taizhang.ledger.models import Unit


@pytest.fixture
def url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "ledger.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


def test_readers_do_not_wait_for_a_writer(url: str) -> None:
    # a short busy timeout: a reader that queued on the write lock would fail at once
    engine = make_engine(url, connect_args={"timeout": 0.2})
    writer = engine.connect()
    writer.begin()  # BEGIN IMMEDIATE: holds the write lock, like an ingest mid-document
    writer.execute(text("INSERT INTO units (name) VALUES ('写入中')"))
    errors: list[Exception] = []
    waits: list[float] = []

    def read() -> None:
        started = time.monotonic()
        try:
            with session_scope(engine, write=False) as session:
                assert session.scalar(select(func.count()).select_from(Unit)) == 0
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)
        waits.append(time.monotonic() - started)

    threads = [threading.Thread(target=read) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and max(waits) < 0.2
    with read_only(engine).connect() as conn:  # the engine-level spelling of the same
        assert conn.execute(select(func.count()).select_from(Unit)).scalar() == 0
    # a writing transaction still queues on the lock (here: gives up after 0.2 s)
    with pytest.raises(OperationalError, match="database is locked"):
        with session_scope(engine) as session:
            session.execute(select(1))
    writer.rollback()
    writer.close()
    engine.dispose()


def test_a_docx_decompression_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    """Issue 10: 0.46 MB of .docx expanding to 150 MB of XML took minutes and gigabytes."""
    import time
    import zipfile

    from taizhang.errors import ReadError
    from taizhang.read.docx import MAX_EXPANDED_BYTES, read_docx

    bomb = tmp_path / "bomb.docx"
    filler = "<w:p><w:r><w:t>" + "目" * 1000 + "</w:t></w:r></w:p>"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body>"
                   + filler * (MAX_EXPANDED_BYTES // len(filler.encode()) + 10)
                   + "</w:body></w:document>")
    assert bomb.stat().st_size < MAX_EXPANDED_BYTES // 20
    start = time.perf_counter()
    with pytest.raises(ReadError, match="expands to"):
        read_docx(bomb)
    assert time.perf_counter() - start < 2
