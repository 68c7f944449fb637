"""Agreement coefficients on coded units and on spans; each undefined case gives None.

- :func:`nominal_alpha` — Krippendorff's α, nominal, through the ``krippendorff`` package;
- :func:`cohen_kappa` — Cohen's κ for two coders (observed against chance agreement from
  each coder's own proportions, Cohen 1960);
- :func:`masi_alpha` — α with the MASI distance between sets of labels (Passonneau 2006),
  through nltk's ``AnnotationTask``;
- :class:`SpanMatch` — span F1, exact (same start and end) or overlapping.

numpy, krippendorff and nltk are imported on first use only: nltk alone costs about a
second, which ``reader`` must never pay at start-up.

A coefficient is None when it is undefined — no variation to agree on (every unit got
the same value, so expected disagreement is 0), or no data — never a made-up 1 or 0.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Interval = tuple[int, int]


def nominal_alpha(data: Sequence[Sequence[Hashable]]) -> float | None:
    """Krippendorff's α (nominal) of ``data``: one row per coder, one column per unit.

    Every coder has a value for every unit (no missing values in this program's data).
    """
    values = list(dict.fromkeys(v for row in data for v in row))
    if len(values) < 2 or not data or len(data) < 2 or not data[0]:
        return None
    import krippendorff
    import numpy as np

    index = {v: i for i, v in enumerate(values)}
    matrix = np.array([[index[v] for v in row] for row in data], dtype=float)
    try:
        return float(
            krippendorff.alpha(
                reliability_data=matrix,
                value_domain=list(range(len(values))),
                level_of_measurement="nominal",
            )
        )
    except (ValueError, ZeroDivisionError):  # no pairable values
        return None


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's κ of two coders' values on the same units."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = sum(1 for a, b in zip(first, second, strict=True) if a == b) / n
    left, right = Counter(first), Counter(second)
    chance = sum(left[v] * right[v] for v in left) / (n * n)
    if chance >= 1.0:
        return None  # both coders gave one and the same value throughout
    return (observed - chance) / (1.0 - chance)


def _masi(a: frozenset[str], b: frozenset[str]) -> float:
    # nltk's masi_distance divides by the size of the union: two empty sets are equal.
    if a == b:
        return 0.0
    from nltk.metrics.distance import masi_distance

    return float(masi_distance(set(a), set(b)))


def masi_alpha(data: Sequence[Sequence[frozenset[str]]]) -> float | None:
    """Krippendorff's α with the MASI distance on each unit's set of labels (nltk)."""
    if len(data) < 2 or not data[0] or len({v for row in data for v in row}) < 2:
        return None
    from nltk.metrics.agreement import AnnotationTask

    triples: list[tuple[Any, Any, Any]] = [
        (coder, unit, value) for coder, row in enumerate(data) for unit, value in enumerate(row)
    ]
    task = AnnotationTask(data=triples, distance=_masi)
    try:
        return float(task.alpha())
    except (ValueError, ZeroDivisionError):
        return None


def _union(spans: Iterable[Interval]) -> tuple[list[int], list[int]]:
    """The union of ``spans`` as sorted, disjoint runs: (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _overlapping(spans: Iterable[Interval], other: Iterable[Interval]) -> int:
    """How many of ``spans`` share at least one character with one of ``other``."""
    starts, ends = _union(other)
    count = 0
    for start, end in spans:
        # The last run starting before ``end`` is the only one that can reach past ``start``.
        k = bisect.bisect_left(starts, end) - 1
        if k >= 0 and ends[k] > start:
            count += 1
    return count


@dataclass(frozen=True)
class SpanMatch:
    """Counts behind a span F1: how many of each coder's spans the other matched."""

    matched_a: int = 0
    total_a: int = 0
    matched_b: int = 0
    total_b: int = 0

    @classmethod
    def of(cls, a: Iterable[Interval], b: Iterable[Interval], *, exact: bool) -> SpanMatch:
        """Match coder A's spans against B's: identical ``[start, end)``, or any overlap."""
        sa, sb = set(a), set(b)
        if exact:
            common = len(sa & sb)
            return cls(common, len(sa), common, len(sb))
        return cls(_overlapping(sa, sb), len(sa), _overlapping(sb, sa), len(sb))

    def __add__(self, other: SpanMatch) -> SpanMatch:
        return SpanMatch(
            self.matched_a + other.matched_a,
            self.total_a + other.total_a,
            self.matched_b + other.matched_b,
            self.total_b + other.total_b,
        )

    @property
    def f1(self) -> float | None:
        """Harmonic mean of recall (A's spans B matched) and precision (B's spans A matched).

        Symmetric in A and B. None when neither coder has a span; 0 when only one has.
        """
        if self.total_a == 0 and self.total_b == 0:
            return None
        if self.total_a == 0 or self.total_b == 0:
            return 0.0
        recall = self.matched_a / self.total_a
        precision = self.matched_b / self.total_b
        if recall + precision == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values (None if none is)."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None
