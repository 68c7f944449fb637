"""How much of what OCR read off a screen is words of the document: the on-screen test's measure.

A *word* is a maximal run of Arabic letters after normalising, of at least
:data:`MIN_LETTERS` letters. Both sides — the document and the OCR output — are
normalised the same way:

1. NFKC: presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF, what the app draws) become
   the base letters they stand for; the lam-alef ligatures become lam + alef.
2. Harakat (U+064B–U+065F, U+0670) and tatweel (U+0640) are removed: OCR drops or
   invents them, and they are not part of a word's spelling.
3. Letters OCR confuses with each other, or that writers spell either way, are folded:
   hamza on or under alef and madda (أ إ آ ٱ) to bare alef ا, alef maqsura ى to ya ي,
   ta marbuta ة to ha ه.

The **score** of an OCR text is the share of its words (counted with repetition) that are
words of the document. A screen drawn right reads 0.6–0.9 (OCR misreads some words);
the same screen with each word's letters reversed reads close to 0, because reversed
Arabic words of two letters or more are almost never words of the same text
(``reversed_score`` measures exactly that on the document itself).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Words shorter than this are not counted: one-letter "words" (و, ب) are read in any order.
MIN_LETTERS = 2

_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
#: Arabic letters after NFKC: the Arabic block's letters (hamza to ya, and the extended ones).
_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")


def normalise(text: str) -> str:
    """``text`` with presentation forms decomposed, harakat and tatweel removed, letters folded."""
    return _HARAKAT.sub("", unicodedata.normalize("NFKC", text)).translate(_FOLD)


def words(text: str) -> list[str]:
    """The words of ``text`` (normalised), in order, with repetition."""
    return [w for w in _WORD.findall(normalise(text)) if len(w) >= MIN_LETTERS]


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word of the given texts."""
    return frozenset(w for text in texts for w in words(text))


def score(ocr_text: str, vocab: frozenset[str]) -> tuple[float, int]:
    """(share of the OCR'd words that are in ``vocab``, number of OCR'd words).

    A text with no Arabic word at all scores 0.0: a blank or garbled screen fails.
    """
    read = words(ocr_text)
    if not read:
        return 0.0, 0
    return sum(w in vocab for w in read) / len(read), len(read)


def reversed_score(text: str) -> float:
    """The score a screen would get if every word of ``text`` were drawn letters reversed.

    It says how well the measure tells a right screen from a reversed one for this text.
    """
    vocab = vocabulary([text])
    reversed_text = " ".join(w[::-1] for w in words(text))
    return score(reversed_text, vocab)[0]
