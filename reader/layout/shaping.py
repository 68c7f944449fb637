"""Arabic shaping: each joining letter becomes its contextual presentation form.

Terminals that do not shape draw every Arabic letter in its isolated form, so the engine sends
the presentation forms itself (U+FB50–U+FDFF, U+FE70–U+FEFF). Joining follows the Joining_Type
of ArabicShaping.txt (``ucd.joining_type``): R (right-joining), D (dual), L (left-joining),
C (join-causing: tatweel, ZWJ), U (non-joining: ZWNJ, spaces, Latin…), T (transparent: harakat
and format characters, skipped when looking for a neighbour). Harakat are kept; they stay in
the text and the engine draws them on their letter's cell.

Lam followed by alef (only marks between) is drawn as one lam-alef ligature, as Arabic script
requires. The shaped text keeps the input's length so offsets never move: the ligature glyph
stands at the lam's offset and the alef's offset keeps its letter, which the engine does not
draw (the ligature's cell covers both, see :class:`Shaped`).

Speed: the joining forms come from a handful of regular-expression passes over a string of
joining-type codes (one character per code point) and one dictionary pass for the glyphs, so
no Python code runs per letter — a 1 MB paragraph shapes in tens of milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import chain
from typing import Final

from reader.layout import _tables
from reader.layout.sanitize import LazyTable
from reader.layout.ucd import joining_type

ISOLATED: Final = 0
FINAL: Final = 1
INITIAL: Final = 2
MEDIAL: Final = 3
_FORM_TAGS: Final = {
    "<isolated>": ISOLATED, "<final>": FINAL, "<initial>": INITIAL, "<medial>": MEDIAL,
}  # fmt: skip

LAM: Final = "\u0644"
ALEFS: Final = "\u0622\u0623\u0625\u0627"  # the alefs with a lam-alef ligature


def _presentation_tables() -> tuple[dict[str, list[str | None]], dict[str, tuple[str, str]]]:
    """Reverse the compatibility decompositions of the presentation-form blocks.

    Returns ``forms[letter] = [isolated, final, initial, medial]`` (None where Unicode has no
    such form) and ``ligatures[alef] = (isolated lam-alef, final lam-alef)``.
    """
    forms: dict[str, list[str | None]] = {}
    lig: dict[str, list[str]] = {}
    # FExx first: the standard Arabic forms win over the FBxx extensions for the same letter.
    for cp in chain(range(0xFE70, 0xFF00), range(0xFB50, 0xFE00)):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) < 2 or parts[0] not in _FORM_TAGS:
            continue
        form = _FORM_TAGS[parts[0]]
        letters = "".join(chr(int(p, 16)) for p in parts[1:])
        if len(letters) == 1:
            slots = forms.setdefault(letters, [None, None, None, None])
            if slots[form] is None:
                slots[form] = chr(cp)
        elif len(letters) == 2 and letters[0] == LAM and letters[1] in ALEFS:
            lig.setdefault(letters[1], ["", ""])[form] = chr(cp)
    return forms, {alef: (pair[0], pair[1]) for alef, pair in lig.items()}


_FORMS, LIGATURES = _presentation_tables()


def forms_of(letter: str) -> tuple[str | None, str | None, str | None, str | None]:
    """The (isolated, final, initial, medial) presentation forms Unicode encodes for a letter."""
    slots = _FORMS.get(letter, [None, None, None, None])
    return slots[0], slots[1], slots[2], slots[3]


# Form codes after the passes below: R/D/L stay upper case when isolated; "d"/"l" initial,
# "x" final of a D, "y" medial, "r" final of an R. Everything else keeps its joining code.
_CODE_FORM: Final = {
    "D": ISOLATED, "R": ISOLATED, "L": ISOLATED,
    "d": INITIAL, "l": INITIAL, "x": FINAL, "r": FINAL, "y": MEDIAL,
}  # fmt: skip


def _glyph_table() -> dict[str, str]:
    """(form code + letter) → glyph; a missing form falls back to its nearest encoded one."""
    table: dict[str, str] = {}
    fallback = {ISOLATED: (ISOLATED,), FINAL: (FINAL, ISOLATED), INITIAL: (INITIAL, ISOLATED),
                MEDIAL: (MEDIAL, FINAL, INITIAL, ISOLATED)}  # fmt: skip
    for letter, slots in _FORMS.items():
        for code, form in _CODE_FORM.items():
            glyph = next((slots[f] for f in fallback[form] if slots[f]), None)
            if glyph is not None:
                table[code + letter] = glyph
    return table


_GLYPHS: Final = _glyph_table()


JOINING_CODES: Final = LazyTable(joining_type)
"""``str.translate`` table: code point → Joining_Type letter."""

# Pass 1 (logical order): a character that joins the next one — it can join on its left and
# the next non-transparent character can join on its right — is lowered: D→d, L→l, C→c.
_JOINS_NEXT: Final = [
    (re.compile(f"{c}(?=T*[RDCdc])"), c.lower()) for c in "DLC"
]  # fmt: skip
# Pass 2 (on the reversed string, so the variable-length look-behind becomes a look-ahead):
# a character whose previous non-transparent neighbour joins it takes a final/medial code.
_JOINS_PREV: Final = [
    (re.compile(f"{c}(?=T*[dlcy])"), new) for c, new in (("R", "r"), ("D", "x"), ("d", "y"))
]  # fmt: skip
_HAS_LETTER: Final = re.compile("[RDL]")


def joining_forms(text: str) -> str:
    """One form code per code point (see ``_CODE_FORM``); non-letters keep their type letter."""
    codes = text.translate(JOINING_CODES)
    if _HAS_LETTER.search(codes) is None:
        return codes
    for pattern, new in _JOINS_NEXT:
        codes = pattern.sub(new, codes)
    codes = codes[::-1]
    for pattern, new in _JOINS_PREV:
        codes = pattern.sub(new, codes)
    return codes[::-1]


def _marks_class() -> str:
    flat = _tables.MARKS  # [start, end) pairs
    pairs = zip(flat[::2], flat[1::2], strict=True)
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" for a, b in pairs)


# A lam and the alef it joins, with only combining marks between them.
_LAM_ALEF: Final = re.compile(f"{LAM}[{_marks_class()}]*[{ALEFS}]")


@dataclass(frozen=True, slots=True)
class Shaped:
    """A shaped paragraph.

    ``text`` has the input's length: each joining letter replaced by its presentation form, a
    lam-alef's ligature glyph at the lam's offset. ``ligatures`` lists ``(lam, alef)`` offsets;
    the alef's offset is drawn by the ligature's cell.
    """

    text: str
    ligatures: tuple[tuple[int, int], ...]


def shape(text: str) -> Shaped:
    """Shape one paragraph (logical order); see the module docstring."""
    codes = joining_forms(text)
    if _HAS_LETTER.search(codes.upper()) is None:
        return Shaped(text, ())
    glyphs = _GLYPHS
    # One dictionary lookup per code point, in C: key = form code + character.
    out = list(map(glyphs.get, map(str.__add__, codes, text), text))
    ligatures: list[tuple[int, int]] = []
    if LAM in text:
        for m in _LAM_ALEF.finditer(text):
            lam, alef = m.start(), m.end() - 1
            if codes[lam] not in "dy":  # a spacing mark between them breaks the joining
                continue
            isolated, final = LIGATURES[text[alef]]
            # The lam's code tells whether it joins the letter before it.
            out[lam] = final if codes[lam] == "y" else isolated
            out[alef] = text[alef]
            ligatures.append((lam, alef))
    return Shaped("".join(out), tuple(ligatures))
