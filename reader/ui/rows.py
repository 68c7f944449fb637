"""Row positions of a long list of items of varying height: a Fenwick tree.

The document view knows each paragraph's height only roughly until the
paragraph is first laid out; a twenty-megabyte document has some 26,000
paragraphs. Rebuilding the running totals after every corrected estimate is
O(paragraphs) per newly seen screen; a Fenwick (binary indexed) tree makes a
height change, the row of a paragraph and the paragraph at a row O(log n).
Pure: no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate


class RowIndex:
    """Heights of ``n`` items; the first row of an item and the item at a row, in O(log n)."""

    __slots__ = ("_heights", "_top", "_tree")

    def __init__(self, heights: Iterable[int] = ()) -> None:
        self._heights: list[int] = list(heights)
        # tree[i] holds the sum of heights (i - lowbit(i), i] (1-based); built in O(n) from
        # the running totals, which C computes (a 100,000-item Python loop costs ~30 ms).
        prefix = [0, *accumulate(self._heights)]
        self._tree: list[int] = [prefix[i] - prefix[i & (i - 1)] for i in range(len(prefix))]
        self._top = 1 << (len(self._heights).bit_length() - 1) if self._heights else 0
        self._tree[0] = prefix[-1]  # the total, kept up to date by set()

    def __len__(self) -> int:
        return len(self._heights)

    @property
    def total(self) -> int:
        """Rows of all the items together."""
        return self._tree[0]

    def height(self, index: int) -> int:
        return self._heights[index]

    def set(self, index: int, height: int) -> None:
        """Change the height of item ``index``."""
        delta = height - self._heights[index]
        if not delta:
            return
        self._heights[index] = height
        tree = self._tree
        tree[0] += delta
        size = len(self._heights)
        i = index + 1
        while i <= size:
            tree[i] += delta
            i += i & -i

    def start(self, index: int) -> int:
        """The first row of item ``index`` (``total`` for ``index == len(self)``)."""
        tree = self._tree
        row = 0
        i = index
        while i > 0:
            row += tree[i]
            i &= i - 1
        return row

    def find(self, row: int) -> int:
        """The item drawing ``row``: clamped to 0 before the first and ``len - 1`` after the last.

        With zero-height items, the last item whose start is ``<= row``.
        """
        if not self._heights or row < 0:
            return 0
        tree = self._tree
        size = len(self._heights)
        position = 0
        remaining = row
        step = self._top
        while step:
            probe = position + step
            if probe <= size and tree[probe] <= remaining:
                position = probe
                remaining -= tree[probe]
            step >>= 1
        return min(position, size - 1)
