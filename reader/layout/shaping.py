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


NOT_SHAPED: Final = 0xFF
"""Form byte of a code point that is not a letter with presentation forms."""


def _glyph_keys() -> dict[int, str]:
    """``str.translate`` table: key code point (see ``shape``) → glyph.

    A missing form falls back to the nearest one Unicode encodes (a medial to the final…).
    """
    fallback = {ISOLATED: (ISOLATED,), FINAL: (FINAL, ISOLATED), INITIAL: (INITIAL, ISOLATED),
                MEDIAL: (MEDIAL, FINAL, INITIAL, ISOLATED)}  # fmt: skip
    table: dict[int, str] = {}
    for letter, slots in _FORMS.items():
        for form, order in fallback.items():
            glyph = next((g for g in (slots[f] for f in order) if g is not None), letter)
            table[ord(letter) + (form + 2) * _KEY_STEP] = glyph
    return table


# Keys put a letter's form in the code point: letter + (form + 2) × 0x20000 lands in planes
# 4–11, where Unicode assigns nothing, so one str.translate draws every letter (text that
# itself holds code points from plane 4 up takes the slower path).
_KEY_STEP: Final = 0x20000
_BEYOND_KEYS: Final = re.compile("[\U00040000-\U0010ffff]")  # where keys would collide
_GLYPH_KEYS: Final = _glyph_keys()


def joining_code(ch: str) -> str:
    """Joining type, in lower case for a joining letter with no presentation forms."""
    code = joining_type(ch)
    return code.lower() if code in "RDL" and ch not in _FORMS else code


JOINING_CODES: Final = LazyTable(joining_code)
"""``str.translate`` table: code point → joining type letter (see ``joining_code``)."""

SHAPED_CODES: Final = frozenset("RDL")
"""Joining codes of the letters that take presentation forms."""


def glyph(letter: str, form: int) -> str:
    """The presentation form drawn for a letter with forms (see ``SHAPED_CODES``)."""
    return _GLYPH_KEYS[ord(letter) + (form + 2) * _KEY_STEP]


def _flags(*codes: str) -> bytes:
    table = bytearray(256)
    for code in codes:
        table[ord(code)] = 1
    return bytes(table)


_CAN_JOIN_NEXT: Final = _flags("D", "d", "L", "l", "C")
_CAN_JOIN_PREV: Final = _flags("R", "r", "D", "d", "C")
_TRANSPARENT: Final = _flags("T")
_SHAPED: Final = _flags("R", "D", "L")
_HAS_SHAPED: Final = re.compile(b"[RDL]")


def _from_left(ok: bytes, transparent: bytes) -> int:
    """At each non-transparent lane i: ``ok`` at the nearest non-transparent lane before i.

    One integer addition: transparent lanes hold 0xFF, and a 1 put in the lane after each
    ``ok`` lane carries through the run of transparent lanes that follows, into the first
    lane past it — so a run of harakat of any length costs one pass, not one per mark.
    Transparent lanes come out as 0x00 or 0xFF (callers mask them off).
    """
    n = len(ok)
    lanes = int.from_bytes(transparent, "little") * 0xFF
    return (lanes + (int.from_bytes(ok, "little") << 8)) & ((1 << (8 * n)) - 1)


def _forms(codes: bytes) -> tuple[int, int]:
    """Joining forms as integers with one byte per code point (little-endian).

    Returns ``(forms, shaped)``: the form of every letter with presentation forms (0 for
    other code points), and 1 where a code point is such a letter. Each flag string becomes
    an integer; "the nearest non-transparent character before (after) can join" is one
    carry-propagating addition over the string (reversed), whatever the runs of
    transparent characters (harakat) — a constant number of passes, linear in the length.
    """
    n = len(codes)
    transparent = codes.translate(_TRANSPARENT)
    joins_right = codes.translate(_CAN_JOIN_PREV)  # can join the character before it
    joins_left = codes.translate(_CAN_JOIN_NEXT)  # can join the character after it
    before = _from_left(joins_left, transparent)  # at i: can the previous character join i?
    after = int.from_bytes(  # at i: can the next character join i?
        _from_left(joins_right[::-1], transparent[::-1]).to_bytes(n, "little")[::-1], "little"
    )
    nxt_ok = int.from_bytes(joins_right, "little")
    prv_ok = int.from_bytes(joins_left, "little")
    shaped = int.from_bytes(codes.translate(_SHAPED), "little")
    joins_prev = nxt_ok & before  # FINAL bit (0 at transparent lanes: nxt_ok is 0 there)
    joins_next = prv_ok & after  # INITIAL bit
    return (joins_prev | (joins_next << 1)) & (shaped * 3), shaped


def joining_forms(text: str) -> bytes:
    """One byte per code point: ISOLATED/FINAL/INITIAL/MEDIAL for letters, else NOT_SHAPED."""
    codes = text.translate(JOINING_CODES).encode("ascii")
    forms, shaped = _forms(codes)
    unshaped = int.from_bytes(b"\xff" * len(codes), "little") & ~(shaped * 0xFF)
    return (forms | unshaped).to_bytes(len(codes), "little")


def _marks_class() -> str:
    flat = _tables.MARKS  # [start, end) pairs
    pairs = zip(flat[::2], flat[1::2], strict=True)
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" for a, b in pairs)


# A lam and the alef it joins, with only combining marks between them.
# The look-ahead skips the long class of marks at once after the common lam + letter (no
# mark is an Arabic letter): 3× faster on the seeds.
_LAM_ALEF: Final = re.compile(f"{LAM}(?:[{ALEFS}]|(?![\u0621-\u064a])[{_marks_class()}]+[{ALEFS}])")


@dataclass(frozen=True, slots=True)
class Shaped:
    """A shaped paragraph.

    ``text`` has the input's length: each joining letter replaced by its presentation form, a
    lam-alef's ligature glyph at the lam's offset. ``ligatures`` lists ``(lam, alef)`` offsets;
    the alef's offset is drawn by the ligature's cell.
    """

    text: str
    ligatures: tuple[tuple[int, int], ...]


def _letter_glyphs(
    text: str, codes: bytes, letters: tuple[bytes, bytes, bytes] | None
) -> tuple[str, bytes]:
    """Each letter with presentation forms as its joining form (no lam-alef yet), and the
    forms as bytes."""
    n = len(codes)
    forms, shaped = _forms(codes)
    form_bytes = forms.to_bytes(n, "little")
    if letters is not None:
        # glyph = letter + delta in each 16-bit lane; the delta is looked up by letter + form.
        codes_of, delta_lo, delta_hi = letters
        letter_forms = (int.from_bytes(codes_of, "little") + forms).to_bytes(n, "little")
        deltas = bytearray(2 * n)
        deltas[0::2] = letter_forms.translate(delta_lo)
        deltas[1::2] = letter_forms.translate(delta_hi)
        points = int.from_bytes(text.encode("utf-16-le"), "little")
        points += int.from_bytes(deltas, "little")
        glyphs = points.to_bytes(2 * n, "little").decode("utf-16-le")
    elif _BEYOND_KEYS.search(text) is None:
        # key = code point + (form + 2) × step for letters: integer addition on UTF-32.
        offsets = (forms + 2 * shaped).to_bytes(n, "little").decode("latin-1")
        step = int.from_bytes(offsets.encode("utf-32-le"), "little") * _KEY_STEP
        points = int.from_bytes(text.encode("utf-32-le", "surrogatepass"), "little")
        keys = (points + step).to_bytes(4 * n, "little").decode("utf-32-le", "surrogatepass")
        glyphs = keys.translate(_GLYPH_KEYS)
    else:
        shaped_bytes = shaped.to_bytes(n, "little")
        glyphs = "".join(
            _GLYPH_KEYS[ord(ch) + (form + 2) * _KEY_STEP] if flag else ch
            for ch, form, flag in zip(text, form_bytes, shaped_bytes, strict=True)
        )
    return glyphs, form_bytes


def shape(
    text: str,
    codes: bytes | None = None,
    letters: tuple[bytes, bytes, bytes] | None = None,
    drawn_alef: str | None = None,
) -> Shaped:
    """Shape one paragraph (logical order); see the module docstring.

    ``codes`` may give the joining codes (``JOINING_CODES``) already worked out, as bytes.
    ``letters`` (from ``reader.layout.alphabet``, for text of the Basic Multilingual Plane
    only) gives each code point's letter code, 4 × (1 + slot) or 0, and the two tables from
    letter code + form to the low and high bytes of glyph − letter. ``drawn_alef``, if
    given, stands at the offset of each alef drawn by a lam-alef instead of the alef.
    """
    if codes is None:
        codes = text.translate(JOINING_CODES).encode("ascii")
    if _HAS_SHAPED.search(codes) is None:
        return Shaped(text, ())
    glyphs, form_bytes = _letter_glyphs(text, codes, letters)
    if LAM not in text:
        return Shaped(glyphs, ())
    glyphs, ligatures = _ligate(text, glyphs, form_bytes, _LAM_ALEF, drawn_alef)
    return Shaped(glyphs, tuple(ligatures))


def _ligate(
    text: str, glyphs: str, form_bytes: bytes, pattern: re.Pattern[str], drawn_alef: str | None
) -> tuple[str, list[tuple[int, int]]]:
    """The lam-alefs ``pattern`` finds put in as ligatures, and their (lam, alef) offsets."""
    ligatures: list[tuple[int, int]] = []
    pieces: list[str] = []
    done = 0
    for m in pattern.finditer(text):
        lam, alef = m.start(), m.end() - 1
        form = form_bytes[lam]
        if not form & INITIAL:  # a spacing mark between them breaks the joining
            continue
        isolated, final = LIGATURES[text[alef]]
        # Whether the lam joins the letter before it picks the ligature's form.
        pieces += (glyphs[done:lam], final if form == MEDIAL else isolated)
        pieces += (glyphs[lam + 1 : alef], drawn_alef or text[alef])
        done = alef + 1
        ligatures.append((lam, alef))
    pieces.append(glyphs[done:])
    return "".join(pieces), ligatures


def _ligated_pairs() -> tuple[tuple[str, str], ...]:
    """(lam, alef) as shaped letter by letter → their ligature, for both forms of the lam."""
    pairs = []
    for alef, (isolated, final) in LIGATURES.items():
        pairs.append((glyph(LAM, INITIAL) + glyph(alef, FINAL), isolated))
        pairs.append((glyph(LAM, MEDIAL) + glyph(alef, FINAL), final))
    return tuple(pairs)


_LIGATED_PAIRS: Final = _ligated_pairs()
_LAM_MARKS_ALEF: Final = re.compile(f"{LAM}(?![\u0621-\u064a])[{_marks_class()}]+[{ALEFS}]")
_PRESENTATION_FORMS: Final = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def shape_text(
    text: str, codes: bytes, letters: tuple[bytes, bytes, bytes] | None, drawn_alef: str
) -> tuple[str, list[int]] | None:
    """``shape(text, codes, letters, drawn_alef).text`` in a few passes in C, or None.

    A lam right before an alef always joins it (a lam joins forward, an alef back), so
    each such pair, shaped letter by letter, is a glyph pair no other letters give, and
    ``str.replace`` puts the ligatures in — where ``shape`` takes a Python step per
    ligature (129,000 in the 20 MB bench document). The lam-alefs with marks between
    their letters (``لًا``: 472 there) take ``shape``'s steps; their alefs' offsets come
    back with the text, as the others are found from the text (``bulk``). None when the
    text holds presentation forms of its own (they would look like a shaped pair).
    """
    if _HAS_SHAPED.search(codes) is None:
        return text, []
    glyphs, form_bytes = _letter_glyphs(text, codes, letters)
    if LAM not in text:
        return glyphs, []
    if _PRESENTATION_FORMS.search(text):
        return None
    apart: list[int] = []
    if _LAM_MARKS_ALEF.search(text):
        glyphs, found = _ligate(text, glyphs, form_bytes, _LAM_MARKS_ALEF, drawn_alef)
        apart = [alef for _, alef in found]
    for pair, ligature in _LIGATED_PAIRS:
        if pair in glyphs:
            glyphs = glyphs.replace(pair, ligature + drawn_alef)
    return glyphs, apart
