"""Keyword in context: one line per hit, laid out by the engine with the hit in the middle.

A concordance line is the hit's paragraph around it — never beyond the paragraph,
whose own direction it keeps — laid out in visual order by
:func:`reader.layout.layout_line`, then cut to ``width`` columns so that the middle
of the hit sits in the middle of the line: in a right-to-left line what comes
before the hit is on its right, what follows on its left. The hit may be drawn in
several pieces (a Latin name in Arabic text); the line is centred on all of them.
Pure: no Textual; the concordance screen and ``reader search`` both use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.layout import BidiMode, layout_line, paragraph_direction

#: Marks that set a line's direction without drawing anything (hidden by the engine).
_RLM, _LRM = "\u200f", "\u200e"


@dataclass(frozen=True, slots=True)
class Context:
    """The hit and what surrounds it in its paragraph, in logical order."""

    before: str
    match: str
    after: str
    rtl: bool
    """The paragraph's direction."""


def context(text: str, start: int, end: int, chars: int) -> Context:
    """Up to ``chars`` code points each side of ``text[start:end]``, inside its paragraph(s)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    before = text[max(line_start, start - chars) : start]
    after = text[end : min(line_end, end + chars)]
    paragraph_end = text.find("\n", start)
    paragraph = text[line_start : paragraph_end if paragraph_end >= 0 else len(text)]
    # A hit across a newline (never from the search, which stops at newlines) shows flat.
    match = text[start:end].replace("\n", " ")
    return Context(before, match, after, _direction(paragraph))


def _direction(paragraph: str) -> bool:
    """The paragraph's direction (P2–P3), from its head when the head decides it."""
    # A strong letter near the start decides it: no need to classify a long paragraph
    # for every one of its hits. The head decides when the fallback does not matter.
    head = paragraph[:256]
    rtl = paragraph_direction(head, fallback_rtl=True)
    if len(head) == len(paragraph) or rtl == paragraph_direction(head, fallback_rtl=False):
        return rtl
    return paragraph_direction(paragraph)


@dataclass(frozen=True, slots=True)
class KwicLine:
    """A concordance line: ``width`` columns as runs of ``(text, is_hit)``, left to right."""

    runs: tuple[tuple[str, bool], ...]

    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def kwic(found: Context, width: int, mode: BidiMode = BidiMode.APP) -> KwicLine:
    """``found`` laid out in ``width`` columns with the middle of the hit in the middle.

    In ``terminal`` mode the text stays in logical order (the terminal reorders it),
    and the hit is placed in the middle by logical position, as well as can be.
    """
    width = max(1, width)
    mark = _RLM if found.rtl else _LRM
    line_text = mark + found.before + found.match + found.after
    lo, hi = 1 + len(found.before), 1 + len(found.before) + len(found.match)
    line = layout_line(line_text, None, mode, ellipsis=False)
    spans = line.column_spans(lo, hi) if hi > lo else []
    if spans:
        middle = (min(c0 for c0, _ in spans) + max(c1 for _, c1 in spans)) // 2
    else:
        column = line.column_of(lo) if lo < len(line_text) else None
        middle = column if column is not None else len(line.text()) // 2
    left = middle - width // 2
    runs: list[tuple[str, bool]] = []
    used = 0  # columns filled so far

    def put(text: str, columns: int, hit: bool = False) -> None:
        nonlocal used
        runs.append((text, hit))
        used += columns

    column = line.indent
    if left < column:  # blank columns before the first cell
        blank = min(column - left, width)
        put(" " * blank, blank)
    for cell in line.cells:
        end = column + cell.width
        if column >= left + width:
            break
        if column >= left and end <= left + width:
            put(cell.text, cell.width, lo <= cell.start < hi)
        elif end > left:  # a wide cell cut by the edge: blanks in its place
            blank = min(end, left + width) - max(column, left)
            put(" " * blank, blank)
        column = end
    if used < width:
        put(" " * (width - used), width - used)
    return KwicLine(tuple(_merge(runs)))


def _merge(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    merged: list[tuple[str, bool]] = []
    for text, hit in runs:
        if merged and merged[-1][1] == hit:
            merged[-1] = (merged[-1][0] + text, hit)
        else:
            merged.append((text, hit))
    return merged
