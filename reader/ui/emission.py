"""The emission layer in the app: each frame's strips rewritten for the terminal's strategy.

Every frame Textual writes goes through ``App._display`` as a compositor update (whole
rows, or the changed pieces of rows, each a :class:`~textual.strip.Strip` per widget).
:class:`Emitter` rewrites the strips that hold right-to-left text before they are
turned into bytes, with the pure transforms of ``reader.terminal.emit``:

* ``marks``: each segment's text gets its left-to-right marks (no width, no new cells);
* ``shaper``: the characters of each kitty run are reversed across the segments of one
  widget's row, each column keeping its style.

Strips are rewritten whole, before Textual crops a partial update, so a cropped piece
still holds what its columns need. Strips without right-to-left text are passed as
they are. The other strategies need no rewriting and get no emitter.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.strip import Strip

from reader.terminal.emit import MAYBE_RTL, add_marks, cells_of, shaper_order
from reader.terminal.strategy import Strategy

#: Rewritten strips kept for reuse: a screen's rows come back frame after frame.
CACHE_SIZE = 4096


def _font_key(style: Style | None) -> Hashable:
    """What changes the font kitty draws a cell in."""
    return (bool(style.bold), bool(style.italic)) if style is not None else (False, False)


def marks_strip(strip: Strip) -> Strip:
    segments = [
        Segment(add_marks(text), style, control) if not control else Segment(text, style, control)
        for text, style, control in strip
    ]
    return Strip(segments, strip.cell_length)


def shaper_strip(strip: Strip) -> Strip:
    if any(control for _, _, control in strip):
        return strip
    cells: list[tuple[str, Hashable]] = []
    styles: list[Style | None] = []
    for text, style, _ in strip:
        for cell in cells_of(text):
            cells.append((cell, _font_key(style)))
            styles.append(style)
    texts = shaper_order(cells)
    segments: list[Segment] = []
    run: list[str] = []
    current: Style | None = None
    for i, (text, style) in enumerate(zip(texts, styles, strict=True)):
        if i and style is not current:
            segments.append(Segment("".join(run), current))
            run = []
        run.append(text)
        current = style
    if run:
        segments.append(Segment("".join(run), current))
    return Strip(segments, strip.cell_length)


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

    def strip(self, strip: Strip) -> Strip:
        """``strip`` as it must be written (itself when it holds no right-to-left text)."""
        if not MAYBE_RTL.search(strip.text):
            return strip
        key = tuple(strip)
        done = self._cache.get(key)
        if done is None:
            done = self._rewrite(strip)
            self._cache[key] = done
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
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
