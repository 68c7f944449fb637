"""What the layout engine knows about a paragraph whatever the width: its *analysis*.

Once per paragraph text (cached for the last 64): the kind and width of every code point
(``sanitize``), Arabic shaping (``shaping``), the UAX #9 levels resolved once for the whole
paragraph (``uax9``) and the bidi classes L1 needs per line, and L4 — which characters are
drawn mirrored. The per-character tables are read through the alphabet's bytes when the text
fits it (``alphabet``), else with ``str.translate``: the same tables either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Final

from rich.cells import cell_len

from reader.layout import uax9
from reader.layout._tables import MIRROR
from reader.layout.alphabet import ALPHABET
from reader.layout.clusters import cap_marks, join_clusters
from reader.layout.lines import BidiMode
from reader.layout.sanitize import KINDS, PLACEHOLDERS, TAB_WIDTH, LazyTable, width_table
from reader.layout.shaping import joining_code, shape
from reader.layout.ucd import CLASS_MAP, mirror

# A mark with no cell before it (paragraph start, or after a hidden control) gets a carrier.
_ORPHAN: Final = re.compile(r"(?:^|(?<=h))m")
# Terminal mode hands these to the terminal, riding on the cell before them: LRM, RLM, ALM,
# ZWNJ. Not ZWJ: Rich (and so Textual) measures a ZWJ as gluing the next character to the one
# before it, which would put every later cell a column off; nor the other invisible controls
# (a soft hyphen is one column to Rich).
_RIDERS: Final = re.compile("[\u200e\u200f\u061c\u200c]")
_CARRIERS: Final = frozenset("nwpomr")
_USE_ALPHABET = True  # the tests turn it off to compare both ways
_MIRRORED: Final = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(MIRROR)) + "]")


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything about a paragraph that does not depend on the width."""

    text: str
    mode: BidiMode
    base: int  # paragraph level: 1 = right-to-left
    kinds: str  # kind letter per code point, engine kinds (o, l, r) included
    # What each code point draws as (shaped, placeholders, L4 mirrored), same length; the
    # alef of a lam-alef (drawn by the lam's cell) holds ALEF_DRAWN_BY_LAM.
    glyphs: str
    levels: bytes | None  # resolved levels (app mode)
    classes: str | None  # bidi class codes (app mode), for L1
    widths: bytes  # columns per code point, for TAB_WIDTH


# A lone surrogate never survives _safe (it becomes U+FFFD), so it cannot be a real glyph.
# The glyph of every code point a cell covers but does not draw (kind "l"): the alef of a
# lam-alef, a joiner inside a cluster, the marks past a cell's limit (``clusters``).
ALEF_DRAWN_BY_LAM: Final = "\udfff"


def _safe(text: str, kinds: str) -> str:
    """Controls replaced by their placeholders (most paragraphs have none: skip the pass)."""
    return text.translate(PLACEHOLDERS) if "p" in kinds else text


# One str.translate gives both the kind and the joining code of each code point, packed in
# one ASCII character (kind index × 16 + joining index); bytes.translate unpacks them.
_KIND_LETTERS: Final = "nwmhptsS"
_JOINING_LETTERS: Final = "RDLCUTrdl"


def _packed_code(ch: str) -> str:
    kind = _KIND_LETTERS.index(KINDS[ord(ch)])
    return chr(kind << 4 | _JOINING_LETTERS.index(joining_code(ch)))


_CODES: Final = LazyTable(_packed_code)


def _unpack(letters: str, shift: int) -> bytes:
    table = bytearray(256)
    for byte in range(128):
        index = (byte >> shift) & 15 if shift else byte & 15
        if index < len(letters):
            table[byte] = ord(letters[index])
    return bytes(table)


_TO_KIND: Final = _unpack(_KIND_LETTERS, 4)
_TO_JOINING: Final = _unpack(_JOINING_LETTERS, 0)


def _with_riders(text: str, kinds: str) -> str:
    patched = list(kinds)
    for m in _RIDERS.finditer(text):
        at = m.start()
        if at > 0 and patched[at - 1] in _CARRIERS:
            patched[at] = "r"
    return "".join(patched)


_ONE: Final = re.compile(b"\x01")
_L: Final = ord("l")


@lru_cache(maxsize=64)
def analyse(text: str, mode: BidiMode, fallback: int) -> Analysis:
    # Per-character tables: through the alphabet's bytes when the text fits it (C, ~2 ns a
    # character), else str.translate (~40 ns); the same tables either way.
    encoded = ALPHABET.encode(text) if _USE_ALPHABET else None
    if encoded is not None:
        raw, tables = encoded
        kinds = raw.translate(tables.kinds).decode("latin-1")
        joining = raw.translate(tables.joining)
    else:
        codes = text.translate(_CODES).encode("ascii")
        kinds = codes.translate(_TO_KIND).decode("ascii")
        joining = codes.translate(_TO_JOINING)
    levels: bytes | None = None
    classes: str | None = None
    if mode is BidiMode.APP:
        letters: tuple[bytes, bytes, bytes] | None = None
        if encoded is not None:
            classes = raw.translate(tables.classes).decode("latin-1")
            letters = (raw.translate(tables.letters), tables.delta_lo, tables.delta_hi)
            flags = raw.translate(tables.mirrored)
            mirrored = [m.start() for m in _ONE.finditer(flags)] if 1 in flags else []
        else:
            classes = text.translate(CLASS_MAP)
            mirrored = [m.start() for m in _MIRRORED.finditer(text)]
        levels, base = uax9.resolve_levels_bytes(text, fallback, classes)
        shaped = shape(text, joining, letters, ALEF_DRAWN_BY_LAM)
        glyphs = _safe(shaped.text, kinds)
        if shaped.ligatures:
            if glyphs is not shaped.text:  # _safe made the marker a U+FFFD: put it back
                drawn = list(glyphs)
                for _, alef in shaped.ligatures:
                    drawn[alef] = ALEF_DRAWN_BY_LAM
                glyphs = "".join(drawn)
            patched = bytearray(kinds, "ascii")
            for _, alef in shaped.ligatures:
                patched[alef] = _L
            kinds = patched.decode("ascii")
        if mirrored:
            glyphs = _mirror(text, glyphs, kinds, levels, mirrored)
    else:
        base = uax9.paragraph_level(text, fallback)
        glyphs = _safe(text, kinds)
        if "h" in kinds and _RIDERS.search(text) is not None:
            kinds = _with_riders(text, kinds)
    kinds, glyphs = join_clusters(text, kinds, glyphs, ALEF_DRAWN_BY_LAM)
    if "m" in kinds:
        kinds = _ORPHAN.sub("o", kinds)
        kinds, glyphs = cap_marks(text, kinds, glyphs, ALEF_DRAWN_BY_LAM)
    widths = kinds.encode("ascii").translate(width_table(TAB_WIDTH))
    if VS16 in text:
        widths = _emoji_widths(text, kinds, widths)
    return Analysis(text, mode, base, kinds, glyphs, levels, classes, widths)


def _mirror(text: str, glyphs: str, kinds: str, levels: bytes, mirrored: list[int]) -> str:
    """L4 once for the paragraph: a mirrored character at an odd level draws its mirror.

    Every character with a Bidi_Mirroring_Glyph is of class ON, whose level L1 never
    changes, so the paragraph's resolved levels decide for every line.
    """
    parts: list[str] = []
    last = 0
    for at in mirrored:
        if levels[at] & 1 and kinds[at] in "nw":
            parts += (glyphs[last:at], mirror(text[at]) or "")
            last = at + 1
    if not parts:
        return glyphs
    parts.append(glyphs[last:])
    return "".join(parts)


VS16: Final = "\ufe0f"


def _emoji_widths(text: str, kinds: str, widths: bytes) -> bytes:
    """VARIATION SELECTOR-16 makes some narrow symbols wide (☺ → ☺️), as Rich counts it."""
    patched = bytearray(widths)
    last = -1  # Rich lets a symbol be widened once: never look back past the previous VS16
    for m in re.finditer(VS16, text):
        base = m.start() - 1
        while base > last and kinds[base] in "mrl":  # what Rich does not measure
            base -= 1
        if base > last and kinds[base] == "n" and cell_len(text[base] + VS16) == 2:
            patched[m.start()] = 1
        last = m.start()
    return bytes(patched)


def running_columns(widths: bytes) -> Sequence[int]:
    if widths.count(1) == len(widths):
        return range(len(widths) + 1)
    return list(accumulate(widths, initial=0))


def widths_for(an: Analysis, tab_width: int) -> bytes:
    if tab_width == TAB_WIDTH or "t" not in an.kinds:
        return an.widths
    widths = an.kinds.encode("ascii").translate(width_table(tab_width))
    # The same VS16 widening as the analysis's own widths: only the tab's width differs.
    return _emoji_widths(an.text, an.kinds, widths) if VS16 in an.text else widths
