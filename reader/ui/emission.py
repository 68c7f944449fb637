"""The emission layer in the app: each frame's strips rewritten for the terminal's strategy.

Every frame Textual writes goes through ``App._display`` as a compositor update (whole
rows, or the changed pieces of rows, each a :class:`~textual.strip.Strip` per widget).
:class:`Emitter` rewrites the strips that hold right-to-left text before they are
turned into bytes, with the pure transforms of ``reader.terminal.emit``:

* ``marks``: each right-to-left word reversed and followed by a left-to-right mark;
* ``shaper``: the characters of each kitty run reversed.

Both work across the segments of one widget's row, and only the characters move: each
column keeps its style.

Strips are rewritten whole, before Textual crops a partial update, so a cropped piece
still holds what its columns need. Strips without right-to-left text are passed as
they are. The other strategies need no rewriting and get no emitter.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Hashable
from itertools import accumulate, groupby
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.strip import Strip

from reader.terminal.emit import (
    LRM,
    MAYBE_RTL,
    cells_of,
    mark_words,
    marks_order,
    shape_runs,
    shaper_order,
)
from reader.terminal.strategy import Strategy

#: Rewritten strips kept for reuse: a screen's rows come back frame after frame.
CACHE_SIZE = 4096


def _font_key(style: Style | None) -> Hashable:
    """What changes the font kitty draws a cell in."""
    return (bool(style.bold), bool(style.italic)) if style is not None else (False, False)


def _cells(strip: Strip) -> tuple[list[str], list[Style | None]]:
    """The strip's cells (text of each) and each cell's style."""
    cells: list[str] = []
    styles: list[Style | None] = []
    for text, style, _ in strip:
        for cell in cells_of(text):
            cells.append(cell)
            styles.append(style)
    return cells, styles


def _rebuild(texts: list[str], styles: list[Style | None], cell_length: int) -> Strip:
    """Segments from per-cell texts and styles; a segment ends after every mark, so that
    cropping the strip at that column (a partial update) keeps the mark with its cell."""
    segments: list[Segment] = []
    run: list[str] = []
    current: Style | None = None
    for i, (text, style) in enumerate(zip(texts, styles, strict=True)):
        if i and (style is not current or run[-1].endswith(LRM)):
            segments.append(Segment("".join(run), current))
            run = []
        run.append(text)
        current = style
    if run:
        segments.append(Segment("".join(run), current))
    return Strip(segments, cell_length)


def _split(out: str, segments: list[Segment], bounds: list[int]) -> list[Segment]:
    """``out`` cut back into the segments' styles at ``bounds`` (end of each, in ``out``),
    and after every mark, so that a crop after a word keeps the word's mark."""
    pieces: list[Segment] = []
    start = 0
    for (_, style, _), end in zip(segments, bounds, strict=True):
        for text in _AFTER_MARK.split(out[start:end]):
            if text:
                pieces.append(Segment(text, style))
        start = end
    return pieces


_AFTER_MARK = re.compile(f"(?<={LRM})")


def marks_strip(strip: Strip) -> Strip:
    segments = list(strip)
    if any(control for _, _, control in segments):
        return strip
    fast = mark_words("".join(text for text, _, _ in segments))
    if fast is None:  # harakat: cell by cell
        cells, styles = _cells(strip)
        return _rebuild(marks_order(cells), styles, strip.cell_length)
    out, ends = fast
    bounds, position = [], 0
    for text, _, _ in segments:
        position += len(text)
        bounds.append(position + bisect_right(ends, position))  # a word's mark stays left
    return Strip(_split(out, segments, bounds), strip.cell_length)


def shaper_strip(strip: Strip) -> Strip:
    segments = list(strip)
    if any(control for _, _, control in segments):
        return strip
    # Runs never cross a change of font: shape each stretch of one font key on its own.
    out: list[str] = []
    for _, group in groupby(segments, key=lambda s: _font_key(s.style)):
        shaped = shape_runs("".join(text for text, _, _ in group))
        if shaped is None:  # harakat or wide characters: cell by cell
            cells, styles = _cells(strip)
            texts = shaper_order(list(zip(cells, map(_font_key, styles), strict=True)))
            return _rebuild(texts, styles, strip.cell_length)
        out.append(shaped)
    bounds = list(accumulate(len(text) for text, _, _ in segments))
    return Strip(_split("".join(out), segments, bounds), strip.cell_length)


class Emitter:
    """Rewrites compositor updates for one strategy (``marks`` or ``shaper``)."""

    def __init__(self, strategy: Strategy) -> None:
        if strategy is Strategy.MARKS:
            self._rewrite = marks_strip
        elif strategy is Strategy.SHAPER:
            self._rewrite = shaper_strip
        else:
            raise ValueError(f"no emitter for the {strategy} strategy")
        self.strategy = strategy
        self._cache: OrderedDict[tuple[Segment, ...], Strip] = OrderedDict()
        self._by_id: dict[int, tuple[Strip, Strip]] = {}

    def strip(self, strip: Strip) -> Strip:
        """``strip`` as it must be written (itself when it holds no right-to-left text)."""
        # Widgets hand the same Strip objects frame after frame: look them up by identity
        # first (the strip is kept in the entry, so its id cannot be reused meanwhile).
        seen = self._by_id.get(id(strip))
        if seen is not None and seen[0] is strip:
            return seen[1]
        if not any(MAYBE_RTL.search(text) for text, _, _ in strip):
            done = strip
        else:
            key = tuple(strip)
            cached = self._cache.get(key)
            if cached is None:
                cached = self._cache[key] = self._rewrite(strip)
                if len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            done = cached
        if len(self._by_id) >= CACHE_SIZE:
            self._by_id.clear()
        self._by_id[id(strip)] = (strip, done)
        return done

    def update(self, renderable: Any) -> Any:
        """A compositor update with its strips rewritten (other renderables as they are)."""
        rewrite = self.strip
        if isinstance(renderable, LayoutUpdate):
            renderable.strips = [[rewrite(s) for s in line] for line in renderable.strips]
        elif isinstance(renderable, ChopsUpdate):
            renderable.chops = [
                {x: None if s is None else rewrite(s) for x, s in chop.items()}
                for chop in renderable.chops
            ]
        return renderable


def make_emitter(strategy: str) -> Emitter | None:
    """The emitter a strategy needs, or None when the app's strips go out as they are."""
    kind = Strategy(strategy)
    return Emitter(kind) if kind in (Strategy.MARKS, Strategy.SHAPER) else None
