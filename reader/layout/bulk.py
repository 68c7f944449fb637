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
from reader.layout.alphabet import ALPHABET
from reader.layout.analysis import ALEF_DRAWN_BY_LAM, VS16, Analysis, _mirror
from reader.layout.clusters import MAX_DRAWN_MARKS
from reader.layout.engine import MIN_WIDTH, layout_texts
from reader.layout.fastlines import plain_texts
from reader.layout.lines import BidiMode
from reader.layout.sanitize import TAB_WIDTH, width_table
from reader.layout.shaping import ALEFS, LAM, shape, shape_text

_NOT_PLAIN: Final = b"nsm"  # deleted by bytes.translate: what is left is not plain
_LONG_RUN: Final = re.compile(f"[ml]{{{MAX_DRAWN_MARKS + 1},}}")  # clusters.cap_marks' case
_ONE: Final = re.compile(b"\x01")
_L: Final = ord("l")


def _plain(text: str, kinds: bytes) -> bool:
    """Letters, break spaces and marks only, a letter first (no orphan mark, no leading
    space), no VARIATION SELECTOR-16 (a mark that can widen the symbol before it): with
    the checks on the classes, ``fastlines.is_plain`` of the analysis."""
    return kinds[:1] == b"n" and not kinds.translate(None, _NOT_PLAIN) and VS16 not in text


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
    by_level: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
    where: list[tuple[int, int] | None] = []  # (level, index in by_level[level])
    at = 0
    for text in texts:
        end = at + len(text)
        bounds.append((at, end))
        cls = classes[at:end]
        own = kinds_raw[at:end]
        if _plain(text, own) and "b" not in cls and cls.count("W") == own.count(b"s"):
            first = uax9._first_strong(cls, 0, len(cls))
            level = fallback if first is None else first
            where.append((level, len(by_level[level])))
            by_level[level].append((text, cls))
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
    mirrored = raw.translate(tables.mirrored)
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


def layout_many(texts: Sequence[str], width: int, fallback_rtl: bool) -> list[list[str]]:
    """``[layout_texts(text, width, BidiMode.APP, fallback_rtl) for text in texts]``.

    ``texts`` hold no newline (they are a document's lines).
    """
    width = max(width, MIN_WIDTH)
    out: list[list[str]] = []
    for text, an in zip(texts, analyses(texts, 1 if fallback_rtl else 0), strict=True):
        lines = plain_texts(an, width, checked=True) if an is not None else None
        out.append(
            lines if lines is not None else layout_texts(text, width, BidiMode.APP, fallback_rtl)
        )
    return out
