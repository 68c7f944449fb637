"""Paragraphs laid out in batches (``reader.layout.bulk``, ``uax9.resolve_plain``,
``shaping.shape_text``) against one paragraph at a time.

The batch must give, for each plain paragraph, exactly the ``Analysis`` that
``analysis.analyse`` gives it alone — nothing may leak from one paragraph into the next
(numbers, neutrals, bracket pairs, joining, lam-alefs) — and ``layout_many`` exactly what
``layout_texts`` gives. UAX #9 conformance runs through the batch resolver too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.layout import BidiMode, bulk, uax9, ucd
from reader.layout.alphabet import Alphabet
from reader.layout.analysis import ALEF_DRAWN_BY_LAM, analyse
from reader.layout.engine import layout_texts
from reader.layout.shaping import JOINING_CODES, shape, shape_text
from tests.test_uax9 import Case, assert_pass_rate, cases, check

ROOT = Path(__file__).resolve().parent.parent
# Plain text (letters, lam and alefs, harakat and a spacing-less lam + mark + alef, digits,
# separators, Latin, brackets that may open in one paragraph and close in the next, spaces)
# and what makes a paragraph take the general path (tab, controls, joiners, embeddings,
# a wide character, VS16, U+2007, a presentation form, a noncharacter).
PLAIN = "بيتلاأإآ" + "\u064e\u064b\u0651" + "019٤٥" + "+-,.%" + "aC" + "()[]«»" + "   "
OTHER = "\t\x00\u200c\u200d\u202b\u202c\u2067\u2069\u200f漢\ufe0f\u2007\ufefb\ufdd0"


def paragraphs(alphabet: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.text(alphabet=alphabet, max_size=50), min_size=1, max_size=8)


def assert_same_as_alone(texts: list[str], fallback: int) -> None:
    batch = bulk.analyses(texts, fallback)
    assert len(batch) == len(texts)
    for text, an in zip(texts, batch, strict=True):
        if an is not None:
            assert an == analyse.__wrapped__(text, BidiMode.APP, fallback)
    for width in (3, 11, 40):
        alone = [
            "\n".join(layout_texts(text, width, BidiMode.APP, fallback == 1)) for text in texts
        ]
        assert bulk.layout_many(texts, width, fallback == 1) == alone


@settings(max_examples=300, deadline=None)
@given(texts=paragraphs(PLAIN), fallback=st.sampled_from([0, 1]))
def test_plain_batches(texts: list[str], fallback: int) -> None:
    assert_same_as_alone(texts, fallback)


@settings(max_examples=300, deadline=None)
@given(texts=paragraphs(PLAIN + OTHER), fallback=st.sampled_from([0, 1]))
def test_mixed_batches(texts: list[str], fallback: int) -> None:
    assert_same_as_alone(texts, fallback)


def room_in_the_alphabet(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh alphabet: the process's one may be full after other tests (a batch that
    does not fit goes paragraph by paragraph, which these tests are not about)."""
    monkeypatch.setattr(bulk, "ALPHABET", Alphabet())


def test_nothing_crosses_a_paragraph_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    room_in_the_alphabet(monkeypatch)
    texts = [
        "قال (a",  # a bracket opened here…
        "b) قال",  # …is not closed here
        "abc 12",  # W2: the number follows "abc", not the Arabic before
        "1 ب",  # and this one follows the paragraph's sos, not "12" above
        "لا",
        "الم ل",  # a lam at the end does not join the alef of the next paragraph
        "ا قال",
        "بَّ ب",
    ]
    batch = bulk.analyses(texts, 1)
    assert all(an is not None for an in batch)  # all of them took the batch path
    assert_same_as_alone(texts, 1)
    assert_same_as_alone(texts, 0)


def test_seeds_and_udhr_as_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    room_in_the_alphabet(monkeypatch)
    docs = [
        *(p.read_text("utf-8") for p in sorted((ROOT / "seeds").iterdir())),
        *(p.read_text("utf-8") for p in sorted((ROOT / "tests/data/udhr").glob("*.txt"))),
    ]
    texts = [line for doc in docs for line in doc.split("\n")]
    batch = bulk.analyses(texts, 1)
    # Persian has ZWNJ, and some lines are blank: most of the others take the batch path.
    assert sum(an is not None for an in batch) > 0.7 * sum(bool(t.strip()) for t in texts)
    assert_same_as_alone(texts, 1)


def test_a_batch_the_alphabet_cannot_take_goes_paragraph_by_paragraph() -> None:
    texts = ["".join(map(chr, range(0x4E00, 0x4E00 + 300))), "قال"]
    assert bulk.analyses(texts, 1) == [None, None]
    assert_same_as_alone(texts, 1)


def test_shape_text_equals_shape() -> None:
    for text in ("لا الأ لإ لآ", "سلام لًا لَا", "ﻻ لا", "ب", "ل", "abc", "لْا ﻟﺎ"):
        codes = text.translate(JOINING_CODES).encode("ascii")
        fast = shape_text(text, codes, None, ALEF_DRAWN_BY_LAM)
        shaped = shape(text, codes, None, ALEF_DRAWN_BY_LAM)
        if fast is None:
            assert "\ufefb" in text or "\ufedf" in text  # its own presentation forms
            continue
        glyphs, apart = fast
        assert glyphs == shaped.text
        assert set(apart) <= {alef for _, alef in shaped.ligatures}


def _plain_case(case: Case) -> bool:
    classes = case[0].translate(ucd.CLASS_MAP)
    return uax9._EXPLICIT_RE.search(classes) is None and not set(classes) & set("bB")


def test_bidi_character_test_through_the_batch_resolver() -> None:
    """Every case the batch path can take, all of them resolved as two batches (one per
    paragraph level): the same levels and order as the file says."""
    plain = [case for case in cases() if _plain_case(case)]
    assert len(plain) > 40_000
    levels_of: dict[int, int] = {}
    groups: tuple[list[int], list[int]] = ([], [])
    for k, (text, direction, *_) in enumerate(plain):
        classes = text.translate(ucd.CLASS_MAP)
        if direction == 2:
            first = uax9._first_strong(classes, 0, len(classes))
            level = 0 if first is None else first
        else:
            level = direction
        levels_of[k] = level
        groups[level].append(k)
    resolved: dict[int, bytes] = {}
    for level, members in enumerate(groups):
        batch = [(plain[k][0], plain[k][0].translate(ucd.CLASS_MAP), True) for k in members]
        resolved.update(zip(members, uax9.resolve_plain(batch, level), strict=True))
    position = {id(case): k for k, case in enumerate(plain)}

    def through_batch(case: Case) -> object:
        def resolve(text: str, direction: int | None, fallback: int) -> tuple[list[int], int]:
            k = position[id(case)]
            return list(resolved[k]), levels_of[k]

        return check(case, resolve)

    failures = [f for case in plain if (f := through_batch(case)) is not None]
    assert_pass_rate([str(f) for f in failures], len(plain))
