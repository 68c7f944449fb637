"""Arabic search form: folding with offset maps, and search in folded text.

Shared by the app's ``/`` search, the corpus search (:mod:`reader.search`) and
the light stemmer (:mod:`reader.stemmer`) the suggestions use; no Textual here.

``fold`` turns text into a *search form* and keeps, for every folded
character, the offset of the original character it came from, so hits found
in the folded text are reported as code-point offsets of the document.
Two layers:

* orthographic (always): alef forms أ إ آ ٱ → ا; ى ی ې → ي; ة ۀ ہ ۃ ە ھ → ه;
  ک → ك; harakat, Quranic marks, tatweel and invisible controls (ZWJ, ZWNJ,
  bidi marks, soft hyphen) dropped; Arabic-Indic digits → ASCII; presentation
  forms (ﻻ, ﺑ…) → their letters; lower case; every space but the newline → " ".
* transliteration (``loose=True``, the default): letters that spell the same
  foreign sound in different house styles share one form — g: غ ج گ ڭ ڨ چ → ج
  (so بيونغ يانغ finds بيونج يانج), v: ڤ ڥ → ف, p: پ → ب, zh: ژ → ز, and the
  Urdu ٹ ڈ ڑ ں → ت د ر ن. This costs a few false hits between native words
  that differ only in غ/ج (الغرب/الجرب); in news text they are rare and the
  reader sees every hit.

Hamza carriers ؤ ئ are kept: مسؤول/مسئول stay distinct (folding both would
need a choice between them; neither form would then match the other anyway).

Every mapping is per character, so ``fold`` is linear: one ``str.translate``
plus a regex scan for the few characters that vanish or expand.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import overload

from reader.corpus import Span

__all__ = [
    "FoldMap",
    "dropped_marks",
    "find_all",
    "fold",
    "query_pattern",
    "spans_in",
    "unmarked",
]


_ENDIAN = "le" if sys.byteorder == "little" else "be"


def _strict_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Lower case, one character to one (U+0130 İ is the only longer one: it becomes "i").
    # Blocks of 256 code points with no case at all are skipped whole: one C-level
    # lower() per block instead of 1.1 million Python-level ones (0.5 s at import,
    # paid by every start of the app; now 0.04 s). Every code point as one string,
    # decoded from UTF-32 (surrogatepass: lone surrogates are code points too).
    every = array("I", range(0x110000)).tobytes().decode(f"utf-32-{_ENDIAN}", "surrogatepass")
    for block in range(0, 0x110000, 256):
        chars = every[block : block + 256]
        if chars.lower() == chars:
            continue
        for code, ch in enumerate(chars, block):
            low = ch.lower()
            if low != ch:
                table[code] = low if len(low) == 1 else low[0]
    table[ord("ς")] = "σ"
    for ch in "أإآٱٲٳٵ":
        table[ord(ch)] = "ا"
    for ch in "ىیېۍێ":
        table[ord(ch)] = "ي"
    for ch in "ةۀہۃەھ":
        table[ord(ch)] = "ه"
    table[ord("ک")] = "ك"
    for digits in ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"):
        for value, ch in enumerate(digits):
            table[ord(ch)] = str(value)
    # Marks of the Arabic blocks (harakat, shadda, sukun, superscript alef, Quranic signs).
    for lo, hi in ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED),
                   (0x08D3, 0x08FF)):  # fmt: skip
        for code in range(lo, hi + 1):
            if unicodedata.category(chr(code)).startswith("M"):
                table[code] = ""
    table[0x0640] = ""  # tatweel
    for code in (0x00AD, 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF,
                 *range(0x202A, 0x202F), *range(0x2066, 0x206A)):  # fmt: skip
        table[code] = ""
    for code in (0x09, 0x0B, 0x0C, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F,
                 0x3000):  # fmt: skip
        table[code] = " "
    # Presentation forms: their compatibility letters, folded in turn.
    for lo, hi in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFC)):
        for code in range(lo, hi + 1):
            ch = chr(code)
            if unicodedata.name(ch, "") and code not in table:
                plain = unicodedata.normalize("NFKC", ch)
                if plain != ch:
                    # Isolated harakat forms (ﹰ) decompose to space + mark: they fold to nothing.
                    table[code] = "".join(table.get(ord(c), c) for c in plain).strip()
    return table


_LOOSE_EXTRA: dict[int, str] = {
    **{ord(ch): "ج" for ch in "غگڭڨچ"},
    **{ord(ch): "ف" for ch in "ڤڥ"},
    ord("پ"): "ب",
    ord("ژ"): "ز",
    ord("ٹ"): "ت",
    ord("ڈ"): "د",
    ord("ڑ"): "ر",
    ord("ں"): "ن",
}


def _compose(table: dict[int, str], extra: dict[int, str]) -> dict[int, str]:
    """``extra`` applied after ``table`` (a presentation form of غ must become ج too)."""
    out = {code: "".join(extra.get(ord(c), c) for c in value) for code, value in table.items()}
    for code, value in extra.items():
        out.setdefault(code, value)
    return out


def _special_pattern(table: dict[int, str]) -> re.Pattern[str]:
    """Characters that do not fold to exactly one character."""
    codes = sorted(code for code, value in table.items() if len(value) != 1)
    ranges: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code != prev + 1:
            ranges.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else "")
            )
            start = code
        prev = code
    return re.compile("[" + "".join(ranges) + "]+")


@lru_cache(maxsize=2)
def _tables(loose: bool) -> tuple[dict[int, str], re.Pattern[str]]:
    """The fold table and its pattern of non one-to-one characters, built on first use.

    Not at import: the library screen imports this module, and every start of the
    app would pay for tables that only a search needs.
    """
    table = _strict_table()
    if loose:
        table = _compose(table, _LOOSE_EXTRA)
    return table, _special_pattern(table)


class FoldMap(Sequence[int]):
    """Folded index → original offset, stored as runs rather than one int per character.

    A 20 MB document folds to ~20 M characters; a list of ints would cost
    hundreds of MB. Here each run is ``(folded start, original start, step)``:
    step 1 for characters that fold one to one, step 0 for the characters an
    expansion (ﻻ → لا) produces from one original. Lookup is a bisect.
    """

    __slots__ = ("_fstarts", "_length", "_ostarts", "_steps")

    def __init__(
        self, fstarts: list[int], ostarts: list[int], steps: list[int], length: int
    ) -> None:
        self._fstarts = fstarts
        self._ostarts = ostarts
        self._steps = steps
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("fold map index out of range")
        run = bisect.bisect_right(self._fstarts, index) - 1
        return self._ostarts[run] + (index - self._fstarts[run]) * self._steps[run]

    def at_sorted(self, indices: Sequence[int]) -> list[int]:
        """``[self[i] for i in indices]`` for non-decreasing indices, in one walk over the runs."""
        out: list[int] = []
        fstarts, ostarts, steps = self._fstarts, self._ostarts, self._steps
        run, last = 0, len(fstarts) - 1
        for index in indices:
            if not 0 <= index < self._length:
                raise IndexError("fold map index out of range")
            while run < last and fstarts[run + 1] <= index:
                run += 1
            out.append(ostarts[run] + (index - fstarts[run]) * steps[run])
        return out

    def __iter__(self) -> Iterator[int]:
        if not self._length:
            return
        bounds = [*self._fstarts[1:], self._length]
        for fstart, ostart, step, fend in zip(
            self._fstarts, self._ostarts, self._steps, bounds, strict=True
        ):
            if step:
                yield from range(ostart, ostart + fend - fstart)
            else:
                yield from (ostart for _ in range(fend - fstart))

    def __repr__(self) -> str:
        return f"FoldMap(len={self._length}, runs={len(self._fstarts)})"

    def runs(self) -> tuple[list[int], list[int], list[int], int]:
        """``(folded starts, original starts, steps, length)``: what rebuilds the map."""
        return self._fstarts, self._ostarts, self._steps, self._length


def fold(text: str, *, loose: bool = True) -> tuple[str, FoldMap]:
    """The search form of ``text`` and the map from each folded index to its original offset.

    Args:
        text: any text (a document, a sentence, a query).
        loose: also merge transliteration variants (غ/ج/گ, ڤ/ف, پ/ب…); see the module notes.

    Returns:
        ``(folded, mapping)``: ``len(mapping) == len(folded)``; ``mapping`` is
        non-decreasing and ``text[mapping[i]]`` is the character ``folded[i]`` came from.
    """
    table, special = _tables(loose)
    folded = text.translate(table)
    fstarts: list[int] = []
    ostarts: list[int] = []
    steps: list[int] = []
    fpos = opos = 0
    for match in special.finditer(text):
        start, end = match.span()
        if start > opos:
            fstarts.append(fpos)
            ostarts.append(opos)
            steps.append(1)
            fpos += start - opos
        # Most special runs only vanish (harakat, tatweel): nothing to record for them.
        if match.group().translate(table):
            for pos in range(start, end):
                size = len(table[ord(text[pos])])
                if size:  # an expansion: all its characters point at `pos`
                    fstarts.append(fpos)
                    ostarts.append(pos)
                    steps.append(0)
                    fpos += size
        opos = end
    if opos < len(text):
        fstarts.append(fpos)
        ostarts.append(opos)
        steps.append(1)
        fpos += len(text) - opos
    assert fpos == len(folded), "fold table and special pattern disagree"
    return folded, FoldMap(fstarts, ostarts, steps, fpos)


@lru_cache(maxsize=4)
def _folded(text: str, loose: bool) -> tuple[str, FoldMap]:
    # The app searches the same document again and again: fold it once.
    return fold(text, loose=loose)


def query_pattern(query: str, *, loose: bool = True) -> re.Pattern[str] | None:
    """The pattern ``query`` is looked for with, in search form (None for a blank query)."""
    parts = fold(query, loose=loose)[0].split()
    if not parts:
        return None
    # Any run of spaces in the text matches a space of the query (never a newline).
    return re.compile(" +".join(map(re.escape, parts)))


def find_all(text: str, query: str, *, loose: bool = True) -> list[Span]:
    """Every non-overlapping occurrence of ``query`` in ``text``, compared in search form.

    Returns:
        Spans in original code-point offsets, in text order. A hit's end takes
        in the combining marks that sit on its last letter, so a highlight
        covers whole glyphs. Hits that would start or end inside a character
        that folds to several (ﻻ → لا) are not reported.
    """
    pattern = query_pattern(query, loose=loose)
    if pattern is None or not text:
        return []
    folded, mapping = _folded(text, loose)
    return spans_in(
        folded, mapping, pattern, len(text), lambda at: unicodedata.category(text[at]) == "Mn"
    )


def spans_in(
    folded: str,
    mapping: FoldMap,
    pattern: re.Pattern[str],
    length: int,
    is_mark: Callable[[int], bool],
) -> list[Span]:
    """The hits of ``pattern`` in a folded text, as spans of the original (see :func:`find_all`).

    Args:
        folded, mapping: ``fold(text)``.
        pattern: :func:`query_pattern` of the query.
        length: ``len(text)``.
        is_mark: whether ``text[offset]`` is a nonspacing mark (asked only for characters
            the fold dropped: :func:`dropped_marks` lists those, for callers without the text).
    """
    size = len(folded)
    fstarts, ostarts, steps, _ = mapping.runs()
    last_run = len(fstarts) - 1
    at = bisect.bisect_right

    def original(index: int) -> int:  # mapping[index], without the Sequence's checks
        run = at(fstarts, index) - 1 if last_run else 0
        return ostarts[run] + (index - fstarts[run]) * steps[run]

    # Only an expansion (ﻻ → لا: a run of step 0) makes two folded indices share an offset.
    expands = 0 in steps
    spans: list[Span] = []
    for match in pattern.finditer(folded):
        i, j = match.span()
        start = original(i)
        last = original(j - 1)
        if expands and ((i > 0 and original(i - 1) == start) or (j < size and original(j) == last)):
            continue
        end = last + 1
        if end < length and is_mark(end):
            limit = original(j) if j < size else length
            while end < limit and is_mark(end):
                end += 1
        spans.append(Span(start, end))
    return spans


def dropped_marks(text: str, *, loose: bool = True) -> list[int]:
    """Offsets of the nonspacing marks of ``text`` that :func:`fold` drops (harakat…), in order.

    With the fold map they are all :func:`spans_in` needs of the original text.
    """
    table, special = _tables(loose)
    return [
        pos
        for match in special.finditer(text)
        for pos in range(*match.span())
        if not table[ord(text[pos])] and unicodedata.category(text[pos]) == "Mn"
    ]


def unmarked(text: str) -> str:
    """``text`` without the characters folding drops (harakat, tatweel, invisible controls).

    Letters keep their spelling (أ stays أ), so a dictionary keyed on written forms can
    look the result up; for text without presentation forms it has exactly one
    character per character of the folded text.
    """
    return text.translate(_dropped())


@lru_cache(maxsize=1)
def _dropped() -> dict[int, None]:
    table, _ = _tables(True)
    return {code: None for code, value in table.items() if value == ""}
