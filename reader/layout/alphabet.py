"""A paragraph → one byte per code point, in C: the engine's per-character tables as bytes.

``str.translate`` looks each character up in a dict — about 40 ns a character for Arabic,
whose code points are not cached ints — and the engine needs a kind, a joining type and a
bidi class for every character of every paragraph. ``codecs.charmap_encode`` with an
``EncodingMap`` maps a character to a byte in about 2 ns. The *alphabet* is the characters
met so far, up to 255 besides NUL (in the Basic Multilingual Plane, not surrogates); each has
a byte, and each table of the engine is a 256-byte ``bytes.translate`` table over those bytes
(about 0.5 ns a character). A paragraph with a character the alphabet cannot take goes the
``str.translate`` way: same results, slower.

The tables are computed from the same functions as the ``str.translate`` tables
(``sanitize.KINDS``, ``shaping.JOINING_CODES``, ``ucd.CLASS_MAP``, ``shaping.glyph``), so the
two ways agree by construction; ``tests/test_layout_alphabet.py`` checks it on random text.
"""

from __future__ import annotations

import codecs
import threading
from typing import Any, Final, NamedTuple

from reader.layout._tables import MIRROR
from reader.layout.sanitize import KINDS
from reader.layout.shaping import JOINING_CODES, SHAPED_CODES, glyph
from reader.layout.ucd import CLASS_MAP

_EMPTY: Final = "\ufffe"  # charmap_build skips U+FFFE: a free slot
_SIZE: Final = 256
_MAX_LETTERS: Final = 63  # letter codes (1 + slot) × 4 + form must fit a byte


class Tables(NamedTuple):
    """One state of the alphabet: its encoding map and the tables over its bytes."""

    encoding: Any  # codecs.EncodingMap
    chars: str  # byte → character, NUL first
    kinds: bytes  # byte → kind letter (sanitize.py)
    joining: bytes  # byte → joining code (shaping.joining_code)
    classes: bytes  # byte → bidi class code (ucd.CODES)
    mirrored: bytes  # byte → 1 for a character with a Bidi_Mirroring_Glyph
    letters: bytes  # byte → 4 × (1 + its slot) for a letter with forms, else 0
    delta_lo: bytes  # letter code + form → low byte of (glyph − letter)
    delta_hi: bytes  # …and its high byte
    n_letters: int


def _build(chars: str) -> Tables:
    kinds = bytearray(_SIZE)
    joining = bytearray(_SIZE)
    classes = bytearray(_SIZE)
    mirrored = bytearray(_SIZE)
    letters = bytearray(_SIZE)
    delta_lo = bytearray(_SIZE)
    delta_hi = bytearray(_SIZE)
    n_letters = 0
    for byte, ch in enumerate(chars):
        cp = ord(ch)
        kinds[byte] = ord(KINDS[cp])
        code = JOINING_CODES[cp]
        joining[byte] = ord(code)
        classes[byte] = ord(CLASS_MAP[cp])
        mirrored[byte] = cp in MIRROR
        if code in SHAPED_CODES:
            n_letters += 1
            letters[byte] = 4 * n_letters
            for form in range(4):
                delta = ord(glyph(ch, form)) - cp
                delta_lo[4 * n_letters + form] = delta & 0xFF
                delta_hi[4 * n_letters + form] = delta >> 8
    padded = chars + _EMPTY * (_SIZE - len(chars))
    return Tables(
        codecs.charmap_build(padded),
        chars,
        bytes(kinds),
        bytes(joining),
        bytes(classes),
        bytes(mirrored),
        bytes(letters),
        bytes(delta_lo),
        bytes(delta_hi),
        n_letters,
    )


def _fits(ch: str) -> bool:
    cp = ord(ch)
    return 0 < cp <= 0xFFFF and not 0xD800 <= cp < 0xE000 and ch != _EMPTY


class Alphabet:
    """The characters met so far, each with a byte; grows until it holds 255."""

    def __init__(self, initial: str = "".join(map(chr, range(128)))) -> None:
        assert initial.startswith("\0")
        self._tables = _build(initial)
        self._lock = threading.Lock()

    @property
    def tables(self) -> Tables:
        return self._tables

    def encode(self, text: str) -> tuple[bytes, Tables] | None:
        """One byte per code point of ``text`` and the tables they index; None if it cannot."""
        tables = self._tables
        try:
            return codecs.charmap_encode(text, "strict", tables.encoding)[0], tables
        except UnicodeEncodeError:
            pass
        if len(tables.chars) == _SIZE:
            return None
        with self._lock:
            tables = self._grow(text)
        try:
            return codecs.charmap_encode(text, "strict", tables.encoding)[0], tables
        except UnicodeEncodeError:
            return None

    def _grow(self, text: str) -> Tables:
        tables = self._tables
        new = sorted(set(text).difference(tables.chars))
        added: list[str] = []
        letters = tables.n_letters
        for ch in new:
            if len(tables.chars) + len(added) == _SIZE:
                break
            if not _fits(ch):
                continue
            if JOINING_CODES[ord(ch)] in SHAPED_CODES:
                if letters == _MAX_LETTERS:
                    continue
                letters += 1
            added.append(ch)
        if added:
            tables = self._tables = _build(tables.chars + "".join(added))
        return tables


ALPHABET: Final = Alphabet()
"""The process's alphabet (shared by every paragraph; it only grows)."""
