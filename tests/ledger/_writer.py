"""Worker process for test_concurrency: record N progress reports, one transaction each."""

import sys
from datetime import date, timedelta

from taizhang.ledger import make_engine, session_scope
from taizhang.ledger.progress import add_progress

url, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine = make_engine(url)
for i in range(count):
    with session_scope(engine, actor=f"writer-{worker}") as session:
        # one (target, as-of) per write: a second report of the same date would update the first
        day = date(2023, 1, 1) + timedelta(days=int(worker) * 100 + i)
        add_progress(session, target_id=1, value=i, as_of=day, note=f"{worker}-{i}")
engine.dispose()
