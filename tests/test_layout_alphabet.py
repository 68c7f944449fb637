"""The alphabet's bytes give the engine the same analysis as ``str.translate``.

``reader.layout.alphabet`` maps a paragraph to one byte per code point in C and looks kinds,
joining types, bidi classes, mirroring and shaped glyphs up in byte tables; a paragraph that
does not fit it takes the ``str.translate`` path. Both must give the same analysis — kinds,
glyphs, levels, classes, widths — and so the same lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.layout import BidiMode, analysis
from reader.layout.alphabet import Alphabet
from reader.layout.shaping import SHAPED_CODES, joining_code

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "seeds").iterdir()), *sorted(ROOT.glob("tests/data/udhr/*.txt"))]
TEXTS = [path.read_text("utf-8") for path in SOURCES]  # the seeds and three UDHR translations
# Arabic, Persian and Urdu letters (with and without forms), lam-alef, harakat, tatweel,
# ZWJ/ZWNJ, digits, Latin, brackets, controls and their placeholders, bidi controls, a tab,
# wide characters, an emoji with VS16, a character beyond the BMP, U+FFFE and a surrogate.
CHARS = (
    "ابتثلاأإآءىیکگپچژۀۃےھڈ ـ"
    + "\u064b\u064e\u0651\u0670\u0654"
    + "\u200c\u200d\u200e\u200f\u061c\u200b"
    + "0123٤٥۶ab C(){}<>[]«»%.,-\t"
    + "\x00\x1b\x7f\x85\u2028\u2029"
    + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    + "漢\u3000☺\ufe0f\U0001f600\ufffe\ud800"
)


def analyses(text: str, mode: BidiMode, fallback: int) -> tuple[object, object]:
    analyse = analysis.analyse.__wrapped__
    analysis._USE_ALPHABET = True
    try:
        fast = analyse(text, mode, fallback)
        analysis._USE_ALPHABET = False
        slow = analyse(text, mode, fallback)
    finally:
        analysis._USE_ALPHABET = True
    return fast, slow


@pytest.fixture
def fresh_alphabet(monkeypatch: pytest.MonkeyPatch) -> Alphabet:
    alphabet = Alphabet()
    monkeypatch.setattr(analysis, "ALPHABET", alphabet)
    return alphabet


@pytest.mark.parametrize("mode", list(BidiMode))
def test_seeds_and_udhr(fresh_alphabet: Alphabet, mode: BidiMode) -> None:
    used = 0
    for text in TEXTS:
        for paragraph in text.split("\n"):
            fast, slow = analyses(paragraph, mode, 1)
            assert fast == slow
            used += fresh_alphabet.encode(paragraph) is not None
    assert used > 200  # the fast way did the work


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=CHARS, max_size=80),
    mode=st.sampled_from(list(BidiMode)),
    fallback=st.integers(0, 1),
)
def test_random_paragraphs(text: str, mode: BidiMode, fallback: int) -> None:
    fast, slow = analyses(text, mode, fallback)
    assert fast == slow


def test_a_full_alphabet_falls_back(fresh_alphabet: Alphabet) -> None:
    cjk = "".join(chr(0x4E00 + i) for i in range(400))
    assert fresh_alphabet.encode(cjk) is None  # 400 new characters: not all fit
    assert len(fresh_alphabet.tables.chars) == 256  # …but it took what it could
    assert fresh_alphabet.encode("abc 漢") is None or "漢" in fresh_alphabet.tables.chars
    for text in (cjk, cjk[:100] + " سلام (a)", "سلام (a) ﻻ"):
        for mode in BidiMode:
            fast, slow = analyses(text, mode, 1)
            assert fast == slow


def test_letter_slots_are_limited(fresh_alphabet: Alphabet) -> None:
    # Every letter with presentation forms: more than the 63 letter codes a byte holds.
    shaped = (chr(cp) for cp in range(0x0600, 0x0900))
    letters = "".join(ch for ch in shaped if joining_code(ch) in SHAPED_CODES)
    assert len(letters) > 63
    fresh_alphabet.encode(letters)
    assert fresh_alphabet.tables.n_letters == 63
    fast, slow = analyses(letters, BidiMode.APP, 1)
    assert fast == slow
