"""Suggestions: sentences whose words match a theme's lexicon.

Every sentence of a document (as :func:`reader.corpus.split_sentences` cuts
it) is reduced to words, each with its possible readings
(:func:`reader.arabic.words`: folded, with and without the clitics it may
carry, endings stripped). Each lexicon term is reduced to stems
(:func:`reader.arabic.term_stems`); a term matches a word when its stem is one
of the word's readings, and a term of several words matches them in sequence. A sentence is
suggested for a theme when at least one of the theme's terms matches; its
score for the theme is the number of distinct terms that matched.

Pure core: no Textual, nothing written. The app and ``reader suggest`` both
call :func:`suggest_document`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.arabic import term_stems, words
from reader.corpus import Document, Span

__all__ = ["Lexicon", "Suggestion", "suggest_document", "suggest_text"]


@dataclass(frozen=True)
class Suggestion:
    """One suggested sentence: where it is, for which themes, and why."""

    doc: str
    """The document's ``rel``, as the store keys it."""
    start: int
    end: int
    themes: tuple[str, ...]
    """Themes in lexicon order."""
    score: float
    """Sum of the per-theme scores."""
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Theme → the lexicon terms (as written there) that matched, in first-match order."""
    scores: Mapping[str, float] = field(default_factory=dict)
    """Theme → distinct matched terms."""

    def to_json(self, quote: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "themes": list(self.themes),
            "score": self.score,
            "scores": dict(self.scores),
            "terms": {key: list(value) for key, value in self.terms.items()},
        }
        if quote is not None:
            out["quote"] = quote
        return out


class Lexicon:
    """Theme terms compiled for matching: each term as a tuple of normalised words."""

    def __init__(self, terms: Mapping[str, Iterable[str]]) -> None:
        self.themes: tuple[str, ...] = tuple(terms)
        # first stem → (theme index, term as written, stems, exclusion?); themes may share a stem.
        self._index: dict[str, list[tuple[int, str, tuple[str, ...], bool]]] = {}
        for rank, theme in enumerate(self.themes):
            seen: set[tuple[tuple[str, ...], bool]] = set()
            for term in terms[theme]:
                exclusion = term.startswith("-")
                stems = term_stems(term[1:] if exclusion else term)
                if not stems or (stems, exclusion) in seen:
                    continue
                seen.add((stems, exclusion))
                self._index.setdefault(stems[0], []).append((rank, term, stems, exclusion))

    def match(self, readings: Sequence[tuple[str, ...]]) -> dict[str, list[str]]:
        """Theme → terms found in a run of words (each word given as its readings).

        A term matches where each of its stems is one of the readings of the
        word at the same position; each term is reported once. A match lying
        wholly inside a match of one of the theme's exclusions is dropped.
        """
        hits: list[tuple[int, str, int, int]] = []  # (theme, term, first word, past last word)
        excluded: dict[int, list[tuple[int, int]]] = {}
        for i, first in enumerate(readings):
            for stem in first:
                for rank, term, stems, exclusion in self._index.get(stem, ()):
                    n = len(stems)
                    if i + n > len(readings):
                        continue
                    if all(stems[k] in readings[i + k] for k in range(1, n)):
                        if exclusion:
                            excluded.setdefault(rank, []).append((i, i + n))
                        else:
                            hits.append((rank, term, i, i + n))
        found: dict[int, list[str]] = {}
        for rank, term, lo, hi in hits:
            if any(a <= lo and hi <= b for a, b in excluded.get(rank, ())):
                continue
            terms = found.setdefault(rank, [])
            if term not in terms:
                terms.append(term)
        return {self.themes[rank]: found[rank] for rank in sorted(found)}


def suggest_text(
    text: str,
    sentences: Iterable[Span],
    lexicon: Lexicon,
    doc: str = "",
    themes: Iterable[str] | None = None,
) -> list[Suggestion]:
    """Suggestions for the given sentences of ``text``, in text order.

    Args:
        text: the whole document text (the words are found once, linearly).
        sentences: spans into ``text``, in order.
        lexicon: the compiled terms.
        doc: the document name put in each suggestion.
        themes: only these theme keys (default: all of the lexicon's).
    """
    wanted = set(lexicon.themes if themes is None else themes)
    tokens = words(text)
    starts = [start for start, _, _ in tokens]
    out: list[Suggestion] = []
    for span in sentences:
        lo = bisect.bisect_left(starts, span.start)
        hi = bisect.bisect_left(starts, span.end)
        matched = lexicon.match([readings for _, _, readings in tokens[lo:hi]])
        matched = {key: value for key, value in matched.items() if key in wanted}
        if not matched:
            continue
        scores = {key: float(len(value)) for key, value in matched.items()}
        out.append(
            Suggestion(
                doc=doc,
                start=span.start,
                end=span.end,
                themes=tuple(matched),
                score=sum(scores.values()),
                terms={key: tuple(value) for key, value in matched.items()},
                scores=scores,
            )
        )
    return out


def suggest_document(
    document: Document, lexicon: Lexicon, themes: Iterable[str] | None = None
) -> list[Suggestion]:
    """Suggested sentences of a document, in reading order."""
    return suggest_text(document.text, document.all_sentences(), lexicon, document.rel, themes)
