"""Line breaking in logical order, by terminal columns.

Greedy: each line takes as many words as fit; it breaks at a run of breakable spaces, which
ends the line and is not drawn (trailing spaces do not count). A word wider than the line is
broken between two cells (never inside a letter and its marks, never inside a lam-alef).

The work per line is a binary search in the running column count and a search back from
there to the line's last space (never past the line's first word), so a 1 MB paragraph —
with or without spaces — breaks in linear time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Final, NamedTuple

#: Kinds that continue the cell before them.
CONTINUATION: Final = "mrl"


def _flags(kinds: str) -> bytes:
    table = bytearray(256)
    for kind in kinds:
        table[ord(kind)] = 1
    return bytes(table)


_SPACE: Final = _flags("sSt")
_CARRIED: Final = _flags("mrl")


def break_flags(kinds: str) -> bytes:
    """One byte per code point: 1 at the spaces a line may break at, else 0.

    A space carrying a mark (or, in terminal mode, an invisible control; or a joiner before
    a mark) is part of a word.
    Worked out on integers with one byte per code point, so no Python runs per space.
    """
    raw = kinds.encode("ascii")
    flags = raw.translate(_SPACE)
    if "m" not in kinds and "r" not in kinds and "l" not in kinds:
        return flags
    n = len(raw)
    space = int.from_bytes(flags, "little")
    space &= ~(int.from_bytes(raw.translate(_CARRIED), "little") >> 8)
    return space.to_bytes(n, "little")


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
    flags = break_flags(kinds)  # the space runs: found around a position with rfind/find
    first = flags.find(0) if n and flags[0] else 0  # end of the leading spaces
    if first == -1 or n == 0:
        return [LineBreak(0, 0, n)]
    lines: list[LineBreak] = []
    start = 0
    word = first  # first offset of the line that is not a leading space
    while start < n:
        limit = bisect_right(cum, cum[start] + width, start) - 1  # last end that fits
        if limit >= n:
            run = flags.rfind(0) + 1  # where the trailing spaces start (n: none)
            if run < n and run > word:
                lines.append(LineBreak(start, run, n))
            else:
                lines.append(LineBreak(start, n, n))
            break
        space = flags.rfind(1, word, limit + 1)  # in the last space run within reach
        run = flags.rfind(0, 0, space) + 1 if space != -1 else -1
        if run > word:
            # Break at the last space run that starts within reach; it stays on this line.
            run_end = flags.find(0, space)
            run_end = n if run_end == -1 else run_end
            lines.append(LineBreak(start, run, run_end))
            start = word = run_end
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
