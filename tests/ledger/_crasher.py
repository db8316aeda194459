"""Worker process for test_crash: ingest a folder, then stall inside one document's transaction.

Each document `doc-NNN.txt` yields TARGETS targets. On document number STALL_AT, after half of
its targets are flushed (written, not committed), it prints MIDWAY and sleeps until killed.
"""

import sys
import time
from pathlib import Path

from taizhang.ledger import ingest, make_engine
from taizhang.ledger.testing import make_target

url, folder, stall_at, per_doc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
real_revision = ingest._revision
state = {"doc": None, "n": 0}


def extract(text, *, date=None):
    return [make_target(f"{text}-指标{i}", str(i + 1), subject=f"单位{i % 7}")
            for i in range(per_doc)]


def revision(target, extracted, document):
    if document.source != state["doc"]:
        state["doc"], state["n"] = document.source, 0
    state["n"] += 1
    if document.source.endswith(f"doc-{stall_at:03d}.txt") and state["n"] == per_doc // 2:
        target_session = ingest.Session.object_session(target)
        target_session.flush()
        print("MIDWAY", flush=True)
        time.sleep(600)
    return real_revision(target, extracted, document)


ingest._revision = revision
ingest.ingest_paths(make_engine(url), [Path(folder)], extract=extract)
print("FINISHED", flush=True)
