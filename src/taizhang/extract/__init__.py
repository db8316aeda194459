"""Text → targets. Pure: imports nothing from ledger, track, web or cli."""

from taizhang.extract.pipeline import extract_targets

__all__ = ["extract_targets"]
