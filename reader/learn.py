"""Learning from the analyst: the lexicon's terms re-weighed, and a text classifier beside it.

Training data (:func:`reader.learn_store.examples_from_store`) — the store's
decisions, nothing else:

* **positives**: every tagged passage (an annotation's quote) for its themes;
* **negatives**: the *reviewed* sentences left untagged, and every rejected
  suggestion for the themes it was suggested for.

A document is *reviewed* from its start to the end of the furthest annotation
the store has for its current text (a tag made with the digits or by accepting a
suggestion). Inside that extent the analyst has read every sentence, so each
one is labelled for every theme: a tagged passage is a negative for the themes
it does not carry, and a sentence with no annotation over it is a negative for
all. Sentences past the extent are not used (the analyst has said nothing about
them yet). A rejection is a negative for its own sentence and themes only: in
suggestion mode ``>`` jumps over sentences nobody has read, and a rejection
does not mean they were. A document whose text changed since it was tagged
gives its annotations as positives only.

Per theme that has examples, two things are learned (:func:`train`), kept apart on
purpose:

* **the terms' trust.** Each term starts trusted with
  :data:`reader.suggest.TERM_PRIOR`, worth :data:`TRUST_PRIOR` decisions; every
  example it fired on (read in its document, context terms as when suggesting) is one
  more: ``trust = (TERM_PRIOR · TRUST_PRIOR + right) / (TRUST_PRIOR + fired)``. The
  lexicon's part of a sentence is the noisy-or of its terms' trust (a silent sentence
  keeps :data:`reader.suggest.SILENT_PRIOR`). One rejection takes a one-term sentence
  from 0.85 to 0.68; four make the term stop suggesting alone.
* **a text classifier that never sees the lexicon**: logistic regression
  (scikit-learn, C = :data:`C`, classes weighted to balance) on TF-IDF of character
  n-grams (2–5 inside word boundaries, ``char_wb``) and of the folded words and word
  pairs. Trained only with :data:`MIN_EXAMPLES` positives and as many negatives.

**The blend** is fixed, not fitted: the two are independent pieces of evidence, so
their log-odds add (a naive-Bayes combination)::

    logit(p) = logit(lexicon) + w · (logit(classifier) − logit(BASE_RATE))

with ``w`` = :data:`TEXT_WEIGHT` · n / (n + :data:`TEXT_HALF`) for n examples of the
theme (a few decisions barely move it). A sentence is suggested at p ≥ 0.5. With the
shipped constants and many examples a one-term hit is vetoed only when the classifier
gives it less than about 0.03 (two terms: 0.005), and a silent sentence is added above
about 0.56.

Why not fit the blend (or the lexicon's weight) on the store: on documents the lexicon
was tuned on it makes almost no errors, so any fitted gate learns "never override" and
adds nothing on new text (issue 16, round 4). The classifier never sees the lexicon's
verdict, so it cannot learn to copy it; the two constants were chosen once on
leave-one-document-out folds where the lexicon had never seen the test documents
(docs/SUGGEST.md, *Learning*).

The model is derived data: :func:`reader.learn_store.save` writes it as JSON
(vocabulary, idf, coefficients, term trust) in ``<store>/.suggest-model.json``
with a fingerprint of the examples and terms it was trained on;
:func:`reader.learn_store.load` ignores a file that is damaged, foreign or stale
(nothing is ever unpickled). Prediction is pure Python, so a model that is still
current costs no scikit-learn import; only :func:`train` imports it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from reader.arabic import fold
from reader.boilerplate import content_sentences
from reader.corpus import Document
from reader.suggest import (
    SILENT_PRIOR,
    TERM_PRIOR,
    Evidence,
    Lexicon,
    lexicon_probability,
    lexicon_signals,
)

__all__ = [
    "MODEL_FILE",
    "Classifier",
    "Example",
    "Model",
    "fingerprint",
    "ngrams",
    "train",
]

MODEL_FILE = ".suggest-model.json"
MODEL_FORMAT = "reader-suggest-model"
MODEL_VERSION = 3
#: How many decisions a term's prior trust (TERM_PRIOR) is worth.
TRUST_PRIOR = 4.0
#: The classifier's log-odds weigh this much beside the lexicon's (with many examples),
TEXT_WEIGHT = 1.25
#: measured from this base rate: a classifier saying BASE_RATE leaves the lexicon as it is.
BASE_RATE = 0.10
#: The classifier reaches half its weight at this many examples of a theme.
TEXT_HALF = 50.0
#: A theme's classifier is trained with at least this many positives and negatives.
MIN_EXAMPLES = 8
#: Inverse strength of the L2 penalty of the logistic regression.
C = 10.0
#: Character n-grams: sizes; the vocabulary keeps tokens seen in at least MIN_DF examples,
#: at most MAX_FEATURES of them (most frequent first).
NGRAMS = (2, 5)
MIN_DF = 2
MAX_FEATURES = 100_000
#: Marks a word feature (a folded word, or two): never inside a word, as it is whitespace.
WORD = "\x1f"
SETTINGS = (NGRAMS, MIN_DF, MAX_FEATURES, C, TRUST_PRIOR, TEXT_WEIGHT, BASE_RATE, TEXT_HALF)


@dataclass(frozen=True)
class Example:
    """A passage and what the analyst said about it, theme by theme."""

    text: str
    labels: Mapping[str, bool]
    """Theme → positive (True) or negative (False); a theme absent here is unknown."""
    doc: str = field(default="", compare=False)
    """Where it was read: the document's ``rel`` ("" when unknown), and its span."""
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


def fingerprint(
    examples: Sequence[Example],
    lexicon: Lexicon,
    documents: Mapping[str, Document] | None = None,
) -> str:
    """A digest of the examples, the terms, the settings and the texts they were read in."""
    digest = hashlib.sha256(f"{MODEL_FORMAT}/{MODEL_VERSION}/{SETTINGS}".encode())
    digest.update(json.dumps(lexicon.terms, ensure_ascii=False, sort_keys=True).encode())
    rows = sorted((e.text, sorted(e.labels.items()), e.doc, e.start, e.end) for e in examples)
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False).encode())
    for rel in sorted({e.doc for e in examples if documents and e.doc in documents}):
        digest.update(f"{rel}:{documents[rel].sha256}".encode() if documents else b"")
    return digest.hexdigest()


def ngrams(text: str) -> list[str]:
    """The classifier's tokens: character n-grams of the folded text inside word boundaries
    (sklearn's ``char_wb``), then each folded word and each pair of neighbouring words,
    marked with :data:`WORD` (n-grams share Arabic morphology, words and pairs say more)."""
    low, high = NGRAMS
    out: list[str] = []
    words = fold(text)[0].split()
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:
                out.append(padded)  # the whole padded word, once, as char_wb does
                continue
            out.extend(padded[i : i + n] for i in range(size - n + 1))
    out.extend(WORD + word for word in words)
    out.extend(f"{WORD}{a} {b}" for a, b in pairwise(words))
    return out


@dataclass
class Classifier:
    """One theme: the terms' trust, and the text classifier (when there was enough to train)."""

    coef: list[float]
    """Per token of the model's vocabulary; empty when no text classifier was trained."""
    intercept: float
    weight: float
    """How much the classifier's log-odds count beside the lexicon's (0: not at all)."""
    trust: dict[str, float]
    """Trust of each term (as written in the lexicon) that fired in some example."""
    positives: int
    negatives: int


@dataclass
class Model:
    """What was learned from the store's examples for one lexicon."""

    themes: tuple[str, ...]
    fingerprint: str = ""
    grams: list[str] = field(default_factory=list)
    """The token vocabulary; a token's index is its column in ``idf`` and the coefficients."""
    idf: list[float] = field(default_factory=list)
    classifiers: dict[str, Classifier] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vocabulary = {gram: index for index, gram in enumerate(self.grams)}

    def vector(self, text: str) -> dict[int, float]:
        """TF-IDF of ``text`` over the vocabulary: sublinear tf, l2-normalised (as trained)."""
        if not self.grams:
            return {}  # no text classifier: the tokens would not be looked at
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for gram in ngrams(text):
            index = vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        weights = {i: (1.0 + math.log(c)) * self.idf[i] for i, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {i: w / norm for i, w in weights.items()} if norm else {}

    def evidence(
        self,
        theme: str,
        text: str,
        terms: Sequence[str],
        vector: Mapping[int, float] | None = None,
    ) -> Evidence:
        """The probability that ``text`` belongs to ``theme``, and why."""
        clf = self.classifiers.get(theme)
        if clf is None:
            prior = lexicon_probability(terms)
            return Evidence(prior, prior)
        lexicon = _noisy_or([clf.trust.get(t, TERM_PRIOR) for t in terms])
        if not clf.coef:
            return Evidence(lexicon, lexicon)
        x = self.vector(text) if vector is None else vector
        contributions = sorted(((w * clf.coef[i], i) for i, w in x.items()), reverse=True)
        text_logit = clf.intercept + sum(c for c, _ in contributions)
        score = _logit(lexicon) + clf.weight * (text_logit - _logit(BASE_RATE))
        strongest = [self.grams[i] for c, i in contributions[:8] if c > 0]
        return Evidence(_sigmoid(score), lexicon, _sigmoid(text_logit), _readable(strongest))


def _noisy_or(trust: Sequence[float]) -> float:
    """The lexicon's part: each term that fired is right with its trust; none: SILENT_PRIOR."""
    if not trust:
        return SILENT_PRIOR
    miss = 1.0
    for t in trust:
        miss *= 1.0 - t
    return 1.0 - miss


def _readable(grams: list[str]) -> tuple[str, ...]:
    """The strongest tokens, trimmed, without those inside a stronger one (at most three)."""
    out: list[str] = []
    for gram in grams:
        gram = gram.replace(WORD, "").strip()
        if gram and not any(gram in kept for kept in out):
            out.append(gram)
    return tuple(out[:3])


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def read_in_place(
    examples: Sequence[Example], lexicon: Lexicon, documents: Mapping[str, Document] | None
) -> list[Mapping[str, Sequence[str]]]:
    """Each example's terms (theme → the terms that fire), read in its document when it is
    one of its sentences (as :func:`reader.suggest.suggest_document` cuts them: context
    terms fire as they do when suggesting), else alone."""
    by_doc: dict[str, dict[tuple[int, int], Mapping[str, Sequence[str]]]] = {}
    out: list[Mapping[str, Sequence[str]]] = []
    for e in examples:
        document = documents.get(e.doc) if documents and e.doc else None
        found: Mapping[str, Sequence[str]] | None = None
        if document is not None:
            if e.doc not in by_doc:
                spans = list(content_sentences(document))
                fired = lexicon_signals(document.text, spans, lexicon)
                by_doc[e.doc] = {(sp.start, sp.end): f for sp, f in zip(spans, fired, strict=True)}
            found = by_doc[e.doc].get((e.start, e.end))
        if found is None:
            found = lexicon.match([r for _, _, r in lexicon.tokens(e.text)])
        out.append(found)
    return out


def term_trust(fired: Sequence[Sequence[str]], labels: Sequence[bool]) -> dict[str, float]:
    """Each term's trust after the examples it fired on (see the module notes)."""
    right: dict[str, int] = {}
    seen: dict[str, int] = {}
    for terms, label in zip(fired, labels, strict=True):
        for term in set(terms):
            seen[term] = seen.get(term, 0) + 1
            right[term] = right.get(term, 0) + label
    return {
        term: (TERM_PRIOR * TRUST_PRIOR + right[term]) / (TRUST_PRIOR + n)
        for term, n in sorted(seen.items())
    }


def train(
    examples: Sequence[Example],
    lexicon: Lexicon,
    previous: Model | None = None,
    documents: Mapping[str, Document] | None = None,
) -> Model:
    """The terms' trust and a text classifier per theme that has examples (module notes).

    ``documents`` (by ``rel``) are the texts the examples were read in: their terms are
    read there. ``previous`` (a loaded or earlier model) is returned as it is when it was
    trained on the same examples, terms and texts: no scikit-learn import then.
    """
    digest = fingerprint(examples, lexicon, documents)
    if previous is not None and previous.fingerprint == digest:
        return previous
    model = Model(lexicon.themes, digest)
    ready = [t for t in lexicon.themes if any(t in e.labels for e in examples)]
    if not ready:
        return model
    signals = read_in_place(examples, lexicon, documents)
    rows = {t: [i for i, e in enumerate(examples) if t in e.labels] for t in ready}
    labels = {t: [examples[i].labels[t] for i in rows[t]] for t in ready}
    texts = [
        t for t in ready if min(sum(labels[t]), len(labels[t]) - sum(labels[t])) >= MIN_EXAMPLES
    ]
    fitted = _fit_texts(examples, rows, labels, texts, model) if texts else {}
    for theme in ready:
        positives = sum(labels[theme])
        trust = term_trust([signals[i].get(theme, ()) for i in rows[theme]], labels[theme])
        coef, intercept = fitted.get(theme, ([], 0.0))
        n = len(rows[theme])
        weight = TEXT_WEIGHT * n / (n + TEXT_HALF) if coef else 0.0
        model.classifiers[theme] = Classifier(
            coef, intercept, weight, trust, positives, n - positives
        )
    return model


def _fit_texts(
    examples: Sequence[Example],
    rows: Mapping[str, list[int]],
    labels: Mapping[str, list[bool]],
    themes: Sequence[str],
    model: Model,
) -> dict[str, tuple[list[float], float]]:
    """Fit the text classifiers of ``themes``; the vocabulary and idf go into ``model``."""
    # Heavy imports (~1–3 s, ~100 MB): only here, only when there is something to learn.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vectorizer = TfidfVectorizer(
        analyzer=ngrams,
        sublinear_tf=True,
        min_df=MIN_DF,
        max_features=MAX_FEATURES,
        dtype=np.float64,
    )
    try:
        grams = vectorizer.fit_transform([e.text for e in examples])
    except ValueError:  # no token in two examples (texts with nothing in common)
        return {}
    order = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    model.grams = [str(gram) for gram, _ in order]
    model.vocabulary = {gram: index for index, gram in enumerate(model.grams)}
    model.idf = [float(v) for v in vectorizer.idf_]
    out: dict[str, tuple[list[float], float]] = {}
    for theme in themes:
        clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        # One thread: BLAS threads spinning beside the UI thread (and other processes on a
        # small machine) made a fit of these small problems 10–20 times slower.
        with threadpool_limits(limits=1):
            clf.fit(grams[rows[theme]], labels[theme])
        out[theme] = ([float(v) for v in clf.coef_[0]], float(clf.intercept_[0]))
    return out
