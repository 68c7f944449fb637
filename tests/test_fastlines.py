"""The plain-paragraph path of ``layout_texts`` (``reader.layout.fastlines``) against the
general one (``wrap.break_lines`` + ``engine._build_text``), line for line.

The general path is itself checked against the cells (``test_layout_text_path.py``) and the
cells against BidiCharacterTest.txt and FriBidi (``test_layout.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.layout import BidiMode, engine, fastlines
from reader.layout.analysis import analyse
from reader.layout.sanitize import KINDS
from reader.layout.ucd import CLASS_MAP

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    *(p.read_text("utf-8") for p in sorted((ROOT / "seeds").iterdir())),
    *(p.read_text("utf-8") for p in sorted((ROOT / "tests" / "data" / "udhr").glob("*.txt"))),
]
# Plain: letters (lam and the four alefs for the ligatures), harakat, European and
# Arabic-Indic digits, separators and terminators, Latin, brackets and mirrored signs,
# spaces (runs of them, and spaces carrying marks).
PLAIN = "بيتلاأإآ" + "\u064e\u0651\u0670" + "0129٤٥" + "+-,.:%$" + "abC" + "(){}<>[]«»" + "   "
# …and what makes a paragraph take the general path.
OTHER = "\t\u2007\u3000\u200c\u200d\u202b\u2067\u200f漢\ufe0f\x00"


def both_ways(text: str, width: int, fallback_rtl: bool) -> tuple[list[str], list[str]]:
    engine._PLAIN_PATH = True
    try:
        fast = engine.layout_texts(text, width, BidiMode.APP, fallback_rtl)
    finally:
        engine._PLAIN_PATH = False
    try:
        general = engine.layout_texts(text, width, BidiMode.APP, fallback_rtl)
    finally:
        engine._PLAIN_PATH = True
    return fast, general


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(alphabet=PLAIN, min_size=1, max_size=120),
    width=st.integers(2, 30),
    fallback_rtl=st.booleans(),
)
def test_plain_paragraphs(text: str, width: int, fallback_rtl: bool) -> None:
    fast, general = both_ways(text, width, fallback_rtl)
    assert fast == general


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=PLAIN + OTHER, min_size=1, max_size=80),
    width=st.integers(2, 30),
    fallback_rtl=st.booleans(),
)
def test_any_paragraph(text: str, width: int, fallback_rtl: bool) -> None:
    fast, general = both_ways(text, width, fallback_rtl)
    assert fast == general


@pytest.mark.parametrize("width", [7, 30, 50, 80, 120])
def test_seeds_and_udhr_mostly_take_the_plain_path(width: int) -> None:
    assert len(TEXTS) == 8
    paragraphs = [p for text in TEXTS for p in text.split("\n") if p.strip(" ")]
    plain = 0
    for paragraph in paragraphs:
        fast, general = both_ways(paragraph, width, True)
        assert fast == general
        an = analyse.__wrapped__(paragraph, BidiMode.APP, 1)
        plain += fastlines.plain_texts(an, width) is not None
    # The seeds are news text, the UDHR has ZWNJ (Persian) and tabs: most, not all.
    assert plain > 0.8 * len(paragraphs)


def test_cases_the_plain_path_must_leave() -> None:
    for text in ("\u2007ب ب", "ب\u2007 ب", " بب", "ب\tب", "ب\u200cب", "ب\ufe0f", "\u064eب"):
        an = analyse.__wrapped__(text, BidiMode.APP, 1)
        assert fastlines.plain_texts(an, 2) is None, repr(text)
        fast, general = both_ways(text, 2, True)
        assert fast == general


def test_long_words_and_lines_of_one_width() -> None:
    for text in ("بببببببب", "ب ب ب ب ب", "abc defgh 12 345", "لا لا لالا", "بَّ بَّ"):
        for width in range(2, 12):
            fast, general = both_ways(text, width, True)
            assert fast == general, (text, width)


def test_what_plain_takes_for_granted_about_the_unicode_tables() -> None:
    """A letter, space or mark is never a separator or an explicit formatting character,
    and a break space is always of class WS: the plain path checks only the rest."""
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        kind = KINDS[cp]
        if kind in "nsm":
            assert CLASS_MAP[cp] not in "SB123456789", hex(cp)
        if kind == "s":
            assert CLASS_MAP[cp] == "W", hex(cp)
