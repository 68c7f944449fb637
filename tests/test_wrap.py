"""Line breaking (``reader.layout.wrap``) against a plain reference, on random kinds.

``break_lines`` finds each line's last space with ``bytes.rfind`` around the point where the
line is full; the reference below walks the code points one by one, as the rules say.
"""

from __future__ import annotations

from itertools import accumulate

from hypothesis import given
from hypothesis import strategies as st

from reader.layout.wrap import CONTINUATION, LineBreak, break_lines

WIDTHS = {"n": 1, "s": 1, "w": 2, "S": 2, "t": 4, "m": 0, "h": 0, "r": 0, "l": 0}


def reference(kinds: str, cum: list[int], width: int) -> list[LineBreak]:
    """Greedy breaking, one code point at a time."""
    n = len(kinds)
    # A breakable space is a space, ideographic space or tab that carries nothing (no mark,
    # no rider, no joiner continuing its cluster).
    breakable = [
        k in "sSt" and not (i + 1 < n and kinds[i + 1] in "mrl") for i, k in enumerate(kinds)
    ]
    word = 0
    while word < n and breakable[word]:
        word += 1
    if word == n:
        return [LineBreak(0, 0, n)]
    lines = []
    start = 0
    while start < n:
        fits = max(i for i in range(start, n + 1) if cum[i] - cum[start] <= width)
        reach = range(word + 1, min(fits, n - 1) + 1)
        space_runs = [i for i in reach if breakable[i] and not breakable[i - 1]]
        if fits == n:
            trailing = n
            while trailing > 0 and breakable[trailing - 1]:
                trailing -= 1
            lines.append(LineBreak(start, trailing if trailing > word else n, n))
            break
        if space_runs:
            run_end = space_runs[-1]
            while run_end < n and breakable[run_end]:
                run_end += 1
            lines.append(LineBreak(start, space_runs[-1], run_end))
            start = word = run_end
        elif fits < word:
            lines.append(LineBreak(start, fits, word))
            start = word
        else:
            # A word wider than the line: cut before the last cell that starts within reach,
            # or after the first cell when it alone is too wide.
            cell_starts = [i for i in range(start + 1, n) if kinds[i] not in CONTINUATION] + [n]
            within = [i for i in cell_starts if i <= fits]
            cut = within[-1] if within else cell_starts[0]
            lines.append(LineBreak(start, cut, cut))
            start = word = cut
    return lines


@given(
    kinds=st.text(alphabet="nnnsssmwStmhrl", max_size=40),
    width=st.integers(1, 12),
)
def test_break_lines_is_the_greedy_reference(kinds: str, width: int) -> None:
    cum = list(accumulate((WIDTHS[k] for k in kinds), initial=0))
    assert break_lines(kinds, cum, width) == reference(kinds, cum, width)
