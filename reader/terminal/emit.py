"""How a visual line is *written* for a terminal: the thin layer after the layout engine.

The engine (``reader.layout``) decides what each screen column shows. For most terminals
the text is written as it is; for two kinds it is rewritten so that the terminal's own
processing gives the same columns back (see ``strategy.py`` for why):

* :func:`marks_order` (Konsole, VTE behind tmux): each right-to-left word sent in logical
  order and followed by a LEFT-TO-RIGHT MARK. The terminal's bidi reverses the word back
  (and its shaping, done in string order, sees the real neighbours of each letter); the
  mark, which has no width, stops the run at the word, so nothing else moves.
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
from functools import cache

from rich._unicode_data import load as load_cell_table  # the table cell_len reads (rich<16)
from rich.cells import cell_len, get_character_cell_size

from reader.layout import _tables, ucd

LRM = "\u200e"

#: Blocks that hold right-to-left letters or Arabic digits: the quick test for "anything to do".
MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def _bidi_run_kind(cell: str) -> str:
    """'R' for a cell of a right-to-left letter (class R or AL), 'N' for an Arabic digit (AN)."""
    code = ucd.CLASS_MAP[ord(cell[0])]
    if code in "RA":
        return "R"
    return "N" if code == "N" else ""


def marks_order(cells: Sequence[str]) -> list[str]:
    """The text to send at each cell position so that a terminal running UAX #9 over the row
    (Konsole; VTE in implicit mode) shows ``cells`` as given, shaped as the engine shaped them.

    Each word (cells of right-to-left letters, side by side) is sent in logical order — its
    cells reversed — so that the terminal's bidi reverses it back and its Arabic shaping,
    which works in string order, finds each letter's real neighbours; a LEFT-TO-RIGHT MARK
    after the word (stored with its last cell) ends the run there, so nothing beyond the
    word moves. A run of Arabic-Indic digits (class AN) keeps its order and gets a mark too:
    without one, the spaces between it and the next word would join them into one run.
    """
    out = list(cells)
    n = len(cells)
    i = 0
    while i < n:
        kind = _bidi_run_kind(cells[i])
        if not kind:
            i += 1
            continue
        j = i + 1
        while j < n and _bidi_run_kind(cells[j]) == kind:
            j += 1
        if kind == "R":
            out[i:j] = cells[i:j][::-1]
        out[j - 1] += LRM
        i = j
    return out


def mark_text(text: str) -> str:
    """:func:`marks_order` for text of one style."""
    if not MAYBE_RTL.search(text):
        return text
    return "".join(marks_order(cells_of(text)))


_WORD_OR_DIGITS = re.compile("[RA]+|N+")  # over class codes: R/AL letters, or AN digits
_SHAPER_RUN = re.compile("[^ \t\x00\u2500-\u259f\u2800-\u28ff\ue000-\uf8ff\U0001fb00-\U0001fbaf]+")


def _one_char_per_cell(text: str, classes: str) -> bool:
    """No zero-width character (harakat, format characters) and no wide one."""
    return "M" not in classes and "b" not in classes and cell_len(text) == len(text)


def mark_words(text: str) -> tuple[str, list[int]] | None:
    """:func:`marks_order` on the characters of ``text`` at once, when every character is one
    cell (no harakat): the text to send, and the positions in ``text`` after which a mark
    was put. None when a cell holds several characters (then go cell by cell)."""
    classes = ucd.bidi_classes(text)
    if not _one_char_per_cell(text, classes):
        return None
    out: list[str] = []
    ends: list[int] = []
    last = 0
    for match in _WORD_OR_DIGITS.finditer(classes):
        start, end = match.span()
        piece = text[start:end]
        out += [text[last:start], piece if classes[start] == "N" else piece[::-1], LRM]
        ends.append(end)
        last = end
    out.append(text[last:])
    return "".join(out), ends


def shape_runs(text: str) -> str | None:
    """:func:`shaper_order` for text of one font when every character is one cell; None when
    a cell holds several characters or a wide one (then go cell by cell)."""
    classes = ucd.bidi_classes(text)
    if not _one_char_per_cell(text, classes):
        return None
    out: list[str] = []
    last = 0
    for match in _SHAPER_RUN.finditer(text):
        start, end = match.span()
        if _run_is_rtl([text[start:end]]):
            out += [text[last:start], text[start:end][::-1].translate(_tables.MIRROR)]
            last = end
    out.append(text[last:])
    return "".join(out)


@cache
def _zero_width() -> re.Pattern[str]:
    """Characters Rich gives no width (controls, marks, format characters…), from its table."""
    ranges = ["\x01-\x1f\x7f-\x9f"]
    for start, end, width in load_cell_table("auto").widths:
        if width == 0:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(end))}")
    return re.compile(f"[{''.join(ranges)}]")


def cells_of(text: str) -> list[str]:
    """``text`` cut into terminal cells: each character of non-zero width with the
    zero-width characters after it (a zero-width character at the start is a cell of its own)."""
    if not _zero_width().search(text):
        return list(text)
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
