"""Worker process for test_concurrency: record N progress reports, one transaction each."""

import sys

from taizhang.ledger import make_engine, session_scope
from taizhang.ledger.progress import add_progress

url, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine = make_engine(url)
for i in range(count):
    with session_scope(engine, actor=f"writer-{worker}") as session:
        add_progress(session, target_id=1, value=i, as_of="2024-06-30", note=f"{worker}-{i}")
engine.dispose()
