"""Statistics: counts, covered characters (overlaps merged), totals and co-occurrence."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reader.corpus import Document
from reader.export.records import ExportData
from reader.export.stats import ALL, compute, covered_chars, plain_text
from reader.store import Annotation, default_themes


def doc(rel: str, text: str) -> Document:
    return Document(Path("/x") / rel, rel, text, "utf-8", len(text.encode()))


def ann(
    n: int, rel: str, start: int, end: int, themes: list[str], status: str = "anchored"
) -> Annotation:
    return Annotation(f"id{n}", rel, "", start, end, "q", "", "", themes, "", "a", "t", "t", status)


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=20))
def test_covered_chars_is_the_size_of_the_union(spans: list[tuple[int, int]]) -> None:
    pairs = [(s, s + n) for s, n in spans]
    union = set().union(*(range(s, e) for s, e in pairs)) if pairs else set()
    assert covered_chars(pairs) == len(union)


def test_figures_on_a_small_corpus() -> None:
    a, b = doc("a.txt", "x" * 100), doc("b.txt", "y" * 50)
    anns = [
        ann(1, "a.txt", 0, 10, ["arms"]),
        ann(2, "a.txt", 5, 20, ["arms", "china"]),  # overlaps 1: arms covers 0–20
        ann(3, "a.txt", 50, 60, ["troops", "arms", "china"]),
        ann(4, "b.txt", 0, 25, ["sanctions"]),
        ann(5, "b.txt", 10, 12, ["mystery"]),  # unknown key: kept, reported last
        ann(6, "b.txt", 30, 40, ["sanctions"], status="orphaned"),  # counts, covers nothing
        ann(7, "gone.txt", 0, 5, ["arms"]),  # no text: counted, no share
    ]
    stats = compute(ExportData(anns, default_themes(), {"a.txt": a, "b.txt": b}))
    assert stats.themes == ["arms", "troops", "sanctions", "china", "mystery"]
    assert stats.docs == ["a.txt", "b.txt", "gone.txt"]
    assert stats.count("a.txt", "arms") == 3 and stats.count("a.txt") == 3
    assert stats.share("a.txt", "arms") == 30 / 100  # 0–20 and 50–60
    assert stats.share("a.txt", "china") == 25 / 100  # 5–20 and 50–60
    assert stats.share("a.txt") == 30 / 100
    assert stats.count("b.txt", "sanctions") == 2 and stats.share("b.txt", "sanctions") == 0.5
    assert stats.share("b.txt") == 25 / 50  # 10–12 lies inside 0–25
    assert stats.share("gone.txt") is None and stats.count("gone.txt", "arms") == 1
    assert stats.total == 7 and stats.orphaned == 1
    assert stats.theme_total("arms") == 4 and stats.theme_docs["arms"] == 2
    assert stats.theme_share("sanctions") == 25 / 150
    assert stats.theme_share(ALL) == 55 / 150
    assert stats.cooccurrence == {
        ("arms", "china"): 2,
        ("arms", "troops"): 1,
        ("troops", "china"): 1,
    }
    text = plain_text(stats, {"arms": "Arms"})
    assert "Arms + china: 2" in text and "7 passages in 3 documents; 1 orphaned." in text
