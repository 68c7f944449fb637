"""Grapheme clusters a cell keeps whole, and how many marks one cell draws (issue 12).

A cell is a character and what continues it (kinds ``m``, ``r``, ``l``: see ``sanitize``).
Three rules of UAX #29 that the kinds alone do not give:

* ZWNJ and ZWJ are *Extend* (GB9): a mark after them still belongs to the cluster before
  them (``دل‌ِگرفته``: the kasra stays on the lam). Such a joiner becomes an ``l``: inside
  its cell, drawn by nothing (its glyph is the engine's not-drawn marker), its joining
  effect already taken by the shaping.
* An emoji ZWJ sequence (GB11: Extended_Pictographic Extend* ZWJ × Extended_Pictographic,
  ``👨‍💻``) is one cell, so bidi reordering can neither split nor reverse it: the ZWJ is drawn
  (``r``) and the pictograph after it continues the cell with no width of its own — as Rich
  measures it (a ZWJ glues the next character to the one before).
* A cell draws at most ``MAX_DRAWN_MARKS`` continuing characters, the limit of Unicode's
  Stream-Safe Text Format (UAX #15): the rest stay in the cell (offsets, selections) but are
  not drawn. No terminal stacks more, and a million marks on one letter cost nothing to draw.

Every rule finds its few candidates with one regular expression over the paragraph; Python
runs per candidate (a joiner before a mark, a long run of marks), never per code point.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final

from reader.layout import _tables
from reader.layout._emoji import EXTENDED_PICTOGRAPHIC

ZWJ: Final = "\u200d"
ZWNJ: Final = "\u200c"
MAX_DRAWN_MARKS: Final = 30


def _ranges_class(pairs: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" for a, b in pairs)


_MARK_RANGES = list(zip(_tables.MARKS[::2], _tables.MARKS[1::2], strict=True))
_PICT_STARTS: Final = [a for a, _ in EXTENDED_PICTOGRAPHIC]
# A joiner run before a mark; a ZWJ before a pictograph (checked backwards in Python).
_JOINERS_BEFORE_MARK: Final = re.compile(f"[{ZWJ}{ZWNJ}]+(?=[{_ranges_class(_MARK_RANGES)}])")
_ZWJ_BEFORE_PICT: Final = re.compile(f"{ZWJ}(?=[{_ranges_class(EXTENDED_PICTOGRAPHIC)}])")
# More continuing characters than a cell draws; the drawn ones counted from the run's start.
_LONG_RUN: Final = re.compile(f"[mrl]{{{MAX_DRAWN_MARKS + 1},}}")
_DRAWN: Final = re.compile(f"(?:l*[mr]){{{MAX_DRAWN_MARKS}}}")
#: Kinds after which a joiner still extends the cluster (not after a control: GB4).
_CLUSTER_KINDS: Final = frozenset("nwmsSlro")


def is_pictographic(ch: str) -> bool:
    cp = ord(ch)
    k = bisect_right(_PICT_STARTS, cp) - 1
    return k >= 0 and cp < EXTENDED_PICTOGRAPHIC[k][1]


def _patch(
    kinds: str, glyphs: str, spans: list[tuple[int, int, str]], not_drawn: str
) -> tuple[str, str]:
    """Set ``kinds[s:e]`` to ``kind`` for each span; an ``l`` span's glyphs become the marker."""
    patched = bytearray(kinds, "ascii")
    pieces: list[str] = []
    last = 0
    for s, e, kind in sorted(spans):
        patched[s:e] = kind.encode("ascii") * (e - s)
        if kind == "l":
            pieces += (glyphs[last:s], not_drawn * (e - s))
            last = e
    pieces.append(glyphs[last:])
    return patched.decode("ascii"), "".join(pieces)


def join_clusters(text: str, kinds: str, glyphs: str, not_drawn: str) -> tuple[str, str]:
    """The first two rules of the module docstring (before orphan marks are looked for)."""
    if ZWJ not in text and ZWNJ not in text:
        return kinds, glyphs
    spans: list[tuple[int, int, str]] = []
    joined: set[int] = set()
    for m in _ZWJ_BEFORE_PICT.finditer(text):
        at = m.start()
        base = at - 1
        while base >= 0 and kinds[base] == "m":  # Extend* between the pictograph and ZWJ
            base -= 1
        if base >= 0 and is_pictographic(text[base]) and kinds[at] == "h":
            spans += ((at, at + 1, "r"), (at + 1, at + 2, "m"))
            joined.add(at)
    if "m" in kinds:
        for m in _JOINERS_BEFORE_MARK.finditer(text):
            s, e = m.span()
            if s == 0 or kinds[s - 1] not in _CLUSTER_KINDS or kinds[e] != "m":
                continue
            spans += [(i, i + 1, "l") for i in range(s, e) if kinds[i] == "h" and i not in joined]
    return _patch(kinds, glyphs, spans, not_drawn) if spans else (kinds, glyphs)


def cap_marks(text: str, kinds: str, glyphs: str, not_drawn: str) -> tuple[str, str]:
    """The third rule: past ``MAX_DRAWN_MARKS``, a cell's continuing characters are not drawn."""
    spans: list[tuple[int, int, str]] = []
    for m in _LONG_RUN.finditer(kinds):
        drawn = _DRAWN.match(kinds, m.start())
        if drawn is None or drawn.end() >= m.end():
            continue
        cut = drawn.end()
        if text[cut - 1] == ZWJ:  # a drawn ZWJ glues the next character: keep them together
            cut -= 1
        spans.append((cut, m.end(), "l"))
    return _patch(kinds, glyphs, spans, not_drawn) if spans else (kinds, glyphs)
