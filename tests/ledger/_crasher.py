"""Worker process for test_crash: ingest a folder, then stall inside one document's transaction.

Each document `doc-NNN.txt` yields PER_DOC targets. On document number STALL_AT, after its
document, targets and revisions are written (flushed, not committed), it prints MIDWAY and
sleeps until killed.
"""

import sys
from datetime import date
import time
from pathlib import Path

from taizhang.ledger import ingest, make_engine
from taizhang.ledger.testing import make_target

url, folder, stall_at, per_doc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
real_record = ingest.audit.record


def extract(text, *, date=None, **_):
    return [
        make_target(f"{text}-指标{i}", str(i + 1), subject=f"单位{i % 7}") for i in range(per_doc)
    ]


def record(session, **kwargs):
    if kwargs["details"]["source"].endswith(f"doc-{stall_at:03d}.txt"):
        session.flush()
        print("MIDWAY", flush=True)
        time.sleep(600)
    return real_record(session, **kwargs)


ingest.audit.record = record
ingest.ingest_paths(make_engine(url), [Path(folder)], date=date(2024, 6, 28), extract=extract)
print("FINISHED", flush=True)
