"""Painting a line in runs gives exactly the segments of painting it cell by cell."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style

from reader.corpus import read_document
from reader.layout import VisualLine, layout_paragraph
from reader.ui.widgets.painting import line_segments, suggestion_style, tag_style
from tests.hostile.strategies import hostile_paragraph

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
DOC = read_document(SEEDS[0])
PARAGRAPHS = [p for p in DOC.paragraphs() if p.text.strip()][:12]
STYLES = [
    tag_style("#e05d44"),
    tag_style("#2f80ed"),
    suggestion_style("#27ae60"),
    Style(underline=True, bold=True, color="yellow"),
    Style(bgcolor="#334455", bold=True),
    Style(),
]
BASE = Style(color="#dddddd", bgcolor="#101010")


def cell_by_cell(
    line: VisualLine,
    paragraph_start: int,
    width: int,
    base: Style,
    runs: Iterable[tuple[int, int, Style]],
    margin: Sequence[tuple[str, str]],
) -> list[Segment]:
    """The painting as it was first written: a style per column, a segment per cell."""
    styles: list[Style | None] = [None] * width
    for start, end, run_style in runs:
        lo = max(start - paragraph_start, line.start)
        hi = min(end - paragraph_start, line.end)
        if lo >= hi:
            continue
        for c0, c1 in line.column_spans(lo, hi):
            for col in range(max(0, c0), min(c1, width)):
                previous = styles[col]
                styles[col] = run_style if previous is None else previous + run_style
    segments: list[Segment] = []
    if line.indent:
        segments.append(Segment(" " * min(line.indent, width), base))
    col = line.indent
    for cell in line.cells:
        if col >= width:
            break
        style = styles[col]
        segments.append(Segment(cell.text, base + style if style else base))
        col += cell.width
    if col < width:
        segments.append(Segment(" " * (width - col), base))
    segments.append(Segment(" ", base))
    for mark, color in margin:
        segments.append(Segment(mark, base + Style(color=color)))
    return list(Segment.simplify(segments))


runs = st.lists(
    st.tuples(st.integers(0, 3000), st.integers(0, 400), st.integers(0, len(STYLES) - 1)),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(PARAGRAPHS) - 1), st.integers(12, 90), runs)
def test_runs_paint_what_cells_paint(
    which: int, width: int, painted: list[tuple[int, int, int]]
) -> None:
    paragraph = PARAGRAPHS[which]
    margin = [("▌", "#e05d44"), (" ", "#2f80ed")]
    styled = [
        (paragraph.start + start, paragraph.start + start + length, STYLES[k])
        for start, length, k in painted
    ]
    for line in layout_paragraph(paragraph.text, width):
        mine = line_segments(line, paragraph.start, width, BASE, styled, margin)
        assert mine == cell_by_cell(line, paragraph.start, width, BASE, styled, margin)


@settings(max_examples=300, deadline=None)
@given(hostile_paragraph, st.integers(3, 90), runs)
def test_hostile_lines_paint_the_same_with_or_without_runs(
    text: str, width: int, painted: list[tuple[int, int, int]]
) -> None:
    """Lines with nothing painted take the text path (no cells): the same segments."""
    margin = [("▌", "#e05d44")]
    styled = [(start % 60, start % 60 + length, STYLES[k]) for start, length, k in painted]
    for line in layout_paragraph(text, width):
        for with_runs in (styled, []):
            mine = line_segments(line, 0, width, BASE, with_runs, margin)
            assert mine == cell_by_cell(line, 0, width, BASE, with_runs, margin)


def test_runs_over_whole_lines_stacked_paint_what_cells_paint() -> None:
    """Whole lines under two or three runs (a tag, a second theme, the cursor), and runs
    over part of what another covers: the shortcuts (one slice when one style lies under a
    run, the whole line's columns found once) give the cell-by-cell segments."""
    margin = [("▌", "#e05d44")]
    for paragraph in PARAGRAPHS:
        start, end = paragraph.start, paragraph.start + len(paragraph.text)
        middle = (start + end) // 2
        for styled in (
            [(start, end, STYLES[0]), (start, end, STYLES[4])],
            [(start, end, STYLES[0]), (start, end, STYLES[1]), (start, end, STYLES[3])],
            [(start, middle, STYLES[2]), (start, end, STYLES[0]), (middle - 3, end, STYLES[3])],
        ):
            for width in (20, 47, 80):
                for line in layout_paragraph(paragraph.text, width):
                    mine = line_segments(line, paragraph.start, width, BASE, styled, margin)
                    assert mine == cell_by_cell(line, paragraph.start, width, BASE, styled, margin)
