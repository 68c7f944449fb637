"""What each code point becomes on screen: a kind, a width, and a safe glyph.

Documents come from the web; no character of theirs may reach the terminal as a control
(issue 6). Every code point gets a one-letter *kind*, computed once per distinct character
and then applied to a whole paragraph with ``str.translate``:

====  =================================================================  =======
kind  what                                                               columns
====  =================================================================  =======
n     an ordinary character                                              1
w     a wide character (East Asian wide/fullwidth, per Rich)             2
m     a combining mark: drawn on the cell of the character before it     0
h     an invisible format character (LRM, RLM, ALM, ZWJ, ZWNJ, ZWSP…)    0
p     a control drawn as a visible placeholder (see ``PLACEHOLDERS``)    1
t     a tab: drawn as ``TAB_WIDTH`` spaces                               4
s, S  a space the line may break at (S: the wide ideographic space)      1, 2
====  =================================================================  =======

The engine adds three kinds of its own: ``o`` (a mark with no letter before it, drawn on a
dotted circle, 1 column), ``l`` (covered by the cell before it but drawn by no glyph of its
own: the alef of a lam-alef ligature, a joiner inside a cluster, marks past a cell's limit —
see ``clusters``) and
``r`` (in terminal mode, an invisible control riding on the cell before it, so that a terminal
doing its own bidi and shaping still receives LRM, RLM, ZWJ and ZWNJ).

Placeholders replace the character one for one, so offsets never shift: C0 controls become
the Control Pictures U+2400–U+241F (ESC is ␛), DEL becomes ␡, C1 controls ⌧, and the bidi
embedding, override and isolate controls (Trojan Source, CVE-2021-42574) become arrows, while
they still take part in UAX #9 inside their own paragraph.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

from rich.cells import get_character_cell_size

from reader.layout.ucd import is_mark

TAB_WIDTH: Final = 4
"""A tab is drawn as this many spaces. After bidi reordering, "the next multiple of 8 of the
logical line" names no place on the screen, and a fixed width keeps wrapping independent of
where a tab falls."""

DOTTED_CIRCLE: Final = "\u25cc"
"""Carrier for a combining mark that has no letter before it."""

ELLIPSIS: Final = "…"

C1_PLACEHOLDER: Final = "⌧"

#: Bidi embedding, override and isolate controls → the visible glyph drawn in their place.
BIDI_CONTROL_GLYPHS: Final = {
    "\u202a": "⇢",  # LRE
    "\u202b": "⇠",  # RLE
    "\u202c": "⇡",  # PDF
    "\u202d": "⇨",  # LRO
    "\u202e": "⇦",  # RLO
    "\u2066": "⇥",  # LRI
    "\u2067": "⇤",  # RLI
    "\u2068": "⇹",  # FSI
    "\u2069": "⇞",  # PDI
}


def _placeholders() -> dict[int, str]:
    table = {cp: chr(0x2400 + cp) for cp in range(0x20)}
    table[0x7F] = "\u2421"  # ␡
    table.update((cp, C1_PLACEHOLDER) for cp in range(0x80, 0xA0))
    table.update((ord(ch), glyph) for ch, glyph in BIDI_CONTROL_GLYPHS.items())
    table[0x2028] = "\u2424"  # ␤ LINE SEPARATOR
    table[0x2029] = "¶"  # PARAGRAPH SEPARATOR
    table.update((cp, "\ufffd") for cp in range(0xD800, 0xE000))  # lone surrogates
    del table[0x09]  # the tab is expanded, not replaced
    return table


PLACEHOLDERS: Final = _placeholders()
"""``str.translate`` table: code point → the glyph drawn instead (same length, offsets kept)."""

#: Spaces a line may break at (not the no-break ones: U+00A0, U+2007, U+202F).
BREAK_SPACES: Final = frozenset(" \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                                "\u2008\u2009\u200a\u205f\u3000")  # fmt: skip

#: Format characters (Cf) that are visible signs, not controls: the Arabic number signs etc.
_PREPENDED_SIGNS: Final = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)


def kind_of(ch: str) -> str:
    """The kind letter of one character (see the module docstring)."""
    cp = ord(ch)
    if ch == "\t":
        return "t"
    if cp in PLACEHOLDERS:
        return "p"
    if ch in BREAK_SPACES:
        return "S" if get_character_cell_size(ch) == 2 else "s"
    category = unicodedata.category(ch)
    if category == "Cf" and ch not in _PREPENDED_SIGNS:
        return "h"
    if is_mark(ch):
        return "m"
    width = get_character_cell_size(ch)
    if width == 0:
        # Default-ignorable unassigned code points are invisible; other zero-width letters
        # (Hangul jungseong…) combine with the character before them like marks.
        return "h" if category == "Cn" else "m"
    return "w" if width == 2 else "n"


class LazyTable(dict[int, str]):
    """``str.translate`` table computed per character on first sight, then remembered."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, cp: int) -> str:
        value = self[cp] = self._compute(chr(cp))
        return value


KINDS: Final = LazyTable(kind_of)
for _cp in (*range(0x100), *range(0x600, 0x700), *range(0x2000, 0x2070)):
    KINDS[_cp]  # warm the common blocks

_WIDTH_TABLES: dict[int, bytes] = {}


def width_table(tab_width: int) -> bytes:
    """``bytes.translate`` table: kind letter (ASCII) → its width in columns, as a byte."""
    table = _WIDTH_TABLES.get(tab_width)
    if table is None:
        widths = bytearray(256)
        for kind, cols in {"n": 1, "s": 1, "p": 1, "o": 1, "w": 2, "S": 2, "t": tab_width}.items():
            widths[ord(kind)] = cols
        table = _WIDTH_TABLES[tab_width] = bytes(widths)
    return table
