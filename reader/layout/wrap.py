"""Line breaking in logical order, by terminal columns.

Greedy: each line takes as many words as fit; it breaks at a run of breakable spaces, which
ends the line and is not drawn (trailing spaces do not count). A word wider than the line is
broken between two cells (never inside a letter and its marks, never inside a lam-alef).

The work per line is a binary search in the running column count and another in the list of
space runs, so a 1 MB paragraph — with or without spaces — breaks in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Final, NamedTuple

#: A run of spaces the line may break at; a space carrying a mark (or, in terminal mode, an
#: invisible control) is part of a word.
BREAK_RUN: Final = re.compile(r"(?:[sSt](?![mr]))+")
#: Kinds that continue the cell before them.
CONTINUATION: Final = "mrl"


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
    runs = [(m.start(), m.end()) for m in BREAK_RUN.finditer(kinds)]
    run_starts = [r[0] for r in runs]
    first = runs[0][1] if runs and runs[0][0] == 0 else 0  # end of leading spaces
    if first == n:
        return [LineBreak(0, 0, n)]
    lines: list[LineBreak] = []
    start = 0
    word = first  # first offset of the line that is not a leading space
    while start < n:
        limit = bisect_right(cum, cum[start] + width, start) - 1  # last end that fits
        if limit >= n:
            last = bisect_right(run_starts, n - 1) - 1
            if last >= 0 and runs[last][1] == n and runs[last][0] > word:
                lines.append(LineBreak(start, runs[last][0], n))
            else:
                lines.append(LineBreak(start, n, n))
            break
        k = bisect_right(run_starts, limit) - 1
        if k >= 0 and run_starts[k] > word:
            # Break at the last space run that starts within reach; it stays on this line.
            lines.append(LineBreak(start, run_starts[k], runs[k][1]))
            start = word = runs[k][1]
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
