"""Text → targets. Pure: imports nothing from read, ledger, track, web or cli."""

from taizhang.extract.pipeline import analyse, extract_stream, extract_targets

__all__ = ["analyse", "extract_stream", "extract_targets"]
