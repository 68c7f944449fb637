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
from typing import Any, Protocol

from reader.arabic import fold, prefix_cuts, stem_candidates, term_stems, tokens, unmarked
from reader.corpus import Document, Span
from reader.lemmas import Lemmatizer

__all__ = [
    "SILENT_PRIOR",
    "TERM_PRIOR",
    "THRESHOLD",
    "Evidence",
    "Lexicon",
    "Scorer",
    "Suggestion",
    "lexicon_probability",
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
    """The classifier's strongest character n-grams for this sentence."""


class Scorer(Protocol):
    """What :func:`suggest_text` needs of a learned model (:class:`reader.learn.Model`)."""

    def vector(self, text: str) -> Mapping[int, float]: ...

    def evidence(
        self, theme: str, text: str, terms: Sequence[str], vector: Mapping[int, float] | None
    ) -> Evidence: ...


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


#: A gap in a term: ``*`` stands for up to this many words (``توسع * عسكري``).
GAP_WORDS = 3

_Slot = frozenset[str] | int
"""One position of a compiled term: the keys a word there may have, or a gap (max words)."""


def _lemma_key(lemma: str) -> str:
    """A lemma as the key the matcher compares: folded, a leading article dropped."""
    key = fold(lemma)[0]
    if key.startswith("ال") and len(key) >= 4:
        key = key[2:]
    return "=" + key


class Lexicon:
    """Theme terms compiled for matching: each term as a sequence of slots.

    A word of the text is known by its *readings*: the stems of its clitic
    readings (:func:`reader.arabic.stem_candidates`), its surface forms after
    each clitic cut (``~`` keys, for exact terms) and, with ``lemmas``, the lemma
    of each clitic reading (``=`` keys). A term word matches a text word when
    they share a key:

    * every term word brings its stem;
    * a term word that is its own lemma (a citation form: سلاح, جندي, حظر) also
      brings its lemma, so it meets the forms the dictionary knows (أسلحة, جنود,
      حظرت). An inflected term (قوات) does not: its lemma (قوة, "power") would
      reach far beyond it;
    * a term written ``=form`` matches that surface form only (clitics allowed,
      no ending stripped): ``=مسيرات`` is drones, not مسيرته "his career";
    * ``*`` is a gap of up to :data:`GAP_WORDS` words (``نشر * قوات``).
    """

    def __init__(
        self, terms: Mapping[str, Iterable[str]], lemmas: Lemmatizer | None = None
    ) -> None:
        self.themes: tuple[str, ...] = tuple(terms)
        self.terms: dict[str, tuple[str, ...]] = {key: tuple(terms[key]) for key in self.themes}
        """Theme → its terms as given."""
        self.lemmas = lemmas
        """The lemmatizer in use, or None (the stemmer alone)."""
        self._readings: dict[str, frozenset[str]] = {}
        # first-slot key → (term order, theme index, term as written, slots, exclusion?).
        self._index: dict[str, list[tuple[int, int, str, tuple[_Slot, ...], bool]]] = {}
        for rank, theme in enumerate(self.themes):
            seen: set[tuple[tuple[_Slot, ...], bool]] = set()
            for term in terms[theme]:
                exclusion = term.startswith("-")
                slots = self._compile(term[1:] if exclusion else term)
                if not slots or (slots, exclusion) in seen:
                    continue
                seen.add((slots, exclusion))
                first = slots[0]
                assert not isinstance(first, int)
                entry = (len(seen), rank, term, slots, exclusion)
                for key in first:
                    self._index.setdefault(key, []).append(entry)

    def _compile(self, term: str) -> tuple[_Slot, ...]:
        exact = term.startswith("=")
        if exact:
            term = term[1:]
        slots: list[_Slot] = []
        for word in term.split():
            if word == "*":
                if slots and not isinstance(slots[-1], int):
                    slots.append(GAP_WORDS)
                continue
            stems = term_stems(word)
            if len(stems) != 1:  # punctuation only, or a word folding into several
                if not stems:
                    continue
                slots.extend(frozenset({stem}) for stem in stems)
                continue
            (stem,) = stems
            if exact:
                surface = fold(word)[0]
                if surface.startswith("ال") and len(surface) >= 4:
                    surface = surface[2:]
                slots.append(frozenset({"~" + surface}))
                continue
            keys = {stem}
            if self.lemmas is not None:
                lemma = _lemma_key(self.lemmas(unmarked(word)))
                if lemma == _lemma_key(word):  # a citation form: its lemma is itself
                    keys.add(lemma)
            slots.append(frozenset(keys))
        while slots and isinstance(slots[-1], int):
            slots.pop()
        return tuple(slots)

    def readings(self, word: str, written: str) -> frozenset[str]:
        """The keys of one word: ``word`` folded, ``written`` as in the text (cached)."""
        cache_key = written if self.lemmas is not None else word
        found = self._readings.get(cache_key)
        if found is None:
            keys = set(stem_candidates(word))
            cuts = prefix_cuts(word)
            keys.update("~" + word[cut:] for cut in cuts)
            if self.lemmas is not None:
                plain = unmarked(written)
                if len(plain) == len(word):  # else a presentation form expanded: no lemma
                    keys.update(_lemma_key(self.lemmas(plain[cut:])) for cut in cuts)
            found = frozenset(keys)
            if len(self._readings) < 1 << 17:
                self._readings[cache_key] = found
        return found

    def tokens(self, text: str) -> list[tuple[int, int, frozenset[str]]]:
        """The words of ``text`` as ``(start, end, readings)``."""
        return [
            (start, end, self.readings(word, text[start:end])) for start, end, word in tokens(text)
        ]

    def match(self, readings: Sequence[frozenset[str]]) -> dict[str, list[str]]:
        """Theme → terms found in a run of words (each word given as its readings).

        A term matches where each of its slots holds a key of the word at that
        position (a gap skipping up to :data:`GAP_WORDS` words); each term is
        reported once. A match lying wholly inside a match of one of the theme's
        exclusions is dropped.
        """
        # (term order, theme, term, first word, past last word)
        hits: list[tuple[int, int, str, int, int]] = []
        excluded: dict[int, list[tuple[int, int]]] = {}
        for i, first in enumerate(readings):
            for key in first:
                for order, rank, term, slots, exclusion in self._index.get(key, ()):
                    end = _match_rest(readings, i + 1, slots, 1)
                    if end is None:
                        continue
                    if exclusion:
                        excluded.setdefault(rank, []).append((i, end))
                    else:
                        hits.append((order, rank, term, i, end))
        found: dict[int, list[str]] = {}
        spans: set[tuple[int, int, int]] = set()
        for _order, rank, term, lo, hi in sorted(hits, key=lambda hit: (hit[3], hit[0])):
            if (rank, lo, hi) in spans:  # two spellings of one term on the same words
                continue
            if any(a <= lo and hi <= b for a, b in excluded.get(rank, ())):
                continue
            spans.add((rank, lo, hi))
            terms = found.setdefault(rank, [])
            if term not in terms:
                terms.append(term)
        return {self.themes[rank]: found[rank] for rank in sorted(found)}


def _match_rest(
    readings: Sequence[frozenset[str]], i: int, slots: tuple[_Slot, ...], k: int
) -> int | None:
    """Past-the-end word index of ``slots[k:]`` matched from word ``i``, or None."""
    while k < len(slots):
        slot = slots[k]
        if isinstance(slot, int):  # a gap: the shortest skip that lets the rest match
            for skip in range(slot + 1):
                end = _match_rest(readings, i + skip, slots, k + 1)
                if end is not None:
                    return end
            return None
        if i >= len(readings) or slot.isdisjoint(readings[i]):
            return None
        i += 1
        k += 1
    return i


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
    found_words = lexicon.tokens(text)
    starts = [start for start, _, _ in found_words]
    out: list[Suggestion] = []
    for span in sentences:
        lo = bisect.bisect_left(starts, span.start)
        hi = bisect.bisect_left(starts, span.end)
        matched = lexicon.match([readings for _, _, readings in found_words[lo:hi]])
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
    """Suggested sentences of a document, in reading order."""
    return suggest_text(
        document.text, document.all_sentences(), lexicon, document.rel, themes, model
    )
