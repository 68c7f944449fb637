"""``VisualLine.text()`` without cells equals the text of the cells, on every kind of line.

The engine hands each line a second recipe that joins the glyphs in visual order without
making a ``Cell`` per glyph (``reader show`` and titles only want the text). These tests
lay out afresh, ask for the text first (the fast path), then build the cells and compare.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.layout import BidiMode, VisualLine, layout_line, layout_paragraph
from reader.layout.engine import clear_caches, layout_texts

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    *(p.read_text("utf-8") for p in sorted((ROOT / "seeds").iterdir())),
    *(p.read_text("utf-8") for p in sorted((ROOT / "tests" / "data" / "udhr").glob("*.txt"))),
]
# Arabic letters and a lam-alef, harakat, digits, Latin, brackets and mirrored signs, tabs,
# explicit embeddings and isolates, an orphan mark at the start, a wide character.
ALPHABET = (
    "بيتلاأإآ لا"
    + "\u064e\u0651"
    + "0123٤٥ab C(){}<>[]«»\t"
    + "\u202a\u202b\u202c\u202d\u202e"
    + "\u2066\u2067\u2068\u2069\u200f\u200e"
    + "漢"
)


def drawn(lines: tuple[VisualLine, ...] | list[VisualLine]) -> list[str]:
    return [" " * line.indent + "".join(cell.text for cell in line.cells) for line in lines]


def text_then_cells(lines: tuple[VisualLine, ...] | list[VisualLine]) -> None:
    fast = [line.text() for line in lines]
    assert fast == drawn(lines)


def texts_equal_cells(paragraph: str, width: int, mode: BidiMode, fallback_rtl: bool) -> None:
    """``layout_texts`` (what ``reader show`` prints) draws what the cells draw."""
    texts = layout_texts(paragraph, width, mode, fallback_rtl)
    clear_caches()
    assert texts == drawn(layout_paragraph(paragraph, width, mode, fallback_rtl))


@pytest.mark.parametrize("mode", list(BidiMode))
@pytest.mark.parametrize("width", [7, 33, 80])
def test_paragraphs_of_the_seeds_and_udhr(mode: BidiMode, width: int) -> None:
    assert len(TEXTS) == 8  # five seeds, three UDHR translations
    clear_caches()
    for text in TEXTS:
        for paragraph in text.split("\n"):
            text_then_cells(layout_paragraph(paragraph, width, mode))
            texts_equal_cells(paragraph, width, mode, True)


@pytest.mark.parametrize("mode", list(BidiMode))
def test_titles_cut_with_an_ellipsis(mode: BidiMode) -> None:
    clear_caches()
    titles = [line for text in TEXTS for line in text.split("\n")[:40] if line.strip()]
    text_then_cells([layout_line(title, 24, mode) for title in titles])


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=ALPHABET, max_size=60),
    width=st.integers(2, 25),
    mode=st.sampled_from(list(BidiMode)),
    cut=st.booleans(),
    fallback_rtl=st.booleans(),
)
def test_any_line(text: str, width: int, mode: BidiMode, cut: bool, fallback_rtl: bool) -> None:
    clear_caches()
    if cut:
        text_then_cells([layout_line(text, width, mode)])
    else:
        text_then_cells(layout_paragraph(text, width, mode, fallback_rtl))
        texts_equal_cells(text, width, mode, fallback_rtl)
