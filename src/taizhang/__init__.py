"""taizhang (台账): Chinese government targets → a ledger that can be tracked."""

from taizhang.extract import extract_targets
from taizhang.types import Comparator, Kind, Span, Strength, Target

__version__ = "0.1.0"
__all__ = ["Comparator", "Kind", "Span", "Strength", "Target", "__version__", "extract_targets"]
