"""The document view's row index (a Fenwick tree) against plain running totals."""

from __future__ import annotations

import bisect
from itertools import accumulate

from hypothesis import given
from hypothesis import strategies as st

from reader.ui.rows import RowIndex

heights = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=300)
edits = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=40)))


def check(index: RowIndex, expected: list[int]) -> None:
    prefix = [0, *accumulate(expected)]
    assert len(index) == len(expected)
    assert index.total == prefix[-1]
    for i in range(len(expected) + 1):
        assert index.start(i) == prefix[i]
    for row in range(-2, prefix[-1] + 3):
        want = min(max(bisect.bisect_right(prefix, row) - 1, 0), len(expected) - 1)
        assert index.find(row) == want, (row, expected)


@given(heights, edits)
def test_starts_and_lookups_follow_every_height_change(
    start: list[int], changes: list[tuple[int, int]]
) -> None:
    index = RowIndex(start)
    expected = list(start)
    check(index, expected)
    for position, height in changes:
        position %= len(expected)
        index.set(position, height)
        expected[position] = height
        assert index.height(position) == height
    check(index, expected)


def test_empty_and_big() -> None:
    empty = RowIndex()
    assert len(empty) == 0 and empty.total == 0 and empty.find(5) == 0
    big = RowIndex([3] * 100_000)
    big.set(99_999, 10)
    assert big.total == 300_007
    assert big.find(299_997) == 99_999 and big.start(99_999) == 299_997
    assert big.find(150_000) == 50_000
