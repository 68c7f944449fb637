"""The tokenizer of the CoNLL export: Arabic-aware, offset-exact, no dictionary.

Rules, in order (the first that matches at a position wins):

1. **Words and numbers**: letters and digits of any script (Arabic-Indic
   ``٠-٩`` too), with the marks that belong to them — Arabic harakat, shadda,
   sukun, superscript alef and Quranic marks (U+0610–U+061A, U+064B–U+065F,
   U+0670, U+06D6–U+06ED), any other combining mark (U+0300–U+036F), tatweel
   (U+0640), ZWNJ and ZWJ — joined across an apostrophe (``China's``) and
   across ``. , ٫ ٬`` between two digits (``1,000.5``, ``١٬٠٠٠٫٥``).
   Clitics (``و``, ``ب``, ``ل``, ``ال``) are *not* split off: that needs a
   morphological analyser, and a wrong split would put a passage boundary
   inside a token; ``والصين`` is one token.
2. **Anything else** that is not white space is a token of one code point:
   Arabic and Latin punctuation (``، ؛ ؟ ۔ « » . , ( )``), symbols, controls.

White space (including U+00A0 and the line and paragraph separators) separates
tokens and is never part of one. Offsets are code points of the document's
text, like every offset in the program: ``text[start:end] == token``.
"""

from __future__ import annotations

import re

_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_WORD = rf"[\w{_MARKS}]+"
TOKEN = re.compile(
    rf"{_WORD}(?:['\u2019]{_WORD}|(?<=\d)[.,\u066b\u066c](?=\d){_WORD})*"
    r"|\S"
)


def tokenize(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every token of ``text``, in order."""
    return [m.span() for m in TOKEN.finditer(text)]
