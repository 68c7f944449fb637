"""The light stemmer: clitics and inflectional endings off folded Arabic words.

Words are compared in search form (:func:`reader.arabic.fold`), then stripped of
an optional conjunction, an article or preposition, and up to two endings.
A word that may or may not carry a clitic (وزير, بكين, باليستي) keeps every
reading (:func:`stem_candidates`); the suggestions match lexicon terms
(:func:`term_stems`) against any of them. Pure logic, no Textual here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.arabic import fold

__all__ = [
    "normalise_word",
    "prefix_cuts",
    "stem_candidates",
    "strip_suffixes",
    "term_stems",
    "tokens",
    "words",
]


#: Article forms with their proclitics, longest first (folded spelling).
_ARTICLES = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")
#: Plural, dual, nisba and pronoun endings (folded: ة is ه, ى is ي), longest first.
#: ة before a pronoun is written ت (أنشطتها): تها, ته… take it off with the pronoun,
#: but only from a longer word, so that the ت of a plural stays (قواتها → قوات).
_MIN_STEM = {False: 3, True: 4}
_SUFFIXES = (
    "تهما",
    "تين",
    "تان",
    "تهم",
    "تها",
    "تنا",
    "هما",
    "ته",
    "ات",
    "ون",
    "ين",
    "ان",
    "يه",
    "ها",
    "هم",
    "ه",
    "ي",
    "ا",
)
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
_WORD = re.compile(r"\w+")


def normalise_word(word: str) -> str:
    """Fold a word and strip its clitics and inflectional endings (a light stemmer).

    Prefixes: an optional conjunction و/ف, then an article form (ال بال كال لل…)
    or a bare preposition ب/ل/ك. Suffixes: up to two of the endings in
    ``_SUFFIXES`` (عسكريين → عسكري → عسكر). Each cut keeps at least three
    letters (two after an article), so short words (قوات, جيش) are never cut
    to nothing. Broken plurals are not guessed (صاروخ/صواريخ stay apart).

    This is the *greedy* reading: it takes every prefix it can, which is
    wrong for a word that merely starts with those letters (باليستي → يست).
    Matching against a lexicon uses :func:`stem_candidates` instead.
    Words that are not Arabic letters only (English, numbers) are just folded.
    """
    return stem_candidates(fold(word.strip())[0])[-1]


def strip_suffixes(w: str) -> str:
    """Up to two inflectional endings off an already folded, prefix-free word."""
    if not _ARABIC_WORD.fullmatch(w):
        return w
    for _ in range(2):
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= _MIN_STEM[suffix[0] == "ت"]:
                w = w[: -len(suffix)]
                break
        else:
            break
    return w


def prefix_cuts(w: str) -> tuple[int, ...]:
    """Where the clitic readings of an already folded word start, from no cut to the greediest.

    0 (the word as it is), after a conjunction و/ف, after an article form (ال بال
    وال لل…) or a bare preposition ب/ل/ك, each only when enough letters are left.
    """
    if not _ARABIC_WORD.fullmatch(w):
        return (0,)
    cuts = {0}
    for conj in (0, 1) if w[0] in "وف" and len(w) >= 4 else (0,):
        base = w[conj:]
        cuts.add(conj)
        for article in _ARTICLES:
            if base.startswith(article) and len(base) - len(article) >= 2:
                cuts.add(conj + len(article))
                break
        else:
            if base[0] in "بلك" and len(base) >= 4:
                cuts.add(conj + 1)
    return tuple(sorted(cuts))


@lru_cache(maxsize=1 << 16)
def stem_candidates(w: str) -> tuple[str, ...]:
    """Every reading of an already folded word, from no prefix cut to the greediest.

    A word starting with و, ب, ال… may or may not carry a clitic (وزير, بكين,
    باليستي): rather than guess, all readings are kept and a lexicon term
    matches when it equals any of them. Each reading has its endings stripped.
    Cached: a document repeats a small vocabulary.
    """
    out: list[str] = []
    for cut in prefix_cuts(w):
        stem = strip_suffixes(w[cut:])
        if stem in out:
            out.remove(stem)  # keep the greediest reading last
        out.append(stem)
    return tuple(out)


def term_stems(term: str) -> tuple[str, ...]:
    """A lexicon term as the stems its words must have, in order.

    Terms are citation forms, so only a leading article is taken off
    (الصين → صين), never a letter that may belong to the word (بكين).
    """
    stems: list[str] = []
    for match in _WORD.finditer(fold(term)[0]):
        word = match.group()
        if word.startswith("ال") and len(word) >= 4 and _ARABIC_WORD.fullmatch(word):
            word = word[2:]
        stems.append(strip_suffixes(word))
    return tuple(stems)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` as ``(start, end, folded word)``, offsets in ``text``."""
    folded, mapping = fold(text)
    size = len(folded)
    found = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(folded)]
    # Word starts, and the first folded index after each word (its end in the text is the
    # offset of that character): non-decreasing, so one walk over the map finds them all.
    starts = mapping.at_sorted([i for i, _, _ in found])
    ends = mapping.at_sorted([j for _, j, _ in found if j < size])
    ends.extend([len(text)] * (len(found) - len(ends)))
    return [
        (start, end, word) for start, end, (_, _, word) in zip(starts, ends, found, strict=True)
    ]


def words(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """The words of ``text`` as ``(start, end, readings)``: offsets in ``text``,
    readings as :func:`stem_candidates` gives them (the last is the greediest)."""
    return [(start, end, stem_candidates(word)) for start, end, word in tokens(text)]
