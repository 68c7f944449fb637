"""Line breaking in logical order, by terminal columns.

Greedy: each line takes as many words as fit; it breaks at a run of breakable spaces, which
ends the line and is not drawn (trailing spaces do not count). A word wider than the line is
broken between two cells (never inside a letter and its marks, never inside a lam-alef).

The work per line is a binary search in the running column count and another in the list of
space runs, so a 1 MB paragraph — with or without spaces — breaks in linear time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import compress
from typing import Final, NamedTuple

#: Kinds that continue the cell before them.
CONTINUATION: Final = "mrl"


def _flags(kinds: str) -> bytes:
    table = bytearray(256)
    for kind in kinds:
        table[ord(kind)] = 1
    return bytes(table)


_SPACE: Final = _flags("sSt")
_CARRIED: Final = _flags("mr")


def break_runs(kinds: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the runs of spaces a line may break at.

    A space carrying a mark (or, in terminal mode, an invisible control) is part of a word.
    Worked out on integers with one byte per code point, so no Python runs per space.
    """
    n = len(kinds)
    if n == 0:
        return [], []
    raw = kinds.encode("ascii")
    full = (1 << (8 * n)) - 1
    space = int.from_bytes(raw.translate(_SPACE), "little")
    space &= ~(int.from_bytes(raw.translate(_CARRIED), "little") >> 8)
    before = (space << 8) & full  # at i: is i - 1 a breakable space?
    starts = (space & ~before).to_bytes(n, "little")
    ends = (before & ~space).to_bytes(n, "little")
    run_ends = list(compress(range(n), ends))
    if space >> (8 * (n - 1)):  # the last code point is a breakable space
        run_ends.append(n)
    return list(compress(range(n), starts)), run_ends


class LineBreak(NamedTuple):
    """One line: ``[start, end)`` of the paragraph, drawn up to ``content_end``."""

    start: int
    content_end: int
    end: int


def break_lines(kinds: str, cum: Sequence[int], width: int) -> list[LineBreak]:
    """Break a paragraph into lines.

    Args:
        kinds: one kind letter per code point (``reader.layout.sanitize``).
        cum: running columns, ``cum[i]`` = columns of the first ``i`` code points.
        width: columns per line (at least 1).

    Returns:
        The lines in order; they cover ``[0, len(kinds))`` without gaps. A paragraph with
        nothing but spaces gives one line that draws nothing.
    """
    n = len(kinds)
    run_starts, run_ends = break_runs(kinds)
    first = run_ends[0] if run_starts and run_starts[0] == 0 else 0  # end of leading spaces
    if first == n:
        return [LineBreak(0, 0, n)]
    lines: list[LineBreak] = []
    start = 0
    word = first  # first offset of the line that is not a leading space
    while start < n:
        limit = bisect_right(cum, cum[start] + width, start) - 1  # last end that fits
        if limit >= n:
            last = bisect_right(run_starts, n - 1) - 1
            if last >= 0 and run_ends[last] == n and run_starts[last] > word:
                lines.append(LineBreak(start, run_starts[last], n))
            else:
                lines.append(LineBreak(start, n, n))
            break
        k = bisect_right(run_starts, limit) - 1
        if k >= 0 and run_starts[k] > word:
            # Break at the last space run that starts within reach; it stays on this line.
            lines.append(LineBreak(start, run_starts[k], run_ends[k]))
            start = word = run_ends[k]
            continue
        if limit < word:
            # Leading spaces wider than the line: draw what fits, the rest is not drawn.
            lines.append(LineBreak(start, limit, word))
            start = word
            continue
        # A word wider than the line: break it at the last cell boundary that fits.
        cut = limit
        while cut > start and kinds[cut] in CONTINUATION:
            cut -= 1
        if cut <= start:  # a single cell wider than the line: it goes alone
            cut = start + 1
            while cut < n and kinds[cut] in CONTINUATION:
                cut += 1
        lines.append(LineBreak(start, cut, cut))
        start = word = cut
    return lines
