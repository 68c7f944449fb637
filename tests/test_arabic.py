"""reader.arabic and reader.stemmer: folding with offset maps, folded search, the light stemmer.

Words come from the seeds (tests read them from seeds/), so the cases are the
spellings the analyst actually meets.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.arabic import find_all, fold
from reader.corpus import read_document
from reader.stemmer import normalise_word, stem_candidates, term_stems

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return read_document(path).text


# --- fold -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أإآٱا", "ااااا"),  # alef forms
        ("على مستوى", "علي مستوي"),  # ى → ي
        ("الشمالية", "الشماليه"),  # ة → ه
        ("صَارُوخٌ", "صاروخ"),  # harakat dropped
        ("صـــاروخ", "صاروخ"),  # tatweel dropped
        ("کوریا الشمالیة", "كوريا الشماليه"),  # Persian kaf and yeh (seed 001 has them)
        ("عام ٢٠٢٤ و۲۰۱۹", "عام 2024 و2019"),  # Arabic-Indic and Persian digits
        ("ﻻ ﺑﻜﻴﻦ", "لا بكين"),  # presentation forms
        ("Related NODES", "related nodes"),
        ("بيونغ\u00a0يانغ", "بيونج يانج"),  # NBSP is a space; غ → ج (loose)
        ("نقل\u200cتكنولوجيا\u200f", "نقلتكنولوجيا"),  # ZWNJ and RLM dropped
        ("ڤلاديمير پوتين گاز", "فلاديمير بوتين جاز"),  # v, p, g transliterations
    ],
)
def test_fold_examples(raw: str, folded: str) -> None:
    assert fold(raw)[0] == folded


def test_strict_fold_keeps_transliteration_letters() -> None:
    assert fold("بيونغ يانغ ڤ پ", loose=False)[0] == "بيونغ يانغ ڤ پ"
    assert fold("أحمد", loose=False)[0] == "احمد"


def test_fold_map_points_back_through_dropped_and_expanded_characters() -> None:
    text = "بُـدّ ﻻ"
    folded, mapping = fold(text)
    assert folded == "بد لا"
    assert list(mapping) == [0, 3, 5, 6, 6]
    assert mapping[-1] == 6 and mapping[1:3] == [3, 5]
    with pytest.raises(IndexError):
        mapping[len(folded)]


def _naive_fold(text: str, loose: bool = True) -> tuple[str, list[int]]:
    """Reference: fold one character at a time (slow and obviously right)."""
    out: list[str] = []
    offsets: list[int] = []
    for pos, ch in enumerate(text):
        piece = fold(ch, loose=loose)[0]
        out.append(piece)
        offsets.extend([pos] * len(piece))
    return "".join(out), offsets


ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةؤئ")
    + list("ًٌٍَُِّْٰ")  # harakat
    + ["ـ", "\u200c", "\u200d", "\u200f", "\u00a0", " ", "\n", "،", ".", "0", "٣"]
    + list("کیگڤپچژ")
    + ["ﻻ", "ﺑ", "ﻷ", "ﷲ", "ﹰ"]  # presentation forms: 1→2, 1→1, 1→2, 1→4, 1→0
    + list("AbZİΣß")
)
TEXTS = st.text(ALPHABET, max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.booleans())
def test_fold_agrees_with_a_character_by_character_reference(text: str, loose: bool) -> None:
    folded, mapping = fold(text, loose=loose)
    ref_folded, ref_map = _naive_fold(text, loose)
    assert folded == ref_folded
    assert list(mapping) == ref_map
    assert [mapping[i] for i in range(len(folded))] == ref_map


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_fold_map_is_monotonic_and_points_at_real_characters(text: str) -> None:
    folded, mapping = fold(text)
    assert len(mapping) == len(folded)
    offsets = list(mapping)
    assert offsets == sorted(offsets)
    for i, offset in enumerate(offsets):
        assert 0 <= offset < len(text)
        assert folded[i] in fold(text[offset])[0]


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)[0]
    assert fold(once)[0] == once


# --- find_all -------------------------------------------------------------------


def test_pyongyang_spellings_find_each_other_in_the_seeds() -> None:
    # Seed 000 writes بيونغ يانغ, seed 004 بيونج يانج; either query finds both.
    for prefix, written in (("000", "بيونغ يانغ"), ("004", "بيونج يانج")):
        text = seed(prefix)
        expected = [m.start() for m in re.finditer(written, text)]
        assert expected
        for query in ("بيونغ يانغ", "بيونج يانج"):
            spans = find_all(text, query)
            assert [s.start for s in spans] == expected
            assert {text[s.start : s.end] for s in spans} == {written}


def test_search_folds_alef_and_ta_marbuta_in_a_seed() -> None:
    text = seed("000")
    hits = find_all(text, "الاسلحه")  # typed without hamza and with ه
    assert hits
    assert {text[s.start : s.end] for s in hits} == {"الأسلحة"}


def test_search_finds_persian_spelling_of_korea() -> None:
    text = seed("001")
    quotes = {text[s.start : s.end] for s in find_all(text, "كوريا الشمالية")}
    assert quotes == {"كوريا الشمالية", "کوریا الشمالیة"}


def test_hit_takes_in_the_marks_on_its_last_letter() -> None:
    text = "أطلق صاروخٌ جديدٌ"
    (span,) = find_all(text, "صاروخ")
    assert text[span.start : span.end] == "صاروخٌ"


def test_hits_never_split_a_presentation_form() -> None:
    assert find_all("ﻻ بد", "لا") == [find_all("ﻻ بد", "ﻻ")[0]]
    assert find_all("ﻻ بد", "ا") == []


def test_query_spaces_match_runs_of_spaces_but_not_newlines() -> None:
    assert len(find_all("بيونغ  يانغ", "بيونغ يانغ")) == 1
    assert find_all("بيونغ\nيانغ", "بيونغ يانغ") == []


@pytest.mark.parametrize("query", ["", "   ", "\u064e"])
def test_empty_query_finds_nothing(query: str) -> None:
    assert find_all("نص", query) == []


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(0, 60), st.integers(1, 6))
def test_find_all_spans_fold_to_the_query(text: str, at: int, size: int) -> None:
    query = text[at : at + size]
    want = " ".join(fold(query)[0].split())
    spans = find_all(text, query)
    for span in spans:
        assert " ".join(fold(text[span.start : span.end])[0].split()) == want
        assert not unicodedata.category(text[span.end : span.end + 1] or "x").startswith("Mn")
    assert [s.start for s in spans] == sorted(s.start for s in spans)


# --- stemmer --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("والصواريخ", "صواريخ"),
        ("العقوبات", "عقوبات"),
        ("بالعقوبات", "عقوبات"),
        ("للعقوبات", "عقوبة"),
        ("والأسلحة", "أسلحة"),
        ("للأسلحة", "أسلحة"),
        ("جندياً", "جندي"),
        ("الجنود", "جنود"),
        ("قواتها", "قوات"),
        ("الصينية", "الصين"),
        ("صاروخه", "صاروخ"),
        ("صاروخاً", "صاروخ"),
        ("أنشطتها", "أنشطة"),
        ("بيونج", "بيونغ"),
    ],
)
def test_normalise_word_on_seed_words(word: str, base: str) -> None:
    assert normalise_word(word) == normalise_word(base)


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("صاروخ", "صواريخ"),  # broken plurals are not guessed
        ("قوات", "قوى"),  # forces / powers
        ("جيش", "جنود"),
    ],
)
def test_normalise_word_keeps_different_words_apart(word: str, other: str) -> None:
    assert normalise_word(word) != normalise_word(other)


def test_readings_keep_letters_that_only_look_like_clitics() -> None:
    # باليستي starts like بال+… and ليست like ل+…: the lexicon term must match
    # the first and not the second.
    (ballistic,) = term_stems("باليستي")
    assert ballistic in stem_candidates(fold("الباليستية")[0])
    assert ballistic not in stem_candidates(fold("وليست")[0])
    (beijing,) = term_stems("بكين")
    assert beijing in stem_candidates(fold("وبكين")[0])


def test_term_stems_of_a_phrase_and_of_english() -> None:
    assert term_stems("رأس حربي") == (normalise_word("رأس"), normalise_word("حربي"))
    assert term_stems("Xi Jinping") == ("xi", "jinping")
    assert normalise_word("Sanctions") == "sanctions"


# --- real text beside the seeds: the UDHR in Arabic, Persian and Urdu -----------

UDHR = Path(__file__).resolve().parent / "data" / "udhr"


@pytest.mark.parametrize("name", ["udhr_arb.txt", "udhr_pes_1.txt", "udhr_urd.txt"])
def test_fold_agrees_with_the_reference_on_the_udhr(name: str) -> None:
    text = read_document(UDHR / name).text
    folded, mapping = fold(text)
    ref_folded, ref_map = _naive_fold(text)
    assert folded == ref_folded
    assert list(mapping) == ref_map


def test_arabic_keyboard_query_finds_persian_spelling_with_its_marks() -> None:
    text = read_document(UDHR / "udhr_pes_1.txt").text
    # کلیهٔ: Persian kaf and yeh, then heh with a combining hamza above.
    quotes = [text[s.start : s.end] for s in find_all(text, "كليه")]
    assert "کلیهٔ" in quotes
    # وحشیانه‌ای carries a ZWNJ: typed without it, it is still found, ZWNJ included.
    (span,) = find_all(text, "وحشيانهاي")
    assert text[span.start : span.end] == "وحشیانه\u200cای"


def test_search_ignores_hamza_on_alef_in_the_arabic_udhr() -> None:
    text = read_document(UDHR / "udhr_arb.txt").text
    spans = find_all(text, "الانسان")
    written = re.findall("ال[اأإآ]ن[\u064b-\u0652]*س[\u064b-\u0652]*ا[\u064b-\u0652]*ن", text)
    assert len(spans) == len(written) > 5
    assert {text[s.start : s.end] for s in spans} >= {"الإنسان"}


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.lists(st.integers(0, 200), max_size=20))
def test_at_sorted_equals_indexing(text: str, raw: list[int]) -> None:
    mapping = fold(text)[1]
    indices = sorted(i for i in raw if i < len(mapping))
    assert mapping.at_sorted(indices) == [mapping[i] for i in indices]
