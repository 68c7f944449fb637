"""Independent references for the layout tests: L1–L4 from given levels, folding, joining.

Nothing here uses the engine's code: L1 and L2 come from the plain oracle of the bidi tests
(tests/bidi_reference.py), categories from Python's ``unicodedata``, mirroring and joining
types from the copies of BidiMirroring.txt and ArabicShaping.txt under tests/data/unicode/.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from bidi_reference import line as reference_l1
from bidi_reference import visual as reference_l2

from reader.layout import Cell, VisualLine

DATA = Path(__file__).parent / "data"
UNICODE = DATA / "unicode"
PRESENTATION = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_FORM_TAGS = {"<isolated>": "isolated", "<final>": "final", "<initial>": "initial",
              "<medial>": "medial"}  # fmt: skip


def _records(name: str) -> Iterable[list[str]]:
    for line in (UNICODE / name).read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield [field.strip() for field in line.split(";")]


@cache
def mirrors() -> dict[str, str]:
    return {chr(int(a, 16)): chr(int(b, 16)) for a, b in _records("BidiMirroring.txt")}


@cache
def joining_types() -> dict[str, str]:
    return {chr(int(rec[0], 16)): rec[2] for rec in _records("ArabicShaping.txt")}


def joining_type(ch: str) -> str:
    """Per the header of ArabicShaping.txt: unlisted Mn, Me, Cf are T, the rest U."""
    listed = joining_types().get(ch)
    if listed is not None:
        return listed
    return "T" if unicodedata.category(ch) in ("Mn", "Me", "Cf") else "U"


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def is_presentation(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in PRESENTATION)


def form_of(glyph: str) -> tuple[str, str] | None:
    """(form, base letters) of a presentation form, from its compatibility decomposition."""
    parts = unicodedata.decomposition(glyph).split()
    if not parts or parts[0] not in _FORM_TAGS:
        return None
    return _FORM_TAGS[parts[0]], "".join(chr(int(p, 16)) for p in parts[1:])


_FORMS = {(False, False): "isolated", (True, False): "final",
          (False, True): "initial", (True, True): "medial"}  # fmt: skip


@cache
def encoded_forms() -> dict[str, set[str]]:
    """Letter → the forms Unicode encodes a presentation glyph for."""
    out: dict[str, set[str]] = {}
    for lo, hi in PRESENTATION:
        for cp in range(lo, hi + 1):
            found = form_of(chr(cp))
            if found and len(found[1]) == 1:
                out.setdefault(found[1], set()).add(found[0])
    return out


def expected_forms(text: str) -> dict[int, str]:
    """Offset → the joining form each dual/right-joining letter must take (logical order)."""
    types = [joining_type(ch) for ch in text]
    solid = [i for i, t in enumerate(types) if t != "T"]
    out: dict[int, str] = {}
    for k, i in enumerate(solid):
        t = types[i]
        if t not in "RD":
            continue
        before = types[solid[k - 1]] if k > 0 else "U"
        after = types[solid[k + 1]] if k + 1 < len(solid) else "U"
        joins_prev = before in "DLC"
        joins_next = t == "D" and after in "RDC"
        out[i] = _FORMS[(joins_prev, joins_next)]
    return out


# --- L1–L4 on given levels --------------------------------------------------------------------


def reference_order(
    text: str, levels: Sequence[int], base: int, start: int, end: int
) -> tuple[list[int], list[int]]:
    """L1 then L2 on the line ``text[start:end]``: (offsets in visual order, their levels).

    Both rules come from tests/bidi_reference.py, the by-the-book UAX #9 that is itself
    checked against the whole of BidiCharacterTest.txt.
    """
    lv = reference_l1(text, list(levels), start, end, base)
    order = reference_l2(lv)
    return [start + k for k in order], [lv[k] for k in order]


def reference_line(text: str, levels: Sequence[int], base: int, line: VisualLine) -> str:
    """What UAX #9 says the line shows: L1–L2, L3 (marks after base), L4 (mirroring)."""
    order, lv = reference_order(text, levels, base, line.start, line.end)
    hidden = set(line.hidden)
    pairs = [(o, level) for o, level in zip(order, lv, strict=True) if o not in hidden]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and is_mark(text[pairs[j][0]]) and pairs[j][1] & 1:
            j += 1
        if j > i and j < len(pairs) and pairs[j][0] == pairs[j - 1][0] - 1:
            out.append(pairs[j])  # L3: the base first, then its marks in logical order
            out.extend(reversed(pairs[i:j]))
            i = j + 1
        else:
            out.extend(pairs[i : max(j, i + 1)])
            i = max(j, i + 1)
    table = mirrors()
    return "".join(table.get(text[o], text[o]) if level & 1 else text[o] for o, level in out)


def fold_cell(cell: Cell, text: str, rtl_level: bool) -> str:
    """A cell's text with presentation forms folded back to letters.

    A lam-alef ligature folds to lam and alef, each with its own marks (taken from the logical
    text), in the order they would be drawn at the cell's direction.
    """
    glyph, marks = cell.text[0], cell.text[1:]
    if not is_presentation(glyph):
        return cell.text
    folded = unicodedata.normalize("NFKC", glyph)
    if len(folded) == 1:
        return folded + marks
    source = text[cell.start : cell.end]
    clusters: list[str] = []
    for ch in source:
        if is_mark(ch) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    assert "".join(c[0] for c in clusters) == folded, (cell, source)
    assert "".join(c[1:] for c in clusters) == marks, (cell, source)
    return "".join(reversed(clusters) if rtl_level else clusters)


def visual_folded(line: VisualLine, text: str, levels: Sequence[int] | None = None) -> str:
    """The line's cells folded back to letters (see ``fold_cell``)."""
    return "".join(
        # Without levels, a lam-alef is taken to be drawn right to left, as Arabic letters are.
        fold_cell(cell, text, bool(levels[cell.start] & 1) if levels else True)
        for cell in line.cells
    )


def expand_runs(runs: Sequence[Sequence[int]]) -> list[int]:
    return [level for level, count in runs for _ in range(count)]
