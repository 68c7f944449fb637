"""Painting one laid-out line: styled runs over its cells, then the theme margin.

The document view decides what is painted (suggestions, tags, search hits, the
cursor) and in which order; this turns it into Rich segments. A run is given in
logical offsets and lands on the exact cells drawing them
(``VisualLine.column_spans``), so in a mixed line a run may show in several pieces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from rich.cells import cell_len
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError

from reader.colors import tag_background
from reader.layout import VisualLine

TAG_MARK = "▌"
"""Margin mark beside a line of a passage tagged with the column's theme."""
SUGGESTION_MARK = "┊"
"""Margin mark beside a line of an open suggestion for the column's theme."""


@lru_cache(maxsize=256)
def _color(color: str) -> Color:
    """A theme colour as Textual's: theme colours are checked by Rich's parser (themes.py),
    whose names (``grey50``, ``dark_orange``) Textual's does not all know."""
    try:
        return Color.parse(color)
    except ColorParseError:
        return Color(*RichColor.parse(color).get_truecolor())


def tag_style(color: str) -> Style:
    """A tag: white on the theme's colour, darkened until white reads on it, in 256 colours
    too (:func:`reader.colors.tag_background`)."""
    return Style(bgcolor=tag_background(color), color="#ffffff")


def suggestion_style(color: str) -> Style:
    """A suggestion: the theme's colour on the text itself, no background, in italics.

    Unlike a tag it leaves the background alone, so suggested and tagged sentences
    never look alike; underlining is left to search hits.
    """
    return Style(color=_color(color).rich_color, italic=True)


def line_segments(
    line: VisualLine,
    paragraph_start: int,
    width: int,
    base: Style,
    runs: Iterable[tuple[int, int, Style]],
    margin: Sequence[tuple[str, str]],
) -> list[Segment]:
    """The segments of one screen row: ``width`` text columns, a space, the margin.

    Args:
        line: the laid-out line (paragraph offsets).
        paragraph_start: the paragraph's document offset.
        width: text columns.
        base: the widget's style, under everything.
        runs: ``(start, end, style)`` in document offsets, in paint order (later on top).
        margin: ``(mark, colour)`` per theme column.
    """
    styles: list[Style | None] = [None] * width
    painted = False
    whole: list[tuple[int, int]] | None = None
    for start, end, run_style in runs:
        lo = max(start - paragraph_start, line.start)
        hi = min(end - paragraph_start, line.end)
        if lo >= hi:
            continue
        if lo == line.start and hi == line.end:  # the whole line (a tag, the cursor): once
            if whole is None:
                whole = line.column_spans(lo, hi)
            spans = whole
        else:
            spans = line.column_spans(lo, hi)
        for c0, c1 in spans:
            c0, c1 = max(0, c0), min(c1, width)
            if c0 >= c1:
                continue
            painted = True
            under = styles[c0:c1]
            if len(set(map(id, under))) == 1:  # one style under it (the usual case): one slice
                previous = under[0]
                styles[c0:c1] = [run_style if previous is None else previous + run_style] * (
                    c1 - c0
                )
                continue
            for col in range(c0, c1):
                previous = styles[col]
                styles[col] = run_style if previous is None else previous + run_style

    if not painted:
        # Nothing painted on it (most lines of a document): the line's text as one segment,
        # without building a Cell per glyph (~10× the time of the text). The engine's widths
        # are the ones Rich counts, so Rich measures the padding (a line too wide, which the
        # engine never makes, takes the cell path and is cut there).
        text = line.text()
        columns = cell_len(text)
        if columns <= width:
            plain = [Segment(text, base)] if text else []
            return _finish(plain, columns, width, base, margin)

    # One segment per run of cells in the same style (a line is mostly one or two runs):
    # the style of a run is looked up and combined with the base once, not once a cell.
    segments: list[Segment] = []
    if line.indent:
        segments.append(Segment(" " * min(line.indent, width), base))
    col = line.indent
    texts: list[str] = []
    current: Style | None = None
    for cell in line.cells:
        if col >= width:
            break
        style = styles[col]
        if style is not current:
            if texts:
                segments.append(Segment("".join(texts), base + current if current else base))
                texts = []
            current = style
        texts.append(cell.text)
        col += cell.width
    if texts:
        segments.append(Segment("".join(texts), base + current if current else base))
    return _finish(segments, col, width, base, margin)


def _finish(
    segments: list[Segment],
    col: int,
    width: int,
    base: Style,
    margin: Sequence[tuple[str, str]],
) -> list[Segment]:
    """Pad the text from column ``col`` to ``width``, then a space and the margin."""
    if col < width:
        segments.append(Segment(" " * (width - col), base))
    segments.append(Segment(" ", base))
    for mark, color in margin:
        segments.append(Segment(mark, _mark_style(base, color)))
    return list(Segment.simplify(segments))


@lru_cache(maxsize=256)
def _mark_style(base: Style, color: str) -> Style:
    """A margin mark's style: the same few for every line, made once."""
    return base + Style(color=color)
