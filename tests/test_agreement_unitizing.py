"""Krippendorff's unitizing α against the published worked examples.

- Krippendorff, K. (2004). *Content Analysis*, 2nd ed., Sage, §11.6, p. 254: two observers
  on the continuum 150–450, categories c and k. Published: cDo = .0144, cDe = .0532,
  cα = .7286; kDo = 0, kDe = .0490, kα = 1; uα = .8591 (from the rounded figures:
  1 − .0144/(.0532 + .0490); unrounded it is .8587).
- Krippendorff, K. (1995). On the reliability of unitizing continuous data. *Sociological
  Methodology* 25: 47–76, p. 57: four pairs of observers (A–D) on 24 positions.
  Published: Do = .03125 (A), 2.26736 (B), .02778 (C), .38715 (D); and, on a continuum
  long enough for the expected disagreement to settle, α ≈ .553, −.926, .679, .066 (the
  paper's De formula has a known slip, l + l + 1 for l − l + 1, so those match to ±.02 only).

Both examples as DKPro Agreement's tests (Krippendorff1995Test, Krippendorff2004Test)
reproduce them.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.agreement_unitizing import alpha_u, distance, normalise, segments, unitizing


def book_2004() -> tuple[list[list[tuple[int, int]]], list[list[tuple[int, int]]]]:
    c = [[(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]]
    k = [[(180, 240), (300, 350)], [(180, 240), (300, 350)]]
    return c, k


def test_content_analysis_2004_worked_example() -> None:
    c, k = book_2004()
    cat_c = unitizing(c, 150, 300)
    cat_k = unitizing(k, 150, 300)
    assert round(cat_c.observed, 4) == 0.0144
    assert round(cat_c.expected, 4) == 0.0532
    assert cat_c.alpha is not None and round(cat_c.alpha, 4) == 0.7286
    assert cat_k.observed == 0.0
    assert round(cat_k.expected, 4) == 0.0490
    assert cat_k.alpha == 1.0
    overall = alpha_u([cat_c, cat_k])
    assert overall is not None and abs(overall - 0.8591) < 0.0005
    # The book's .8591 is the formula on its rounded figures.
    assert round(1 - 0.0144 / (0.0532 + 0.0490), 4) == 0.8591


def test_distances_of_the_2004_example() -> None:
    # The three pairs of segments that disagree in category c (p. 254).
    assert distance((225, 295, True), (220, 300, True)) == 50
    assert distance((370, 400, True), (355, 375, True)) == 850
    assert distance((400, 450, False), (400, 420, True)) == 400
    # A unit only partly inside a gap, and two gaps, do not count.
    assert distance((295, 370, False), (355, 375, True)) == 0
    assert distance((150, 225, False), (150, 220, False)) == 0


def paper_1995(stretch: int) -> dict[str, list[list[tuple[int, int]]]]:
    def u(begin: int, length: int) -> tuple[int, int]:
        return begin * stretch, (begin + length) * stretch

    return {
        "A": [[u(2, 8), u(14, 6)], [u(4, 4), u(15, 2)]],
        "B": [[u(0, 18)], [u(0, 2), u(2, 1), u(3, 1), u(4, 1), u(5, 1), u(6, 3), u(9, 1)]],
        "C": [
            [u(2, 6), u(10, 2), u(14, 4), u(20, 2)],
            [u(0, 2), u(4, 4), u(10, 4), u(16, 2), u(20, 2)],
        ],
        "D": [
            [u(0, 2), u(2, 8), u(10, 4), u(14, 6), u(20, 4)],
            [u(0, 4), u(4, 4), u(8, 7), u(15, 2), u(17, 7)],
        ],
    }


def test_sociological_methodology_1995_observed_disagreements() -> None:
    published = {"A": 0.03125, "B": 2.26736, "C": 0.02778, "D": 0.38715}
    for name, coders in paper_1995(1).items():
        assert round(unitizing(coders, 0, 24).observed, 5) == published[name], name


def test_sociological_methodology_1995_alphas() -> None:
    published = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for name, coders in paper_1995(1000).items():
        result = unitizing(coders, 0, 24_000)
        assert round(result.observed, 5) == round(unitizing(paper_1995(1)[name], 0, 24).observed, 5)
        assert result.alpha is not None and abs(result.alpha - published[name]) < 0.02, name


def test_nothing_to_agree_on_is_undefined() -> None:
    empty = unitizing([[], []], 0, 100)
    assert empty.observed == 0 and empty.alpha is None
    assert alpha_u([empty]) is None
    with pytest.raises(ValueError):
        unitizing([[(0, 5)]], 0, 10)


def test_units_are_clipped_and_joined() -> None:
    assert normalise([(5, 9), (-3, 2), (8, 12), (12, 14), (20, 30), (4, 4)], 0, 25) == [
        (0, 2),
        (5, 12),
        (12, 14),
        (20, 25),
    ]
    assert segments([(2, 4)], 0, 6) == [(0, 2, False), (2, 4, True), (4, 6, False)]


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)), max_size=6).map(
    lambda pairs: [(s, s + n) for s, n in pairs]
)


def brute_observed(coders: list[list[tuple[int, int]]], length: int) -> float:
    """Every pair of segments of every ordered pair of coders (no sweep)."""
    segs = [segments(normalise(c, 0, length), 0, length) for c in coders]
    total = 0
    for i, a_segs in enumerate(segs):
        for j, b_segs in enumerate(segs):
            if i != j:
                total += sum(
                    distance(a, b) for a in a_segs for b in b_segs if a[0] < b[1] and b[0] < a[1]
                )
    m = len(coders)
    return total / (m * (m - 1) * length * length)


@given(st.lists(spans, min_size=2, max_size=4))
def test_sweep_equals_every_pair(coders: list[list[tuple[int, int]]]) -> None:
    result = unitizing(coders, 0, 80)
    assert result.observed == pytest.approx(brute_observed(coders, 80))
    if result.alpha is not None and all(c == coders[0] for c in coders):
        assert result.alpha == 1.0  # identical unitizations agree perfectly
