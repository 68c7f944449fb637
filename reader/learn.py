"""Learning from the analyst: one classifier per theme, with the lexicon as its prior.

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

One classifier per theme is trained on them (:func:`train`): logistic regression
(scikit-learn) on two kinds of features —

* TF-IDF of character n-grams, 2–5 inside word boundaries (``char_wb``), of the
  folded text: Arabic morphology (clitics, endings, broken plurals) shares
  n-grams that whole words do not;
* the lexicon's verdict: its log-odds (:func:`reader.suggest.lexicon_probability`
  of the terms that fired, as a logit) and one feature per term that fired
  (worth :data:`TERM_SCALE`, so that one decision moves a term only so far);
* the lexicon's verdict *around* the sentence (:data:`reader.suggest.CONTEXT_FEATURES`:
  the theme in the sentence before and after, its share of the document, a lone
  firing): a sentence that names no term but follows two about sanctions ("the
  committee", "the experts") is often about them, and a lone term in a document
  about football often is not. An example knows where it was read (``doc``,
  ``start``, ``end``); given the documents, :func:`train` reads its terms and
  context in its document, as :func:`reader.suggest.suggest_text` does when it
  suggests — else its passage alone, and no context.

**The blend.** The lexicon is the prior and the analyst's decisions the evidence:
besides the real examples the classifier sees :data:`PRIOR_WEIGHT` *virtual*
examples that carry only the lexicon feature and say what the lexicon is worth
before anyone has decided anything — a sentence a term fires on is a positive
with :data:`reader.suggest.TERM_PRIOR`, a silent one with
:data:`reader.suggest.SILENT_PRIOR`. With no decisions the classifier therefore
reproduces the lexicon; a few rejections move the weight of the term that
misfired (it stops suggesting alone); n-grams gain weight as examples
accumulate, until they can add a sentence no term names or veto one a term
does. The suggestion threshold (0.5) applies to this one probability.

The n-grams earn their freedom: their features are scaled by ``n / (n +``
:data:`GRAMS_HALF` ``)`` for ``n`` real examples of the theme (a smaller value is a
stronger penalty), so that one rejection cannot teach that "في" means "not arms";
the scale is folded into the saved coefficients. The context features are scaled
the same way.

The model is derived data: :func:`reader.learn_store.save` writes it as JSON
(vocabulary, idf, coefficients, term weights) in ``<store>/.suggest-model.json``
with a fingerprint of the examples and terms it was trained on;
:func:`reader.learn_store.load` ignores a file that is damaged, foreign or stale
(nothing is ever unpickled). Prediction is pure Python, so a model that is still
current costs no scikit-learn import; only :func:`train` imports it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.arabic import fold
from reader.boilerplate import content_sentences
from reader.corpus import Document
from reader.suggest import (
    CONTEXT_FEATURES,
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
MODEL_VERSION = 2
#: How many examples the lexicon's prior is worth (virtual examples per theme).
PRIOR_WEIGHT = 20.0
#: The n-gram features reach half their weight at this many real examples of a theme.
GRAMS_HALF = 50.0
#: The value of a "this term fired" feature: small, so that a term's weight moves slowly.
TERM_SCALE = 0.25
#: Inverse strength of the L2 penalty of the logistic regression.
C = 10.0
#: Character n-grams: sizes and the cap on the vocabulary (most frequent first).
NGRAMS = (2, 5)
MAX_FEATURES = 50_000
#: The threshold per theme is chosen by cross-validation over this many groups of documents,
FOLDS = 4
#: given at least this many positive examples in documents,
MIN_POSITIVES = 8
#: among these thresholds.
THRESHOLDS = tuple(round(0.15 + 0.05 * k, 2) for k in range(15))


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
    """A digest of the examples, the terms and the texts they were read in."""
    digest = hashlib.sha256(f"{MODEL_FORMAT}/{MODEL_VERSION}/{NGRAMS}/{C}".encode())
    digest.update(json.dumps(lexicon.terms, ensure_ascii=False, sort_keys=True).encode())
    rows = sorted((e.text, sorted(e.labels.items()), e.doc, e.start, e.end) for e in examples)
    for row in rows:
        digest.update(json.dumps(row, ensure_ascii=False).encode())
    for rel in sorted({e.doc for e in examples if documents and e.doc in documents}):
        digest.update(f"{rel}:{documents[rel].sha256}".encode() if documents else b"")
    return digest.hexdigest()


def ngrams(text: str) -> list[str]:
    """Character n-grams of the folded text inside word boundaries (sklearn's ``char_wb``)."""
    low, high = NGRAMS
    out: list[str] = []
    for word in fold(text)[0].split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:
                out.append(padded)  # the whole padded word, once, as char_wb does
                continue
            out.extend(padded[i : i + n] for i in range(size - n + 1))
    return out


@dataclass
class Classifier:
    """One theme's logistic regression: n-gram coefficients and the lexicon's weights."""

    coef: list[float]
    """Per n-gram of the model's vocabulary."""
    intercept: float
    lexicon: float
    """Weight of the lexicon's log-odds (1 when the analyst agrees with the lexicon's prior)."""
    terms: dict[str, float]
    """Weight of each term (as written in the lexicon) that fired in some example."""
    positives: int
    negatives: int
    context: list[float] = field(default_factory=lambda: [0.0] * 2 * len(CONTEXT_FEATURES))
    """Weight of each of :data:`reader.suggest.CONTEXT_FEATURES`, for a sentence the
    lexicon is silent on, then for one it fires on."""


@dataclass
class Model:
    """What was learned from the store's examples for one lexicon."""

    themes: tuple[str, ...]
    fingerprint: str = ""
    grams: list[str] = field(default_factory=list)
    """The n-gram vocabulary; a gram's index is its column in ``idf`` and the coefficients."""
    idf: list[float] = field(default_factory=list)
    classifiers: dict[str, Classifier] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vocabulary = {gram: index for index, gram in enumerate(self.grams)}

    def vector(self, text: str) -> dict[int, float]:
        """TF-IDF of ``text`` over the vocabulary: sublinear tf, l2-normalised (as trained)."""
        if not self.classifiers:
            return {}  # nothing learned: the n-grams would not be looked at
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
        context: Sequence[float] = (),
    ) -> Evidence:
        """The probability that ``text`` belongs to ``theme``, and why.

        ``context`` is the sentence's :data:`reader.suggest.CONTEXT_FEATURES` for the
        theme (none: a passage read alone).
        """
        prior = lexicon_probability(terms)
        clf = self.classifiers.get(theme)
        if clf is None:
            return Evidence(prior, prior)
        score = clf.intercept + clf.lexicon * _logit(prior)
        score += TERM_SCALE * sum(clf.terms.get(t, 0.0) for t in terms)
        score += sum(
            w * v for w, v in zip(clf.context, _expand(context, bool(terms)), strict=False)
        )
        x = self.vector(text) if vector is None else vector
        contributions = sorted(((w * clf.coef[i], i) for i, w in x.items()), reverse=True)
        score += sum(c for c, _ in contributions)
        strongest = [self.grams[i] for c, i in contributions[:8] if c > 0]
        return Evidence(_sigmoid(score), prior, _sigmoid(score), _readable(strongest))


def _expand(context: Sequence[float], fired: bool) -> list[float]:
    """The context features apart for a sentence the lexicon is silent on and one it fires
    on: after two sanctions sentences a silent one is often about them too (the committee,
    the experts), while a lone term in a document about football often misfires."""
    values = list(context) or [0.0] * len(CONTEXT_FEATURES)
    zeros = [0.0] * len(values)
    return zeros + values if fired else values + zeros


def _readable(grams: list[str]) -> tuple[str, ...]:
    """The strongest n-grams, trimmed, without those inside a stronger one (at most three)."""
    out: list[str] = []
    for gram in grams:
        gram = gram.strip()
        if gram and not any(gram in kept for kept in out):
            out.append(gram)
    return tuple(out[:3])


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


Signals = tuple[Mapping[str, Sequence[str]], Mapping[str, tuple[float, ...]]]
"""An example as the lexicon reads it: theme → terms that fire, theme → its context."""


def read_in_place(
    examples: Sequence[Example], lexicon: Lexicon, documents: Mapping[str, Document] | None
) -> list[Signals]:
    """Each example's terms and context, read in its document when it is one of its
    sentences (as :func:`reader.suggest.suggest_document` cuts them), else alone."""
    by_doc: dict[str, dict[tuple[int, int], Signals]] = {}
    zeros = dict.fromkeys(lexicon.themes, (0.0,) * len(CONTEXT_FEATURES))
    out: list[Signals] = []
    for e in examples:
        document = documents.get(e.doc) if documents and e.doc else None
        found: Signals | None = None
        if document is not None:
            if e.doc not in by_doc:
                spans = list(content_sentences(document))
                fired, contexts = lexicon_signals(document.text, spans, lexicon)
                by_doc[e.doc] = {
                    (sp.start, sp.end): (f, c)
                    for sp, f, c in zip(spans, fired, contexts, strict=True)
                }
            found = by_doc[e.doc].get((e.start, e.end))
        if found is None:
            found = (lexicon.match([r for _, _, r in lexicon.tokens(e.text)]), zeros)
        out.append(found)
    return out


def _threshold(
    fit: Callable[[Sequence[int]], Any],
    features: Any,
    labels: Sequence[bool],
    groups: Sequence[str],
    lexicon_said: Sequence[bool],
) -> float | None:
    """The decision threshold that gave the best F1 out of fold, whole documents held out,
    or None when none did better than the lexicon alone on the same sentences.

    ``groups`` are the real examples' documents (the rows after them are the virtual
    prior, always trained on); examples read nowhere in particular are never held out.
    With fewer than :data:`FOLDS` documents or :data:`MIN_POSITIVES` positives among
    them nothing is judged: the threshold stays 0.5. A tie goes to the threshold nearest
    0.5. ``lexicon_said`` is the lexicon's verdict on each real example.
    """
    docs = sorted({g for g in groups if g})
    real = len(groups)
    scored = [i for i in range(real) if groups[i]]
    if len(docs) < FOLDS or sum(labels[i] for i in scored) < MIN_POSITIVES:
        return 0.5
    fold_of = {doc: k % FOLDS for k, doc in enumerate(docs)}
    found: list[tuple[float, bool]] = []
    lexicon_found: list[tuple[float, bool]] = []
    for k in range(FOLDS):
        held = [i for i in scored if fold_of[groups[i]] == k]
        kept = [
            i for i in range(len(labels)) if i >= real or not groups[i] or fold_of[groups[i]] != k
        ]
        if not held:
            continue
        probabilities = fit(kept).predict_proba(features[held])[:, 1]
        found.extend((float(p), labels[i]) for p, i in zip(probabilities, held, strict=True))
        lexicon_found.extend((float(lexicon_said[i]), labels[i]) for i in held)

    def f1(threshold: float, scored: Sequence[tuple[float, bool]] = found) -> float:
        tp = sum(1 for p, y in scored if p >= threshold and y)
        said = sum(1 for p, _ in scored if p >= threshold)
        gold = sum(1 for _, y in scored if y)
        return 2 * tp / (said + gold) if said + gold else 0.0

    best = max(THRESHOLDS, key=lambda t: (round(f1(t), 9), -abs(t - 0.5)))
    return best if f1(best) > f1(0.5, lexicon_found) + 1e-9 else None


def _fitter(
    features: Any, labels: Sequence[bool], weights: Sequence[float]
) -> Callable[[Sequence[int]], Any]:
    """Fit a logistic regression on the given rows of one theme's problem."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    def fit(which: Sequence[int]) -> Any:
        rows = list(which)
        clf = LogisticRegression(C=C, max_iter=2000)
        # One thread: BLAS threads spinning beside the UI thread (and other processes on a
        # small machine) made a fit of these tiny problems 10–20 times slower.
        with threadpool_limits(limits=1):
            clf.fit(features[rows], [labels[i] for i in rows], [weights[i] for i in rows])
        return clf

    return fit


def train(
    examples: Sequence[Example],
    lexicon: Lexicon,
    previous: Model | None = None,
    documents: Mapping[str, Document] | None = None,
) -> Model:
    """One classifier per theme that has examples (see the module notes).

    ``documents`` (by ``rel``) are the texts the examples were read in: their terms and
    context are read there. ``previous`` (a loaded or earlier model) is returned as it
    is when it was trained on the same examples, terms and texts: no scikit-learn
    import then.
    """
    digest = fingerprint(examples, lexicon, documents)
    if previous is not None and previous.fingerprint == digest:
        return previous
    model = Model(lexicon.themes, digest)
    ready = [t for t in lexicon.themes if any(t in e.labels for e in examples)]
    if not ready:
        return model
    # Heavy imports (~1–3 s, ~100 MB): only here, only when there is something to learn.
    import numpy as np
    from scipy.sparse import csr_matrix, hstack, vstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer=ngrams, sublinear_tf=True, max_features=MAX_FEATURES, dtype=np.float64
    )
    grams = vectorizer.fit_transform([e.text for e in examples])
    order = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    model.grams = [str(gram) for gram, _ in order]
    model.vocabulary = {gram: index for index, gram in enumerate(model.grams)}
    model.idf = [float(v) for v in vectorizer.idf_]
    signals = read_in_place(examples, lexicon, documents)
    width = 2 * len(CONTEXT_FEATURES)
    for theme in ready:
        rows = [i for i, e in enumerate(examples) if theme in e.labels]
        fired = [signals[i][0].get(theme, []) for i in rows]
        scale = len(rows) / (len(rows) + GRAMS_HALF)
        names = sorted({term for terms in fired for term in terms})
        column = {term: 1 + width + k for k, term in enumerate(names)}
        lex = np.zeros((len(rows) + 4, 1 + width + len(names)))
        for r, terms in enumerate(fired):
            lex[r, 0] = _logit(lexicon_probability(terms))
            lex[r, 1 : 1 + width] = [
                v * scale for v in _expand(signals[rows[r]][1][theme], bool(terms))
            ]
            for term in terms:
                lex[r, column[term]] = TERM_SCALE
        # The virtual examples: one term fired, and none.
        lex[len(rows) : len(rows) + 2, 0] = _logit(TERM_PRIOR)
        lex[len(rows) + 2 :, 0] = _logit(SILENT_PRIOR)
        features = hstack(
            [csr_matrix(lex), vstack([grams[rows] * scale, csr_matrix((4, grams.shape[1]))])]
        ).tocsr()
        labels = [examples[i].labels[theme] for i in rows] + [True, False, True, False]
        weights = [1.0] * len(rows) + [
            PRIOR_WEIGHT * p for p in (TERM_PRIOR, 1 - TERM_PRIOR, SILENT_PRIOR, 1 - SILENT_PRIOR)
        ]

        fit = _fitter(features, labels, weights)
        groups = [examples[i].doc for i in rows]
        threshold = _threshold(fit, features, labels, groups, [bool(t) for t in fired])
        if threshold is None:
            # Out of fold the context and the threshold did no better than the lexicon:
            # the plain blend (terms and n-grams, threshold 0.5), which moves only with
            # evidence against a term (rejections) or for a sentence.
            threshold = 0.5
            lex[:, 1 : 1 + width] = 0.0
            features = hstack([csr_matrix(lex), features[:, lex.shape[1] :]]).tocsr()
            fit = _fitter(features, labels, weights)
        clf = fit(range(len(labels)))
        coef = [float(v) for v in clf.coef_[0]]
        positives = sum(labels[: len(rows)])
        # The threshold folded into the intercept: probability ≥ 0.5 ⇔ the fit's ≥ threshold.
        intercept = float(clf.intercept_[0]) - _logit(threshold)
        model.classifiers[theme] = Classifier(
            [v * scale for v in coef[1 + width + len(names) :]], intercept,
            coef[0], {term: coef[column[term]] for term in names}, positives,
            len(rows) - positives, [v * scale for v in coef[1 : 1 + width]],
        )  # fmt: skip
    return model
