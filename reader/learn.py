"""Learning from the analyst: how far each lexicon term can be trusted, and a classifier per theme.

Training data (:func:`examples_from_store`) — the store's decisions, nothing else:

* **positives**: every tagged passage (an annotation's quote) for its themes;
* **negatives**: the *reviewed* sentences left untagged, and every rejected
  suggestion for the themes it was suggested for.

A document is *reviewed* from its start to the end of the furthest annotation or
rejection the store has for its current text. Inside that extent the analyst
has read every sentence, so each one is labelled for every theme: a tagged
passage is a negative for the themes it does not carry, and a sentence with no
annotation over it is a negative for all. Sentences past the extent are not
used (the analyst has not said anything about them yet). A document whose text
changed since it was tagged gives its annotations as positives only.

One classifier per theme is trained on them (:func:`train`): logistic regression
(scikit-learn) on two kinds of features —

* TF-IDF of character n-grams, 2–5 inside word boundaries (``char_wb``), of the
  folded text: Arabic morphology (clitics, endings, broken plurals) shares
  n-grams that whole words do not;
* the lexicon's verdict: one feature "a term of the theme fired" (worth
  :data:`LEXICON_SCALE`) and one per term that fired.

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

The classifier is derived data: :func:`save` writes it as JSON (vocabulary, idf,
coefficients) in ``<store>/.suggest-model.json`` with a fingerprint of the
examples it was trained on; :func:`load` ignores a file that is damaged, foreign
or stale (nothing is ever unpickled). Prediction is pure Python, so a fresh model
costs no scikit-learn import; only :func:`train` imports it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.arabic import fold
from reader.corpus import Document
from reader.rejections import Rejected
from reader.store.model import ORPHANED, Annotation
from reader.store.storage import atomic_write
from reader.suggest import SILENT_PRIOR, TERM_PRIOR, Evidence, Lexicon, lexicon_probability

__all__ = [
    "MODEL_FILE",
    "Classifier",
    "Example",
    "Model",
    "examples_from_store",
    "fingerprint",
    "load",
    "ngrams",
    "save",
    "train",
]

MODEL_FILE = ".suggest-model.json"
MODEL_FORMAT = "reader-suggest-model"
MODEL_VERSION = 1
#: How many examples the lexicon's prior is worth (virtual examples per theme).
PRIOR_WEIGHT = 10.0
#: The value of the "a term fired" feature: large enough that a small weight carries the prior.
LEXICON_SCALE = 3.0
#: Inverse strength of the L2 penalty of the logistic regression.
C = 10.0
#: Character n-grams: sizes and the cap on the vocabulary (most frequent first).
NGRAMS = (2, 5)
MAX_FEATURES = 50_000


@dataclass(frozen=True)
class Example:
    """A passage and what the analyst said about it, theme by theme."""

    text: str
    labels: Mapping[str, bool]
    """Theme → positive (True) or negative (False); a theme absent here is unknown."""


def examples_from_store(
    annotations: Iterable[Annotation],
    rejected: Iterable[Rejected],
    documents: Mapping[str, Document],
    themes: Sequence[str],
) -> list[Example]:
    """The training examples the store's decisions give (see the module notes).

    Args:
        annotations: every annotation of the store (orphaned ones are skipped).
        rejected: every rejection of the store.
        documents: texts by ``rel``, for the reviewed sentences left untagged;
            a document missing here gives its annotations as positives only.
        themes: the store's theme keys.
    """
    out: list[Example] = []
    by_doc: dict[str, list[Annotation]] = {}
    for ann in annotations:
        if ann.status == ORPHANED or not ann.quote.strip():
            continue
        by_doc.setdefault(ann.doc, []).append(ann)
        tagged = set(ann.themes)
        out.append(Example(ann.quote, {key: key in tagged for key in themes}))
    rejections: dict[str, list[Rejected]] = {}
    for rec in rejected:
        rejections.setdefault(rec.doc, []).append(rec)
    for rel in sorted(set(by_doc) | set(rejections)):
        doc = documents.get(rel)
        sha = doc.sha256 if doc is not None else None
        anns = [a for a in by_doc.get(rel, ()) if a.doc_sha256 == sha]
        recs = [r for r in rejections.get(rel, ()) if r.sha256 == sha]
        for rec in rejections.get(rel, ()):
            themes_there = {
                t for a in by_doc.get(rel, ()) if a.start == rec.start for t in a.themes
            }
            labels = {t: False for t in rec.themes if t in themes and t not in themes_there}
            if labels and rec.quote.strip():
                out.append(Example(rec.quote, labels))
        if doc is None or not (anns or recs):
            continue
        extent = max([a.end for a in anns] + [r.end for r in recs])
        spans = sorted((a.start, a.end) for a in anns)
        for sentence in doc.all_sentences():
            if sentence.end > extent:
                break
            if any(s < sentence.end and sentence.start < e for s, e in spans):
                continue  # the annotation over it is the example
            text = doc.text[sentence.start : sentence.end]
            if text.strip():
                out.append(Example(text, dict.fromkeys(themes, False)))
    return out


def fingerprint(examples: Sequence[Example], lexicon: Lexicon) -> str:
    """A digest of the examples and the terms: a saved model is reused only for the same."""
    digest = hashlib.sha256(f"{MODEL_FORMAT}/{MODEL_VERSION}/{NGRAMS}/{C}".encode())
    digest.update(json.dumps(lexicon.terms, ensure_ascii=False, sort_keys=True).encode())
    for text, labels in sorted((e.text, sorted(e.labels.items())) for e in examples):
        digest.update(json.dumps([text, labels], ensure_ascii=False).encode())
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
    """Weight of "a term fired" (the feature's value is :data:`LEXICON_SCALE`)."""
    terms: dict[str, float]
    """Weight of each term (as written in the lexicon) that fired in some example."""
    positives: int
    negatives: int


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
        prior = lexicon_probability(terms)
        clf = self.classifiers.get(theme)
        if clf is None:
            return Evidence(prior, prior)
        score = clf.intercept
        if terms:
            score += clf.lexicon * LEXICON_SCALE + sum(clf.terms.get(t, 0.0) for t in terms)
        x = self.vector(text) if vector is None else vector
        contributions = sorted(((w * clf.coef[i], i) for i, w in x.items()), reverse=True)
        score += sum(c for c, _ in contributions)
        strongest = [self.grams[i] for c, i in contributions[:8] if c > 0]
        return Evidence(_sigmoid(score), prior, _sigmoid(score), _readable(strongest))


def _readable(grams: list[str]) -> tuple[str, ...]:
    """The strongest n-grams, trimmed, without those inside a stronger one (at most three)."""
    out: list[str] = []
    for gram in grams:
        gram = gram.strip()
        if gram and not any(gram in kept for kept in out):
            out.append(gram)
    return tuple(out[:3])


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def train(examples: Sequence[Example], lexicon: Lexicon, previous: Model | None = None) -> Model:
    """One classifier per theme that has examples (see the module notes).

    ``previous`` (a loaded or earlier model) is returned as it is when it was trained
    on the same examples and terms: no scikit-learn import then.
    """
    digest = fingerprint(examples, lexicon)
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
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vectorizer = TfidfVectorizer(
        analyzer=ngrams, sublinear_tf=True, max_features=MAX_FEATURES, dtype=np.float64
    )
    grams = vectorizer.fit_transform([e.text for e in examples])
    order = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    model.grams = [str(gram) for gram, _ in order]
    model.vocabulary = {gram: index for index, gram in enumerate(model.grams)}
    model.idf = [float(v) for v in vectorizer.idf_]
    matches = [lexicon.match([r for _, _, r in lexicon.tokens(e.text)]) for e in examples]
    for theme in ready:
        rows = [i for i, e in enumerate(examples) if theme in e.labels]
        fired = [matches[i].get(theme, []) for i in rows]
        names = sorted({term for terms in fired for term in terms})
        column = {term: 1 + k for k, term in enumerate(names)}
        lex = np.zeros((len(rows) + 4, 1 + len(names)))
        for r, terms in enumerate(fired):
            lex[r, 0] = LEXICON_SCALE if terms else 0.0
            for term in terms:
                lex[r, column[term]] = 1.0
        lex[len(rows), 0] = lex[len(rows) + 1, 0] = LEXICON_SCALE  # the virtual examples
        features = hstack(
            [csr_matrix(lex), vstack([grams[rows], csr_matrix((4, grams.shape[1]))])]
        ).tocsr()
        labels = [examples[i].labels[theme] for i in rows] + [True, False, True, False]
        weights = [1.0] * len(rows) + [
            PRIOR_WEIGHT * p for p in (TERM_PRIOR, 1 - TERM_PRIOR, SILENT_PRIOR, 1 - SILENT_PRIOR)
        ]
        clf = LogisticRegression(C=C, max_iter=2000)
        # One thread: BLAS threads spinning beside the UI thread (and other processes on a
        # small machine) made a fit of these tiny problems 10–20 times slower.
        with threadpool_limits(limits=1):
            clf.fit(features, labels, sample_weight=weights)
        coef = [float(v) for v in clf.coef_[0]]
        positives = sum(labels[: len(rows)])
        model.classifiers[theme] = Classifier(
            coef[1 + len(names) :], float(clf.intercept_[0]), coef[0],
            {term: coef[column[term]] for term in names}, positives, len(rows) - positives,
        )  # fmt: skip
    return model


def save(model: Model, root: Path) -> None:
    """Write the classifiers to ``<root>/.suggest-model.json`` (atomic; derived data)."""
    body = {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "fingerprint": model.fingerprint,
        "themes": list(model.themes),
        "vocabulary": model.grams,
        "idf": [round(v, 6) for v in model.idf],
        "classifiers": {
            key: {
                "coef": [round(v, 6) for v in clf.coef],
                "intercept": clf.intercept,
                "lexicon": clf.lexicon,
                "terms": clf.terms,
                "positives": clf.positives,
                "negatives": clf.negatives,
            }
            for key, clf in model.classifiers.items()
        },
    }
    atomic_write(root / MODEL_FILE, json.dumps(body, ensure_ascii=False).encode(), backup=False)


def load(root: Path) -> Model | None:
    """The saved model of a store, or None when there is none or it cannot be trusted.

    Anything unexpected — not JSON, another format or version, wrong types,
    lengths that disagree, non-finite numbers — means "no model": it is rebuilt.
    """
    try:
        if os.path.getsize(root / MODEL_FILE) > 256 * 1024 * 1024:
            return None
        data = json.loads((root / MODEL_FILE).read_bytes())
        return _from_json(data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _from_json(data: Any) -> Model | None:
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        return None
    if data.get("version") != MODEL_VERSION:
        return None
    digest, themes, grams, idf = (data[k] for k in ("fingerprint", "themes", "vocabulary", "idf"))
    if not (isinstance(digest, str) and _strings(themes) and _strings(grams)):
        return None
    if not (_numbers(idf) and len(idf) == len(grams) and len(set(grams)) == len(grams)):
        return None
    model = Model(tuple(themes), digest, list(grams), [float(v) for v in idf])
    classifiers = data["classifiers"]
    if not isinstance(classifiers, dict):
        return None
    for key, raw in classifiers.items():
        coef, intercept, lexicon, terms = (
            raw[k] for k in ("coef", "intercept", "lexicon", "terms")
        )
        pos, neg = raw["positives"], raw["negatives"]
        if key not in themes or not (_numbers(coef) and len(coef) == len(grams)):
            return None
        if not (_numbers([intercept, lexicon]) and _counts(pos) and _counts(neg)):
            return None
        if not (
            isinstance(terms, dict) and _strings(list(terms)) and _numbers(list(terms.values()))
        ):
            return None
        model.classifiers[key] = Classifier(
            [float(v) for v in coef], float(intercept), float(lexicon),
            {t: float(v) for t, v in terms.items()}, pos, neg,
        )  # fmt: skip
    return model


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
    )


def _counts(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
