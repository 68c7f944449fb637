"""The layout engine: a paragraph → visual lines of cells, with exact cell ↔ offset maps.

Pipeline for one paragraph (``app`` mode):

1. *analyse* once per paragraph text (``analysis``): kinds and widths of every code point
   (``sanitize``), Arabic shaping (``shaping``), UAX #9 levels resolved once for the whole
   paragraph (``uax9``), L4;
2. *wrap* in logical order by columns (``wrap.break_lines``);
3. per line, and only when its cells are first asked for: L1 (``uax9.line_levels``), L2 on
   cells (``uax9.visual_order``), L3 for free (a cell is a letter *and* its marks, so the
   marks follow their letter whatever the direction), L4 mirrored glyphs at odd levels;
4. right-align right-to-left paragraphs (``VisualLine.indent``).

``terminal`` mode keeps the logical order and the letters unshaped (a terminal that does bidi
and shaping itself gets the text it expects), with the same placeholders for controls.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import sub
from typing import Final

from reader.layout import uax9
from reader.layout.analysis import (
    ALEF_DRAWN_BY_LAM,
    Analysis,
    analyse,
    running_columns,
    widths_for,
)
from reader.layout.fastlines import plain_texts
from reader.layout.lines import BidiMode, Cell, VisualLine
from reader.layout.sanitize import DOTTED_CIRCLE, ELLIPSIS, TAB_WIDTH
from reader.layout.ucd import CLASS_MAP
from reader.layout.wrap import CONTINUATION, LineBreak, break_lines

_PLAIN_PATH = True  # the tests turn it off to compare both ways
# A line of only these kinds has one cell per code point (a lam-alef: one for two).
_SIMPLE: Final = re.compile(r"[^nsl]")
# A line of only these kinds has its text built from slices (``_slices_text``).
_STRING_PATH: Final = re.compile(r"[^nslm]")

# Cells are built column by column: object.__new__ and the slot descriptors, driven by map()
# in C, make the same frozen dataclass instances as Cell(...) in half the time (a screenful
# is some 5,000 cells).
_NEW_OBJECT: Final = object.__new__
_CELL_FIELDS: Final = tuple(vars(Cell)[name].__set__ for name in ("text", "width", "start", "end"))


def _make_cells(n: int, *columns: Iterable[object]) -> list[Cell]:
    cells: list[Cell] = list(map(_NEW_OBJECT, repeat(Cell, n)))
    for setter, column in zip(_CELL_FIELDS, columns, strict=True):
        deque(map(setter, cells, column), 0)
    return cells


def _kind_flags(kinds: str) -> bytes:
    table = bytearray(256)
    for kind in kinds:
        table[ord(kind)] = 1
    return bytes(table)


_BOUNDS: Final = _kind_flags("nwpstSoh")  # kinds that do not continue the cell before them
_STARTS: Final = _kind_flags("nwpstSo")  # …and that start a cell (a hidden control does not)
_FIXUP: Final = re.compile("[tol]")


def _line_columns(
    an: Analysis, line: LineBreak, cum: Sequence[int], tab_width: int
) -> tuple[list[str], Iterable[int], Sequence[int], Sequence[int], list[int] | None]:
    """A line's cells as columns, in logical order: texts, widths, starts, ends, levels.

    The levels (after L1) are None for a line with no bidi analysis. Each column is
    computed by a pass in C — slices, ``bytes.translate`` flags and ``itertools.compress``
    — with Python only for the rare tabs and orphan marks.
    """
    start, stop = line.start, line.content_end
    kinds, glyphs = an.kinds, an.glyphs
    starts: Sequence[int]
    ends: Sequence[int]
    widths: Iterable[int]
    keep: bytes | None = None  # which code points start a cell, when not all of them do
    if _SIMPLE.search(kinds, start, stop) is None:
        if kinds.find("l", start, stop) == -1:  # one cell per code point, one column each
            starts, ends = range(start, stop), range(start + 1, stop + 1)
            texts = list(glyphs[start:stop])
        else:  # …except the alef of each lam-alef, drawn by the lam's cell
            keep = kinds[start:stop].encode("ascii").translate(_STARTS)
            starts = list(compress(range(start, stop), keep))
            ends = [*starts[1:], stop]
            texts = list(compress(glyphs[start:stop], keep))
        widths = repeat(1)
    else:
        raw = kinds[start:stop].encode("ascii")
        bound_flags = raw.translate(_BOUNDS)
        bounds = list(compress(range(start, stop), bound_flags))
        opens = bytes(compress(raw, bound_flags)).translate(_STARTS)
        starts = list(compress(bounds, opens))
        ends = list(compress([*bounds[1:], stop], opens))
        keep = raw.translate(_STARTS)
        texts = list(map(glyphs.__getitem__, map(slice, starts, ends)))
        widths = list(map(sub, map(cum.__getitem__, ends), map(cum.__getitem__, starts)))
        # Once per cell that needs it (a cell may cover a million undrawn marks).
        fix = _FIXUP.search(kinds, start, stop)
        while fix is not None:
            k = bisect_right(starts, fix.start()) - 1
            s, e = starts[k], ends[k]
            if e <= fix.start():  # not inside a drawn cell: nothing to fix
                fix = _FIXUP.search(kinds, fix.end(), stop)
                continue
            text = texts[k]
            if kinds[s] == "t":
                text = " " * tab_width + text[1:]
            elif kinds[s] == "o":  # a mark with nothing to sit on
                text = DOTTED_CIRCLE + text
            if kinds.find("l", s, e) != -1:  # drawn by the cell, not by a glyph of its own
                text = text.replace(ALEF_DRAWN_BY_LAM, "")
            texts[k] = text
            fix = _FIXUP.search(kinds, max(e, fix.end()), stop)
    n = len(texts)
    if an.levels is None:
        return texts, widths, starts, ends, None
    # L1 on the whole line (its trailing spaces included), then L2 over cells, not code points.
    lv = uax9.line_levels(an.text, an.levels, line.start, line.end, an.base, an.classes)
    cell_levels = lv[:n] if keep is None else list(compress(lv, keep))
    return texts, widths, starts, ends, cell_levels


def _build_cells(
    an: Analysis,
    line: LineBreak,
    cum: Sequence[int],
    tab_width: int,
    tail: Cell | None = None,
) -> tuple[Cell, ...]:
    """Cells of one line in visual order; ``tail`` (an ellipsis) sits at the logical end."""
    texts, widths, starts, ends, levels = _line_columns(an, line, cum, tab_width)
    cells = _make_cells(len(texts), texts, widths, starts, ends)
    if levels is None:
        return (*cells, tail) if tail is not None else tuple(cells)
    if tail is not None:
        cells.append(tail)
        levels.append(an.base)
    if an.kinds.find("p", line.start, line.content_end) != -1:
        _outer_levels(an, [cell.start for cell in cells], levels)
    return tuple(map(cells.__getitem__, uax9.visual_order(levels)))


def _build_text(
    an: Analysis,
    line: LineBreak,
    cum: Sequence[int],
    tab_width: int,
    tail: Cell | None = None,
) -> str:
    """What ``_build_cells`` would draw, as one string, without making a ``Cell`` per glyph.

    ``reader show`` and every title only want the text: building the cells to join them
    was 60 % of ``reader show``'s time (cProfile on 2.3 MB of bench/output/big.txt).
    """
    start, stop = line.start, line.content_end
    kinds = an.kinds
    if tail is None and _STRING_PATH.search(kinds, start, stop) is None:
        text = _slices_text(an, line)
        if text is not None:
            return text
    texts, _, starts, _, levels = _line_columns(an, line, cum, tab_width)
    if tail is not None:
        texts.append(tail.text)
    if levels is None:
        return "".join(texts)
    firsts = [*starts, tail.start] if tail is not None else starts
    if tail is not None:
        levels.append(an.base)
    if an.kinds.find("p", line.start, line.content_end) != -1:
        _outer_levels(an, firsts, levels)
    return "".join(map(texts.__getitem__, uax9.visual_order(levels)))


def _slices_text(an: Analysis, line: LineBreak) -> str | None:
    """A line's text by moving slices of the paragraph's glyphs, with no object per glyph.

    For lines of letters, spaces, lam-alefs and marks only (no tab, control, wide or orphan):
    each cell is then a code point and the marks after it. L2 moves whole runs; with marks,
    only a line of one level (nearly every line) — None for the others.
    """
    start, stop = line.start, line.content_end
    kinds = an.kinds
    text = an.glyphs[start:stop]
    resolved, classes = an.levels, an.classes
    if resolved is not None and classes is not None and stop > start:
        if uax9.l1_untouched(classes, start, stop):
            lv = resolved[start:stop]
        else:
            full = uax9.line_levels(an.text, resolved, start, line.end, an.base, classes)
            lv = bytes(full[: stop - start])
        level = lv[0]
        if lv.count(level) == len(lv):  # one level: nearly every line
            if level & 1:
                marks = kinds.find("m", start, stop) != -1
                text = _reverse_cells(text, kinds[start:stop]) if marks else text[::-1]
        elif kinds.find("m", start, stop) == -1:
            text = _reorder(text, lv)
        else:
            return None
    return text.replace(ALEF_DRAWN_BY_LAM, "") if kinds.find("l", start, stop) != -1 else text


# In reversed kinds, a cell with marks: its continuations, then its first code point.
_REVERSED_CELL_WITH_MARKS: Final = re.compile("[ml]*m[ml]*.", re.S)


def _reverse_cells(text: str, kinds: str) -> str:
    """The cells of a line in reverse order, each still drawn base first, marks after."""
    backwards = text[::-1]
    parts: list[str] = []
    last = 0
    for m in _REVERSED_CELL_WITH_MARKS.finditer(kinds[::-1]):
        s, e = m.span()
        parts += (backwards[last:s], backwards[s:e][::-1])
        last = e
    parts.append(backwards[last:])
    return "".join(parts)


def _reorder(text: str, levels: bytes) -> str:
    """L2 on a string with one cell per code point."""
    runs = uax9.visual_runs(levels)
    if len(runs) == 1:
        return text[::-1] if runs[0][2] else text
    return "".join([text[s:e][::-1] if rev else text[s:e] for s, e, rev in runs])


_OPENERS: Final = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO
_PDF: Final = "\u202c"


def _outer_levels(an: Analysis, firsts: Sequence[int], levels: list[int]) -> None:
    """Draw embedding/override placeholders next to the run they open or close.

    X9 removes these controls, and the level they are given (the preceding character's)
    can draw them away from their run — after a neighbouring run of the same direction, or
    on the far side of it. An opener takes the level of the first cell after it, a PDF that
    of the last cell before it (other embedding controls skipped): each is reordered with
    its run and drawn beside the run's first or last character, so the two placeholders
    enclose what the override reorders.
    """
    text = an.text
    n = len(firsts)
    for k, first in enumerate(firsts):  # each cell's first offset, in logical order
        ch = text[first]
        if ch in _OPENERS:
            j = k + 1
            while j < n and text[firsts[j]] in _EMBEDDING_CONTROLS:
                j += 1
            levels[k] = levels[j] if j < n else an.base
        elif ch == _PDF:
            j = k - 1
            while j >= 0 and text[firsts[j]] in _EMBEDDING_CONTROLS:
                j -= 1
            levels[k] = levels[j] if j >= 0 else an.base


_EMBEDDING_CONTROLS: Final = _OPENERS | {_PDF}


_HIDDEN_KIND: Final = re.compile("h")


def _hidden(an: Analysis, start: int, content_end: int, end: int) -> tuple[int, ...]:
    """Invisible controls among the drawn offsets, then the trailing offsets not drawn."""
    kinds = an.kinds
    inner: list[int] = []
    if kinds.find("h", start, content_end) != -1:  # one step per hidden control, not per offset
        inner = [m.start() for m in _HIDDEN_KIND.finditer(kinds, start, content_end)]
    return (*inner, *range(content_end, end))


class _Recipe:
    """How to build one line's cells, or only its text, when first asked for."""

    __slots__ = ("an", "cum", "line", "tab_width", "tail")

    def __init__(
        self,
        an: Analysis,
        line: LineBreak,
        cum: Sequence[int],
        tab_width: int,
        tail: Cell | None,
    ) -> None:
        self.an, self.line, self.cum, self.tab_width, self.tail = an, line, cum, tab_width, tail

    def cells(self) -> tuple[Cell, ...]:
        return _build_cells(self.an, self.line, self.cum, self.tab_width, self.tail)

    def text(self) -> str:
        return _build_text(self.an, self.line, self.cum, self.tab_width, self.tail)


def _indent(an: Analysis, line: LineBreak, width: int, cum: Sequence[int], tail: int) -> int:
    """Right alignment: blank columns before a right-to-left line (``tail``: its columns)."""
    if an.base != 1 or an.mode is not BidiMode.APP or (line.content_end == line.start and not tail):
        return 0
    return max(0, width - (cum[line.content_end] - cum[line.start] + tail))


def _visual_line(
    an: Analysis,
    line: LineBreak,
    width: int,
    cum: Sequence[int],
    tab_width: int,
    tail: Cell | None = None,
) -> VisualLine:
    start, content_end, end = line
    return VisualLine(
        indent=_indent(an, line, width, cum, tail.width if tail else 0),
        start=start,
        end=tail.end if tail else end,
        rtl=an.base == 1,
        hidden=_hidden(an, start, content_end, content_end if tail else end),
        recipe=_Recipe(an, line, cum, tab_width, tail),
    )


# --- the public API -------------------------------------------------------------------------

MIN_WIDTH: Final = 2
"""Narrower widths are taken as this one: a wide character needs two columns."""


def paragraph_direction(text: str, fallback_rtl: bool = True) -> bool:
    """True when the paragraph is right-to-left (P2–P3; no strong character → fallback)."""
    return uax9.paragraph_level(text, 1 if fallback_rtl else 0) == 1


def document_direction(text: str, sample: int = 65536) -> bool:
    """A document's dominant direction, the fallback for its paragraphs with no strong letter.

    True (right-to-left) unless the strong left-to-right characters outnumber the strong
    right-to-left ones in the first ``sample`` code points; an empty sample counts as Arabic.
    """
    classes = text[:sample].translate(CLASS_MAP)
    return classes.count("R") + classes.count("A") >= classes.count("L")


def layout_paragraph(
    text: str, width: int, mode: BidiMode = BidiMode.APP, fallback_rtl: bool = True
) -> tuple[VisualLine, ...]:
    """Lay out one paragraph at ``width`` columns; cached per (text, width, mode, fallback).

    A blank paragraph gives one line with no cells. Offsets are paragraph-relative.
    """
    return _layout(text, max(width, MIN_WIDTH), BidiMode(mode), bool(fallback_rtl))


@lru_cache(maxsize=4096)
def _layout(text: str, width: int, mode: BidiMode, fallback_rtl: bool) -> tuple[VisualLine, ...]:
    if not text.strip(" "):
        # Blank: nothing to resolve or draw (100,000 empty lines must cost next to nothing).
        return (VisualLine((), 0, 0, len(text), fallback_rtl, range(len(text))),)
    an = analyse(text, mode, 1 if fallback_rtl else 0)
    tab_width = min(TAB_WIDTH, width)
    cum = running_columns(widths_for(an, tab_width))
    return tuple(
        _visual_line(an, line, width, cum, tab_width) for line in break_lines(an.kinds, cum, width)
    )


def layout_texts(
    text: str, width: int, mode: BidiMode = BidiMode.APP, fallback_rtl: bool = True
) -> list[str]:
    """``[line.text() for line in layout_paragraph(...)]``, without the lines or the cache.

    For callers that print a paragraph once (``reader show``): the same analysis, wrapping
    and text path, but no ``VisualLine`` per line and nothing kept afterwards.
    """
    width = max(width, MIN_WIDTH)
    if not text.strip(" "):
        return [""]
    mode = BidiMode(mode)
    an = analyse.__wrapped__(text, mode, 1 if fallback_rtl else 0)
    plain = plain_texts(an, width) if _PLAIN_PATH else None
    if plain is not None:
        return plain
    tab_width = min(TAB_WIDTH, width)
    cum = running_columns(widths_for(an, tab_width))
    out: list[str] = []
    for line in break_lines(an.kinds, cum, width):
        indent = _indent(an, line, width, cum, 0)
        body = _build_text(an, line, cum, tab_width)
        out.append(" " * indent + body if indent else body)
    return out


def layout_line(
    text: str, width: int | None = None, mode: BidiMode = BidiMode.APP, ellipsis: bool = True
) -> VisualLine:
    """One line (titles, quotes, notes, prompts): laid out whole, cut with … if too wide.

    The cut keeps the logical beginning; the ``…`` cell stands for the offsets cut off and is
    placed at the logical end (the left end of a right-to-left line). With ``width`` given,
    right-to-left lines are right-aligned as paragraphs are. Newlines show as placeholders.
    """
    return _layout_line(text, width, BidiMode(mode), bool(ellipsis))


@lru_cache(maxsize=1024)
def _layout_line(text: str, width: int | None, mode: BidiMode, ellipsis: bool) -> VisualLine:
    an = analyse(text, mode, 1)
    n = len(text)
    tab_width = TAB_WIDTH if width is None else min(TAB_WIDTH, max(width, 1))
    cum = running_columns(widths_for(an, tab_width))
    if width is None or cum[n] <= width:
        whole = break_lines(an.kinds, cum, max(cum[n], 1))[0]
        return _visual_line(an, LineBreak(0, whole.content_end, n), width or 0, cum, tab_width)
    room = max(width - 1, 0) if ellipsis else width
    cut = bisect_right(cum, room) - 1  # the longest prefix that fits…
    while 0 < cut < n and an.kinds[cut] in CONTINUATION:  # …made of whole cells
        cut -= 1
    if not ellipsis:
        return _visual_line(an, LineBreak(0, cut, n), width, cum, tab_width)
    # L1 sees the line as drawn: the prefix, then the ellipsis at the paragraph level.
    tail = Cell(ELLIPSIS, 1, cut, n)
    return _visual_line(an, LineBreak(0, cut, cut), width, cum, tab_width, tail)


def clear_caches() -> None:
    """Forget every laid-out paragraph (benchmarks; memory pressure)."""
    _layout.cache_clear()
    _layout_line.cache_clear()
    analyse.cache_clear()
