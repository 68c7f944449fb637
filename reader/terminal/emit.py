"""How a visual line is *written* for a terminal: the thin layer after the layout engine.

The engine (``reader.layout``) decides what each screen column shows. For most terminals
the text is written as it is; for two kinds it is rewritten so that the terminal's own
processing gives the same columns back (see ``strategy.py`` for why):

* :func:`add_marks` (Konsole, VTE behind tmux): a LEFT-TO-RIGHT MARK after every
  character of bidi class R, AL or AN (after its combining marks). The mark has no width,
  so no column moves; every right-to-left character then stands between two strong
  left-to-right ones and a terminal running UAX #9 over the row leaves it where it is.
* :func:`shaper_order` (kitty): cells grouped into the runs kitty shapes together —
  no blank cell between them, the same font (bold, italic), no box-drawing or private-use
  character — and each run whose first strong character is right-to-left is sent
  reversed, mirrored characters swapped (HarfBuzz reverses and mirrors such a run). Only
  the characters move: each column keeps its own style, as kitty colours cells by column.

Both work on any piece of a line (a segment, a widget's row): neither needs the rest of
the screen row, and both keep every column's width.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

from rich.cells import get_character_cell_size

from reader.layout import ucd

LRM = "\u200e"

#: Blocks that hold right-to-left letters or Arabic digits: the quick test for "anything to do".
MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_RTL_CLASSES = frozenset("RAN")  # class codes (ucd.CODES) of R, AL and AN
_MARK = "M"  # NSM


def add_marks(text: str) -> str:
    """``text`` with an LRM after each R, AL or AN character and the marks on it."""
    if not MAYBE_RTL.search(text):
        return text
    classes = ucd.bidi_classes(text)
    out: list[str] = []
    pending = False  # an RTL character was seen; its mark goes after its own marks
    for ch, code in zip(text, classes, strict=True):
        if pending and code != _MARK:
            out.append(LRM)
            pending = False
        out.append(ch)
        if code in _RTL_CLASSES:
            pending = True
    if pending:
        out.append(LRM)
    return "".join(out)


def cells_of(text: str) -> list[str]:
    """``text`` cut into terminal cells: each character of non-zero width with the
    zero-width characters after it (a zero-width character at the start is a cell of its own)."""
    cells: list[str] = []
    for ch in text:
        if cells and get_character_cell_size(ch) == 0:
            cells[-1] += ch
        else:
            cells.append(ch)
    return cells


def _breaks_run(cell: str) -> bool:
    """A cell kitty never shapes together with its neighbours."""
    cp = ord(cell[0])
    return (
        cell[0] in " \t\x00"
        or 0x2500 <= cp <= 0x259F  # box drawing and blocks: kitty draws them itself
        or 0x2800 <= cp <= 0x28FF  # braille
        or 0xE000 <= cp <= 0xF8FF  # private use (Powerline and icon fonts)
        or 0x1FB00 <= cp <= 0x1FBAF  # legacy computing
        or get_character_cell_size(cell[0]) != 1  # wide: another font, another cell shape
    )


def _run_is_rtl(cells: Sequence[str]) -> bool:
    """HarfBuzz's guess for a run: the direction of the first character of a real script.

    Bidi classes stand in for scripts: L is left-to-right, R and AL right-to-left, and the
    Arabic-Indic digits (class AN, script Arabic) right-to-left too; other characters
    (digits, punctuation, marks) belong to no script and do not decide.
    """
    for cell in cells:
        for ch in cell:
            code = ucd.CLASS_MAP[ord(ch)]
            if code == "L":
                return False
            if code in "RA" or (code == "N" and "\u0660" <= ch <= "\u06ff"):
                return True
    return False


def _mirrored(cell: str) -> str:
    glyph = ucd.mirror(cell[0])
    return glyph + cell[1:] if glyph else cell


def shaper_order(cells: Sequence[tuple[str, Hashable]]) -> list[str]:
    """The text to send at each cell position so that kitty shows ``cells`` as given.

    Args:
        cells: (cell text, font key) in screen order; the font key is whatever changes the
            font kitty picks (bold, italic). Cells with different keys are never one run.

    Returns:
        One text per position, of the same widths: runs that kitty will lay out right to
        left reversed and mirrored, everything else as it was.
    """
    out = [text for text, _ in cells]
    start = 0
    n = len(cells)
    while start < n:
        if _breaks_run(cells[start][0]):
            start += 1
            continue
        end = start + 1
        key = cells[start][1]
        while end < n and cells[end][1] == key and not _breaks_run(cells[end][0]):
            end += 1
        run = out[start:end]
        if _run_is_rtl(run):
            out[start:end] = [_mirrored(cell) for cell in reversed(run)]
        start = end
    return out


def shape_text(text: str) -> str:
    """:func:`shaper_order` for text of one style (a status line, ``reader show``)."""
    if not MAYBE_RTL.search(text):
        return text
    return "".join(shaper_order([(cell, None) for cell in cells_of(text)]))
