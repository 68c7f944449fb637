"""Suggestions: sentences whose words match a theme's lexicon.

Every sentence of a document (as :func:`reader.corpus.split_sentences` cuts
it) is matched against the lexicon (:mod:`reader.suggest_match`: stems, lemmas,
gaps, exact forms), then the matches are resolved in context — a context term
fires only where its theme is established by the sentence or the two before it.
A sentence is suggested for a theme when at least one of the theme's terms fires
(or, with a learned model, when the model's blend says so); its score for the
theme is a noisy-or of the terms that fired.

Pure core: no Textual, nothing written. The app and ``reader suggest`` both
call :func:`suggest_document`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from reader.boilerplate import content_sentences
from reader.corpus import Document, Span
from reader.suggest_match import Lexicon, resolve

__all__ = [
    "SILENT_PRIOR",
    "TERM_PRIOR",
    "THRESHOLD",
    "Evidence",
    "Lexicon",
    "Scorer",
    "Suggestion",
    "lexicon_probability",
    "lexicon_signals",
    "suggest_document",
    "suggest_text",
]


#: A lexicon term is trusted this much until the analyst's decisions say otherwise.
TERM_PRIOR = 0.85
#: The chance that a sentence no term of a theme fires on belongs to it anyway.
SILENT_PRIOR = 0.05
#: A theme is suggested when its probability reaches this.
THRESHOLD = 0.5


@dataclass(frozen=True)
class Evidence:
    """Why a sentence is (or is not) suggested for a theme."""

    probability: float
    """The blended probability: the suggestion's score for the theme."""
    lexicon: float
    """The lexicon's part: how far the terms that fired are trusted."""
    model: float | None = None
    """The classifier's probability, when the theme has one."""
    features: tuple[str, ...] = ()
    """The classifier's strongest tokens for this sentence: character n-grams, words, word pairs."""


class Scorer(Protocol):
    """What :func:`suggest_text` needs of a learned model (:class:`reader.learn.Model`)."""

    def vector(self, text: str) -> Mapping[int, float]: ...

    def evidence(
        self,
        theme: str,
        text: str,
        terms: Sequence[str],
        vector: Mapping[int, float] | None,
    ) -> Evidence: ...


def lexicon_signals(
    text: str, spans: Sequence[Span], lexicon: Lexicon
) -> list[dict[str, list[str]]]:
    """Per sentence (``spans``, in order): the terms that fire in context."""
    found_words = lexicon.tokens(text)
    starts = [start for start, _, _ in found_words]
    found = []
    for span in spans:
        lo = bisect.bisect_left(starts, span.start)
        hi = bisect.bisect_left(starts, span.end)
        found.append(lexicon.find([readings for _, _, readings in found_words[lo:hi]]))
    return resolve(lexicon, found)


def lexicon_probability(terms: Sequence[str]) -> float:
    """The lexicon alone: each term that fired is right with :data:`TERM_PRIOR` (noisy-or)."""
    return 1.0 - (1.0 - TERM_PRIOR) ** len(terms) if terms else SILENT_PRIOR


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
    """The highest probability of its themes."""
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Theme → the lexicon terms (as written there) that matched, in first-match order."""
    scores: Mapping[str, float] = field(default_factory=dict)
    """Theme → probability (lexicon and, when learned, classifier)."""
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
    """Theme → the parts of its probability."""

    @property
    def uncertainty(self) -> float:
        """How close its least certain theme is to the threshold: 0 = a coin toss."""
        return min((abs(self.scores.get(t, 1.0) - THRESHOLD) for t in self.themes), default=0.5)

    def to_json(self, quote: str | None = None, *, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "themes": list(self.themes),
            "score": round(self.score, 4),
            "scores": {key: round(value, 4) for key, value in self.scores.items()},
            "terms": {key: list(value) for key, value in self.terms.items()},
        }
        if explain:
            out["explain"] = {
                key: {
                    "lexicon": round(ev.lexicon, 4),
                    "model": None if ev.model is None else round(ev.model, 4),
                    "features": list(ev.features),
                }
                for key, ev in self.evidence.items()
            }
        if quote is not None:
            out["quote"] = quote
        return out


def suggest_text(
    text: str,
    sentences: Iterable[Span],
    lexicon: Lexicon,
    doc: str = "",
    themes: Iterable[str] | None = None,
    model: Scorer | None = None,
) -> list[Suggestion]:
    """Suggestions for the given sentences of ``text``, in text order.

    Args:
        text: the whole document text (the words are found once, linearly).
        sentences: spans into ``text``, in order.
        lexicon: the compiled terms.
        doc: the document name put in each suggestion.
        themes: only these theme keys (default: all of the lexicon's).
        model: what was learned from the analyst (:mod:`reader.learn`); without it a
            sentence is suggested for a theme when one of its terms fires.
    """
    wanted = [key for key in lexicon.themes if themes is None or key in set(themes)]
    spans = list(sentences)
    fired = lexicon_signals(text, spans, lexicon)
    out: list[Suggestion] = []
    for span, matched in zip(spans, fired, strict=True):
        evidence: dict[str, Evidence] = {}
        if model is None:
            for key in wanted:
                if key in matched:
                    p = lexicon_probability(matched[key])
                    evidence[key] = Evidence(p, p)
        else:
            sentence = text[span.start : span.end]
            vector = model.vector(sentence)
            for key in wanted:
                evidence[key] = model.evidence(key, sentence, matched.get(key, ()), vector)
        chosen = tuple(
            key for key in wanted if key in evidence and evidence[key].probability >= THRESHOLD
        )
        if not chosen:
            continue
        scores = {key: evidence[key].probability for key in chosen}
        out.append(
            Suggestion(
                doc=doc,
                start=span.start,
                end=span.end,
                themes=chosen,
                score=max(scores.values()),
                terms={key: tuple(matched.get(key, ())) for key in chosen},
                scores=scores,
                evidence={key: evidence[key] for key in chosen},
            )
        )
    return out


def suggest_document(
    document: Document,
    lexicon: Lexicon,
    themes: Iterable[str] | None = None,
    model: Scorer | None = None,
) -> list[Suggestion]:
    """Suggested sentences of a document, in reading order; scraper boilerplate left out."""
    return suggest_text(
        document.text, content_sentences(document), lexicon, document.rel, themes, model
    )
