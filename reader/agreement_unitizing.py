"""Krippendorff's unitizing alpha (u-α): agreement on where units begin and end.

Implemented from Krippendorff, K. (1995), "On the reliability of unitizing continuous
data", *Sociological Methodology* 25: 47–76, in the corrected form of *Content Analysis:
An Introduction to Its Methodology*, 2nd ed. (2004), §11.6 — the form DKPro Agreement
implements and INCEpTION reports. No maintained Python package computes it.

The data: ``m`` coders each mark units of a category ``c`` on a common continuum
``[begin, begin + L)`` (here: the characters of the documents). Each coder's continuum
falls into segments: the coder's ``c``-units and the *gaps* between them (everything that
is not ``c``). For two segments of different coders that intersect, the squared distance
``δ²`` is

- both units: ``(b₁ − b₂)² + (e₁ − e₂)²`` (beginnings and ends);
- a unit lying wholly inside a gap of the other: the unit's length squared;
- otherwise (two gaps, or a unit only partly in a gap): 0.

Observed disagreement ``cDo = Σᵢ Σⱼ≠ᵢ Σ δ² / (m (m−1) L²)`` over intersecting pairs.
Expected disagreement, over all ways the same units and gaps could lie on the continuum::

    cDe = (2/L) Σ_units [ (N_c − 1)/3 · (2l³ − 3l² + l)
                          + l² Σ_{gaps g ≥ l} (g − l + 1) ]
          / ( mL(mL − 1) − Σ_units l(l − 1) )

with ``N_c`` the number of ``c``-units of all coders, gaps taken from every coder. Then
``cα = 1 − cDo/cDe`` per category, and over categories ``uα = 1 − Σ cDo / Σ cDe``.

Worked examples in the tests: Krippendorff (2004: 254) gives cDo = .0144, cDe = .0532,
cα = .7286 and kα = 1 (kDe = .0490); the four pairs of Krippendorff (1995: 57) give
Do = .03125, 2.26736, .02778 and .38715.

A coder's units of one category must not overlap (a unit is a stretch of the
continuum): overlapping or touching-and-overlapping ones are joined first.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

Interval = tuple[int, int]
"""``[start, end)``."""


@dataclass(frozen=True)
class Unitizing:
    """One category's disagreements on one continuum."""

    observed: float
    expected: float
    units: int
    """How many units all coders marked (``N_c``)."""

    @property
    def alpha(self) -> float | None:
        """``1 − Do/De``; None when nothing varies (no units, or De = 0)."""
        if self.expected <= 0:
            return None
        return 1.0 - self.observed / self.expected


def normalise(units: Iterable[Interval], begin: int, end: int) -> list[Interval]:
    """Units clipped to ``[begin, end)``, empty ones dropped, overlapping ones joined."""
    out: list[Interval] = []
    for start, stop in sorted((max(s, begin), min(e, end)) for s, e in units):
        if stop <= start:
            continue
        if out and start < out[-1][1]:
            if stop > out[-1][1]:
                out[-1] = (out[-1][0], stop)
        else:
            out.append((start, stop))
    return out


def segments(units: Sequence[Interval], begin: int, end: int) -> list[tuple[int, int, bool]]:
    """The continuum cut into ``(start, end, is_unit)``: units and the gaps between them."""
    out: list[tuple[int, int, bool]] = []
    pos = begin
    for start, stop in units:
        if start > pos:
            out.append((pos, start, False))
        out.append((start, stop, True))
        pos = stop
    if pos < end:
        out.append((pos, end, False))
    return out


def distance(a: tuple[int, int, bool], b: tuple[int, int, bool]) -> int:
    """``δ²`` of two segments of different coders (0 unless they meet as described above)."""
    s1, e1, unit1 = a
    s2, e2, unit2 = b
    if unit1 and unit2:
        if s1 < e2 and s2 < e1:
            return (s1 - s2) ** 2 + (e1 - e2) ** 2
        return 0
    if unit1 and not unit2 and s2 <= s1 and e1 <= e2:
        return (e1 - s1) ** 2
    if unit2 and not unit1 and s1 <= s2 and e2 <= e1:
        return (e2 - s2) ** 2
    return 0


def _pair_sum(left: Sequence[tuple[int, int, bool]], right: Sequence[tuple[int, int, bool]]) -> int:
    """Σ δ² over the intersecting pairs of two coders' segments (one sweep, both in order)."""
    total = 0
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a[0] < b[1] and b[0] < a[1]:
            total += distance(a, b)
        # Move past whichever segment ends first; both when they end together.
        if a[1] <= b[1]:
            i += 1
        if b[1] <= a[1]:
            j += 1
    return total


def unitizing(coders: Sequence[Iterable[Interval]], begin: int, length: int) -> Unitizing:
    """Observed and expected disagreement of one category among ``coders``.

    Args:
        coders: for each coder (at least two), the ``[start, end)`` units it marked.
        begin: where the continuum starts.
        length: the continuum's length ``L`` (> 0).
    """
    m = len(coders)
    if m < 2 or length <= 0:
        raise ValueError("unitizing agreement needs two coders and a continuum")
    end = begin + length
    units = [normalise(c, begin, end) for c in coders]
    segs = [segments(u, begin, end) for u in units]
    observed_sum = 0
    for i in range(m):
        for j in range(i + 1, m):
            observed_sum += 2 * _pair_sum(segs[i], segs[j])  # δ² is symmetric: i→j and j→i
    observed = observed_sum / (m * (m - 1) * length * length)

    lengths = [stop - start for coder in units for start, stop in coder]
    gaps = sorted(e - s for coder in segs for s, e, unit in coder if not unit)
    n_c = len(lengths)
    if n_c == 0:
        return Unitizing(observed, 0.0, 0)
    # Σ_{g ≥ l} (g − l + 1) = (Σ_{g ≥ l} g) − (l − 1)·#{g ≥ l}, from suffix sums of sorted gaps.
    suffix = [0, *accumulate(reversed(gaps))]  # suffix[k]: sum of the k largest gaps
    numerator = 0
    for ell in lengths:
        at = bisect.bisect_left(gaps, ell)
        count = len(gaps) - at
        fits = suffix[count] - (ell - 1) * count
        # (2l³ − 3l² + l) = l(l − 1)(2l − 1), a multiple of 6: the division is exact.
        numerator += (n_c - 1) * (ell * (ell - 1) * (2 * ell - 1) // 3) + ell * ell * fits
    denominator = m * length * (m * length - 1) - sum(ell * (ell - 1) for ell in lengths)
    if denominator <= 0:
        return Unitizing(observed, 0.0, n_c)
    expected = 2 * numerator / (length * denominator)
    return Unitizing(observed, expected, n_c)


def alpha_u(categories: Iterable[Unitizing]) -> float | None:
    """``uα`` over categories: ``1 − Σ cDo / Σ cDe`` (None when nothing varies)."""
    observed = expected = 0.0
    for cat in categories:
        observed += cat.observed
        expected += cat.expected
    if expected <= 0:
        return None
    return 1.0 - observed / expected
