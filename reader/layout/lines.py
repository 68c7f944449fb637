"""The layout's vocabulary: ``BidiMode``, ``Cell`` and ``VisualLine`` (see docs/LAYOUT.md).

A ``VisualLine`` is one screen line of a paragraph: cells in visual order with the maps
between screen columns and paragraph offsets that selections and highlights are drawn with.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import FrozenInstanceError, dataclass
from enum import StrEnum
from typing import Any, Protocol


class BidiMode(StrEnum):
    """Who reorders right-to-left text: the reader (``app``) or the terminal (``terminal``)."""

    APP = "app"
    TERMINAL = "terminal"


@dataclass(frozen=True, slots=True)
class Cell:
    """One thing drawn on screen."""

    text: str
    """What is drawn: one glyph (shaped, mirrored) followed by its combining marks."""
    width: int
    """Terminal columns: 1, or 2 for wide characters (a tab: its spaces)."""
    start: int
    """First paragraph offset this cell stands for."""
    end: int
    """One past the last: a lam-alef cell covers both letters; marks ride on their base."""


class LineRecipe(Protocol):
    """What the engine hands a line instead of its cells: builds them, or only the text."""

    def cells(self) -> tuple[Cell, ...]: ...

    def text(self) -> str: ...


class VisualLine:
    """One screen line of a paragraph: cells in visual order, left to right.

    Behaves as a frozen dataclass with the fields ``cells``, ``indent``, ``start``, ``end``,
    ``rtl`` and ``hidden`` (see docs/ARCHITECTURE.md), except that the engine may hand over a
    recipe instead of the cells: they are then built the first time they are asked for, so a
    long paragraph is wrapped at once but reordered only where it is drawn.
    """

    __slots__ = (
        "_cells",
        "_colmap",
        "_recipe",
        "_text",
        "end",
        "hidden",
        "indent",
        "rtl",
        "start",
    )
    _cells: tuple[Cell, ...] | None
    _recipe: LineRecipe | None
    _text: str | None
    _colmap: tuple[list[int], list[tuple[int, int]], list[int], list[int]] | None
    indent: int
    """Blank columns before the first cell (right alignment of right-to-left paragraphs)."""
    start: int
    """Logical range ``[start, end)`` of the paragraph this line holds, break spaces included."""
    end: int
    rtl: bool
    """The paragraph's direction."""
    hidden: tuple[int, ...]
    """Offsets in ``[start, end)`` drawn in no cell (break spaces, invisible controls)."""

    def __init__(
        self,
        cells: Sequence[Cell] = (),
        indent: int = 0,
        start: int = 0,
        end: int = 0,
        rtl: bool = False,
        hidden: Sequence[int] = (),
        *,
        recipe: LineRecipe | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "_cells", None if recipe is not None else tuple(cells))
        put(self, "_recipe", recipe)
        put(self, "_text", None)
        put(self, "_colmap", None)
        put(self, "indent", indent)
        put(self, "start", start)
        put(self, "end", end)
        put(self, "rtl", rtl)
        put(self, "hidden", tuple(hidden))

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    @property
    def cells(self) -> tuple[Cell, ...]:
        """What is drawn, in visual order, left to right (content only)."""
        cells: tuple[Cell, ...] | None = self._cells
        if cells is None:
            assert self._recipe is not None
            cells = self._recipe.cells()
            object.__setattr__(self, "_cells", cells)
            object.__setattr__(self, "_recipe", None)
        return cells

    def _key(self) -> tuple[Any, ...]:
        return (self.cells, self.indent, self.start, self.end, self.rtl, self.hidden)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VisualLine):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"VisualLine(text={self.text()!r}, indent={self.indent}, start={self.start}, "
            f"end={self.end}, rtl={self.rtl}, hidden={self.hidden})"
        )

    @property
    def width(self) -> int:
        """Columns used: indent plus cells."""
        return self.indent + sum(cell.width for cell in self.cells)

    def text(self) -> str:
        """Indent and cells, no trailing padding."""
        text = self._text
        if text is None:
            # Cells not built yet: the engine's recipe joins the same glyphs in the same
            # order without making a Cell for each (what `reader show` and titles need).
            recipe = self._recipe
            if self._cells is None and recipe is not None:
                text = recipe.text()
            else:
                text = "".join(cell.text for cell in self.cells)
            object.__setattr__(self, "_text", text)
        return " " * self.indent + text

    def _columns(self) -> tuple[list[int], list[tuple[int, int]], list[int], list[int]]:
        """Cells by first offset (their starts, then their end and column), and each cell's
        first column with its first offset in visual order — per cell, never per offset
        (one cell may stand for a million undrawn marks)."""
        colmap = self._colmap
        if colmap is None:
            by_start: list[tuple[int, int, int]] = []
            firsts: list[int] = []
            offsets: list[int] = []
            col = self.indent
            for cell in self.cells:
                by_start.append((cell.start, cell.end, col))
                firsts.append(col)
                offsets.append(cell.start)
                col += cell.width
            firsts.append(col)
            by_start.sort()
            starts = [start for start, _, _ in by_start]
            ends = [(end, col) for _, end, col in by_start]
            colmap = (starts, ends, firsts, offsets)
            object.__setattr__(self, "_colmap", colmap)
        return colmap

    def column_of(self, offset: int) -> int | None:
        """Screen column (indent included) of the cell drawing ``offset``; None if none does."""
        starts, ends, _, _ = self._columns()
        k = bisect_right(starts, offset) - 1
        if k < 0 or offset >= ends[k][0]:
            return None
        return ends[k][1]

    def offset_at(self, column: int) -> int | None:
        """First offset drawn at a screen column; None in the indent or past the last cell."""
        _, _, firsts, offsets = self._columns()
        if not offsets or column < firsts[0] or column >= firsts[-1]:
            return None
        lo, hi = 0, len(offsets) - 1
        while lo < hi:  # last cell whose first column <= column
            mid = (lo + hi + 1) // 2
            if firsts[mid] <= column:
                lo = mid
            else:
                hi = mid - 1
        return offsets[lo]

    def column_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Visual ``[col0, col1)`` runs covering the logical range: what a highlight paints."""
        spans: list[tuple[int, int]] = []
        col = self.indent
        for cell in self.cells:
            nxt = col + cell.width
            if cell.start < end and cell.end > start and start < end:
                if spans and spans[-1][1] == col:
                    spans[-1] = (spans[-1][0], nxt)
                else:
                    spans.append((col, nxt))
            col = nxt
        return spans
