"""Tracking (track stage): status by the schedule (序时进度), league table, conflicts.

    from taizhang.track import compute_statuses, rank, find_conflicts, load_rules

`oracle.status_of` is the readable one-target specification; `status.compute_statuses` does
the same for the whole ledger in one SQL statement. Thresholds live in `default_rules.toml`.
"""

from taizhang.track.conflicts import Conflict, find_conflicts
from taizhang.track.model import Evidence, Mode, Status, TargetStatus
from taizhang.track.rank import UnitRank, rank
from taizhang.track.rules import Rules, RulesError, load_rules
from taizhang.track.single import statuses_of_targets
from taizhang.track.status import compute_statuses, iter_statuses

__all__ = [
    "Conflict",
    "Evidence",
    "Mode",
    "Rules",
    "RulesError",
    "Status",
    "TargetStatus",
    "UnitRank",
    "compute_statuses",
    "find_conflicts",
    "iter_statuses",
    "load_rules",
    "rank",
    "statuses_of_targets",
]
