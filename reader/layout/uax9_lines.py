"""UAX #9 on the lines of a paragraph resolved once: L1 (``line_levels``) and L2's order.

Split from ``uax9`` (which re-exports these names): the paragraph is resolved once there,
each line here. L2 reverses runs of equal level, not characters. See docs/BIDI.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from reader.layout.ucd import CLASS_MAP

_L1_SEPARATOR_RE: Final = re.compile("[W1-9b]*[SB]")
L1_TRAILING: Final = "W123456789b"
"""Classes L1 moves back to the paragraph level at the end of a line: whitespace, isolate
formatters and the characters X9 removes."""
_RUN_RE: Final = re.compile(rb"(.)\1*", re.S)


def line_levels(
    text: str,
    levels: Sequence[int],
    start: int,
    end: int,
    base_level: int,
    classes: str | None = None,
) -> list[int]:
    """L1 on the line ``text[start:end]`` of a paragraph resolved once by ``resolve_levels``.

    Segment and paragraph separators, and the whitespace, isolate formatters and X9-removed
    characters before them or at the end of the line, go back to the paragraph level.
    ``classes`` may give the paragraph's ``text.translate(CLASS_MAP)`` already worked out.
    """
    cls = text[start:end].translate(CLASS_MAP) if classes is None else classes[start:end]
    out = list(levels[start:end])
    n = len(cls)
    trail = len(cls.rstrip(L1_TRAILING))
    if trail < n:
        out[trail:] = [base_level] * (n - trail)
    if "S" in cls or "B" in cls:
        for m in _L1_SEPARATOR_RE.finditer(cls, 0, trail):
            out[m.start() : m.end()] = [base_level] * (m.end() - m.start())
    return out


def l1_untouched(classes: str, start: int, stop: int) -> bool:
    """True when L1 leaves ``[start, stop)`` of a line alone: no separator in it, and it does
    not end with whitespace, isolates or removed characters (the line's trailing run then
    lies after ``stop``)."""
    if stop <= start:
        return True
    return (
        classes[stop - 1] not in L1_TRAILING
        and classes.find("S", start, stop) == -1
        and classes.find("B", start, stop) == -1
    )


def visual_runs(levels: bytes) -> list[tuple[int, int, bool]]:
    """L2 as runs: ``(start, end, reversed)`` slices of a line, in visual order.

    The same order as ``visual_order``, for callers that move whole slices (a string of
    glyphs) rather than one index at a time.
    """
    n = len(levels)
    if n == 0:
        return []
    first = levels[0]
    if levels.count(first) == n:
        return [(0, n, bool(first & 1))]
    runs = [(m.start(), m.end(), m.group()[0]) for m in _RUN_RE.finditer(levels)]
    lo, hi = min(levels), max(levels)
    if len(set(levels)) == 2:
        if lo & 1:  # the reversal at the lower level reverses the order of the runs
            runs.reverse()
    else:
        order = list(range(len(runs)))
        for lv in range(hi, (lo | 1) - 1, -1):
            i = 0
            while i < len(order):
                if runs[order[i]][2] >= lv:
                    j = i + 1
                    while j < len(order) and runs[order[j]][2] >= lv:
                        j += 1
                    order[i:j] = order[i:j][::-1]
                    i = j
                else:
                    i += 1
        runs = [runs[k] for k in order]
    return [(s, e, bool(lv & 1)) for s, e, lv in runs]


def visual_order(levels: Sequence[int]) -> list[int]:
    """L2: the indices of a line in visual order, left to right.

    Reverses runs of equal level rather than characters: a run is reversed inside iff its
    level is odd, and the runs themselves are reordered from the highest level down.
    """
    out: list[int] = []
    for s, e, rev in visual_runs(bytes(levels)):
        out += range(e - 1, s - 1, -1) if rev else range(s, e)
    return out
