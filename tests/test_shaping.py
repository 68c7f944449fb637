"""Arabic shaping: joining forms from ArabicShaping.txt, harakat kept, lam-alef ligatures."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from layout_support import expected_forms, form_of, joining_types

from reader.layout.shaping import (
    _LAM_ALEF,
    ALEFS,
    FINAL,
    INITIAL,
    LAM,
    LIGATURES,
    MEDIAL,
    NOT_SHAPED,
    forms_of,
    joining_forms,
    shape,
)


def forms(text: str) -> list[str | None]:
    """The form name of each shaped code point (None where it is not a presentation form)."""
    out = []
    for glyph in shape(text).text:
        found = form_of(glyph)
        out.append(found[0] if found else None)
    return out


def test_a_word_takes_initial_medial_final_forms() -> None:
    assert shape("بسم").text == "ﺑﺴﻢ"
    assert forms("بسم") == ["initial", "medial", "final"]


def test_right_joining_letters_break_the_word_after_them() -> None:
    # د joins only to the letter before it: the ر after it starts again.
    assert forms("بدر") == ["initial", "final", "isolated"]
    assert forms("دار") == ["isolated", "isolated", "isolated"]


def test_isolated_letters_take_their_isolated_form() -> None:
    assert shape("ب").text == "ﺏ" and forms("ب ب") == ["isolated", None, "isolated"]


def test_harakat_are_kept_and_transparent() -> None:
    text = "كَتَبَ"
    shaped = shape(text).text
    assert len(shaped) == len(text)
    assert shaped[1::2] == text[1::2]  # the harakat themselves, untouched
    assert forms(text)[0::2] == ["initial", "medial", "final"]


def test_zwj_joins_and_zwnj_separates() -> None:
    assert forms("ب\u200d") == ["initial", None]  # ZWJ (joining type C) makes the beh join
    assert forms("ب\u200cب") == ["isolated", None, "isolated"]  # ZWNJ (U) stops joining
    assert forms("بـب") == ["initial", None, "final"]  # tatweel (C) joins both sides


def test_persian_word_with_zwnj() -> None:
    text = "می\u200cخواهم"  # "I want": the ZWNJ keeps می apart
    # خو joins, و is right-joining so ا stands alone, then هم joins.
    expected = ["initial", "final", None, "initial", "final", "isolated", "initial", "final"]
    assert forms(text) == expected


@pytest.mark.parametrize("alef", list(ALEFS))
def test_lam_alef_ligatures(alef: str) -> None:
    alone = shape("ل" + alef)
    assert alone.ligatures == ((0, 1),)
    assert form_of(alone.text[0]) == ("isolated", "ل" + alef)
    assert alone.text[1] == alef  # the alef keeps its offset; the ligature's cell covers it
    joined = shape("سل" + alef)
    assert form_of(joined.text[1]) == ("final", "ل" + alef)
    assert LIGATURES[alef] == (alone.text[0], joined.text[1])


def test_lam_alef_with_harakat_between() -> None:
    shaped = shape("لَا")
    assert shaped.ligatures == ((0, 2),)
    assert shaped.text[:2] == "ﻻ\u064e"


@given(st.text(alphabet="لاأإآبـ \u064e\u0651\u0670\u0654\u0300\u200c\u200d", max_size=40))
def test_the_lam_alef_pattern_is_lam_marks_alef(text: str) -> None:
    # The engine's pattern skips the class of marks after lam + letter; same matches.
    marks = "".join(chr(cp) for cp in range(0x300, 0x900) if unicodedata.combining(chr(cp)))
    plain = re.compile(f"{LAM}[{re.escape(marks)}]*[{ALEFS}]")
    assert [m.span() for m in _LAM_ALEF.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_no_ligature_across_a_zwnj_or_a_space() -> None:
    assert shape("ل\u200cا").ligatures == ()
    assert shape("ل ا").ligatures == ()


def test_shaped_text_keeps_the_length() -> None:
    text = "السَّلامُ عَلَيْكُم ورحمة الله"
    assert len(shape(text).text) == len(text)


def test_every_letter_with_forms_shapes_like_arabic_shaping_txt() -> None:
    """Each letter alone, and three in a row, against an independent reading of the file."""
    checked = 0
    for letter, jtype in joining_types().items():
        iso, fin, ini, med = forms_of(letter)
        if iso is None or jtype not in "RD":
            continue
        assert shape(letter).text == iso
        if jtype == "D" and fin and ini and med:
            assert shape(letter * 3).text == ini + med + fin, hex(ord(letter))
        elif jtype == "R" and fin:
            assert shape("ب" + letter).text[1] == fin
        checked += 1
    assert checked > 60  # the Arabic, Persian, Urdu… letters Unicode gives forms to


def test_joining_forms_agree_with_the_reference_on_real_text() -> None:
    text = "قال الرئيس: «نعمل معاً لبناء مستقبلٍ أفضل» في ٢٠٢٤ (Reuters)."
    expected = expected_forms(text)
    shaped = shape(text).text
    for offset, form in expected.items():
        glyph = shaped[offset]
        found = form_of(glyph)
        assert found is not None and found[0] == form, (offset, text[offset], glyph)
        assert unicodedata.normalize("NFKC", glyph) == text[offset] or text[offset] == "ل"


def test_joining_forms_bytes() -> None:
    # One byte per code point: the form of a shaped letter, NOT_SHAPED for anything else.
    assert joining_forms("بَب ءـ") == bytes([INITIAL, NOT_SHAPED, FINAL, NOT_SHAPED, NOT_SHAPED,
                                              NOT_SHAPED])  # fmt: skip
    assert joining_forms("ببب") == bytes([INITIAL, MEDIAL, FINAL])
    assert joining_forms("\u0710\u0712") == bytes([NOT_SHAPED, NOT_SHAPED])  # Syriac: no forms


def test_text_beyond_plane_3_takes_the_slow_path_with_the_same_result() -> None:
    plain = shape("بسم الله")
    far = shape("بسم الله\U000f0000")
    assert far.text == plain.text + "\U000f0000" and far.ligatures == plain.ligatures
    assert shape("ب\U00040628").text == "ﺏ\U00040628"  # a key-like code point stays itself
