"""The ledger (台账): documents, units, targets, revisions, progress reports and the audit log.

Stable entry points for the other stages:

    from taizhang.ledger import make_engine, session_scope, upgrade, open_ledger
    from taizhang.ledger.models import Target, ProgressReport, Unit, ...

`make_engine(url)` never migrates; `upgrade(url)` creates or upgrades the schema;
`open_ledger(url)` returns an engine for a ledger at the current schema (`create=True`
makes an empty one where there is none).
"""

# Importing the audit module registers its session listeners: every process that touches the
# ledger (CLI, web, workers) gets the audit log, whichever ledger module it imports first.
from taizhang.ledger import audit as _audit  # noqa: F401
from taizhang.ledger.db import (
    make_engine,
    make_sessionmaker,
    open_ledger,
    read_only,
    resolve_url,
    session_scope,
    upgrade,
)

__all__ = [
    "make_engine",
    "make_sessionmaker",
    "open_ledger",
    "read_only",
    "resolve_url",
    "session_scope",
    "upgrade",
]
