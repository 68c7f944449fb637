"""Many paragraphs laid out at once: ``reader show``'s path through a whole document.

``engine.layout_texts`` analyses one paragraph at a time, and for the 26,500 paragraphs of
the 20 MB bench document the fixed cost of each step — some sixty calls into C per
paragraph — was more than the work on the characters. Here the steps that look at a
character and its neighbours only run once over a batch of paragraphs joined by newlines:
the alphabet's tables, Arabic shaping (a newline joins nothing, and a lam-alef cannot span
one) and UAX #9's weak and neutral rules (``uax9.resolve_plain``: each paragraph in its own
sentinels). What is left per paragraph is slicing, L4 and the lines (``fastlines``).

Only *plain* paragraphs go this way (letters, break spaces and combining marks; no control,
tab, joiner, wide character or bidi formatting character; see ``_plain``); for them the
result is the ``Analysis`` that ``analysis.analyse`` gives (``tests/test_bulk.py``). Every
other paragraph, and every paragraph in a batch the alphabet cannot encode, takes
``engine.layout_texts``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from reader.layout import uax9
from reader.layout.alphabet import ALPHABET, Tables
from reader.layout.analysis import ALEF_DRAWN_BY_LAM, VS16, Analysis, _mirror
from reader.layout.clusters import MAX_DRAWN_MARKS
from reader.layout.engine import MIN_WIDTH, layout_texts
from reader.layout.fastlines import plain_body
from reader.layout.lines import BidiMode
from reader.layout.sanitize import TAB_WIDTH, width_table
from reader.layout.shaping import ALEFS, LAM, shape, shape_text

_LONG_RUN: Final = re.compile(f"[ml]{{{MAX_DRAWN_MARKS + 1},}}")  # clusters.cap_marks' case
_ONE: Final = re.compile(b"\x01")
_L: Final = ord("l")


_N: Final = ord("n")
_not_plain_cache: list[tuple[Tables, bytes]] = []


def _not_plain(tables: Tables) -> bytes:
    """``bytes.translate`` table: 1 for a character no plain paragraph holds.

    Plain (``fastlines.is_plain``): letters, break spaces and marks only (the lam-alefs
    come from shaping); no boundary neutral; no whitespace L1 could move but the break
    spaces (every break space is of class WS: ``tests/test_fastlines.py``); no
    VARIATION SELECTOR-16, a mark that can widen the symbol before it.
    """
    if _not_plain_cache and _not_plain_cache[0][0] is tables:
        return _not_plain_cache[0][1]
    flags = bytearray(256)
    for byte, ch in enumerate(tables.chars):
        kind, cls = chr(tables.kinds[byte]), chr(tables.classes[byte])
        flags[byte] = kind not in "nsm" or cls == "b" or (cls == "W") != (kind == "s") or ch == VS16
    _not_plain_cache[:] = [(tables, bytes(flags))]
    return bytes(flags)


def _ligature_kinds(raw: bytes, chars: str, kinds: bytes, table: bytes) -> bytes:
    """The kinds with ``l`` at the alef of each lam-alef (a lam right before an alef: see
    ``shaping.shape_text``), by replacing byte pairs rather than a step per ligature.

    Such an alef's byte becomes 0 (NUL's), and NUL's kind becomes ``l``: a plain paragraph
    has no NUL, and the kinds of the others are not used.
    """
    lam = chars.find(LAM)
    if lam < 1 or raw.find(lam) == -1:
        return kinds
    for alef in map(chars.find, ALEFS):
        if alef > 0:
            raw = raw.replace(bytes((lam, alef)), bytes((lam, 0)))
    return raw.translate(b"l" + table[1:])


def analyses(texts: Sequence[str], fallback: int) -> list[Analysis | None]:
    """``analyse(text, BidiMode.APP, fallback)`` of each plain paragraph; None for the rest.

    ``texts`` hold no newline (they are a document's lines).
    """
    joined = "\n".join(texts)
    encoded = ALPHABET.encode(joined)
    if encoded is None:
        return [None] * len(texts)
    raw, tables = encoded
    kinds_raw = raw.translate(tables.kinds)
    classes = raw.translate(tables.classes).decode("latin-1")
    bounds: list[tuple[int, int]] = []
    not_plain = raw.translate(_not_plain(tables))
    mirrored = raw.translate(tables.mirrored)
    by_level: tuple[list[tuple[str, str, bool]], list[tuple[str, str, bool]]] = ([], [])
    where: list[tuple[int, int] | None] = []  # (level, index in by_level[level])
    at = 0
    for text in texts:
        end = at + len(text)
        bounds.append((at, end))
        # A letter first: no orphan mark, no leading space (wrap.break_lines has its rules).
        if end > at and kinds_raw[at] == _N and not_plain.find(1, at, end) == -1:
            cls = classes[at:end]
            first = uax9._first_strong(classes, at, end)
            level = fallback if first is None else first
            where.append((level, len(by_level[level])))
            # Every bracket has a mirrored glyph: a paragraph with none has no bracket pair.
            by_level[level].append((text, cls, mirrored.find(1, at, end) != -1))
        else:
            where.append(None)
        at = end + 1
    if not any(by_level):
        return [None] * len(texts)
    levels = (uax9.resolve_plain(by_level[0], 0), uax9.resolve_plain(by_level[1], 1))
    # Shaping over the whole batch; the alef of each lam-alef is drawn by the lam's cell.
    joining = raw.translate(tables.joining)
    letters = (raw.translate(tables.letters), tables.delta_lo, tables.delta_hi)
    fast = shape_text(joined, joining, letters, ALEF_DRAWN_BY_LAM)
    if fast is None:
        shaped = shape(joined, joining, letters, ALEF_DRAWN_BY_LAM)
        glyphs, alefs = shaped.text, [alef for _, alef in shaped.ligatures]
    else:
        glyphs, alefs = fast
        kinds_raw = _ligature_kinds(raw, tables.chars, kinds_raw, tables.kinds)
    if alefs:
        patched = bytearray(kinds_raw)
        for alef in alefs:
            patched[alef] = _L
        kinds_raw = bytes(patched)
    kinds = kinds_raw.decode("latin-1")
    widths = kinds_raw.translate(width_table(TAB_WIDTH))
    out: list[Analysis | None] = []
    for text, (start, end), place in zip(texts, bounds, where, strict=True):
        if place is None:
            out.append(None)
            continue
        level, index = place
        lv = levels[level][index]
        drawn = glyphs[start:end]
        kind = kinds[start:end]
        if len(kind) - kind.count("n") - kind.count("s") > MAX_DRAWN_MARKS and _LONG_RUN.search(
            kind
        ):
            out.append(None)  # clusters.cap_marks would leave some of them undrawn
            continue
        if mirrored.find(1, start, end) != -1:
            at_ = [m.start() for m in _ONE.finditer(mirrored, start, end)]
            drawn = _mirror(text, drawn, kind, lv, [i - start for i in at_])
        out.append(
            Analysis(
                text,
                BidiMode.APP,
                level,
                kind,
                drawn,
                lv,
                classes[start:end],
                widths[start:end],
            )
        )
    return out


def layout_many(texts: Sequence[str], width: int, fallback_rtl: bool) -> list[str]:
    """``["\\n".join(layout_texts(text, width, BidiMode.APP, fallback_rtl)) for text in texts]``.

    ``texts`` hold no newline (they are a document's lines).
    """
    width = max(width, MIN_WIDTH)
    out: list[str] = []
    for text, an in zip(texts, analyses(texts, 1 if fallback_rtl else 0), strict=True):
        body = plain_body(an, width) if an is not None else None
        if body is None:
            body = "\n".join(layout_texts(text, width, BidiMode.APP, fallback_rtl))
        out.append(body)
    return out
