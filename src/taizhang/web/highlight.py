"""Cut a document's text into plain and highlighted segments for the templates.

Quotes of different targets may overlap (two values in one sentence); a character belongs to
the first quote that covers it, so every character is printed exactly once and the page text
equals the document text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    target_id: int | None = None
    state: str | None = None
    label: str | None = None


def segments(text: str, marks: Iterable[tuple[int, int, int, str, str]]) -> list[Segment]:
    """`marks` are (start, end, target_id, state, label); spans outside the text are clipped.

    >>> [s.text for s in segments("全年高企突破1200家。", [(2, 11, 7, "confirmed", "1")])]
    ['全年', '高企突破1200家', '。']
    """
    out: list[Segment] = []
    pos = 0
    for start, end, tid, state, label in sorted(marks):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], tid, state, label))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out
