"""Arabic lemmas from the ``simplemma`` wheel's dictionary, loaded on first use.

The light stemmer (:mod:`reader.arabic`) strips clitics and regular endings but
cannot know that أسلحة is the plural of سلاح, جنود of جندي or كتائب of كتيبة, nor
that حظرت and يحظر are forms of حظر. ``simplemma`` ships a form → lemma
dictionary (~300,000 Arabic forms, from Wiktionary) that does; :mod:`reader.suggest`
uses it *beside* the stemmer, never instead of it.

Nothing here imports ``simplemma`` at import time: the dictionary costs 0.3–0.8 s
and ~35 MB to load, and the app's start-up must not pay for it (a test checks).
:func:`load` does the work, once per process, under a lock so that two workers
asking at once load it once; the app calls it from the suggestion worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

__all__ = ["Lemmatizer", "load", "loaded"]

Lemmatizer = Callable[[str], str]
"""An Arabic word (as written, marks allowed) → its lemma as written, or the word itself."""

_LOCK = threading.Lock()
_LEMMATIZER: Lemmatizer | None = None


def load() -> Lemmatizer:
    """The Arabic lemmatizer, loading simplemma's dictionary the first time (thread-safe).

    Raises:
        ImportError: simplemma is not installed (it is a runtime dependency).
    """
    global _LEMMATIZER
    with _LOCK:
        if _LEMMATIZER is None:
            import simplemma

            lemmatize = simplemma.lemmatize
            lemmatize("سلاح", lang="ar")  # loads the dictionary now, not on the first real word

            @lru_cache(maxsize=1 << 17)
            def lemma(word: str) -> str:
                try:
                    return lemmatize(word, lang="ar")
                except (ValueError, TypeError):  # a token simplemma refuses: no lemma
                    return word

            _LEMMATIZER = lemma
        return _LEMMATIZER


def loaded() -> Lemmatizer | None:
    """The lemmatizer if some caller has already loaded it, else None (never loads)."""
    return _LEMMATIZER
