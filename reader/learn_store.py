"""The learner and the store: training examples from its decisions, the model on disk, in memory.

:func:`examples_from_store` says what the store's decisions teach (see
:mod:`reader.learn` for the definition of *reviewed*); :func:`store_examples`
reads them from a store folder and the corpus; :func:`learned_model` is what
the app's worker and ``reader suggest`` call: examples, then a model reused
(from memory or ``<store>/.suggest-model.json``) when it was trained on the same
examples and terms, else trained anew.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reader.corpus import Document, read_document
from reader.errors import ReaderError
from reader.learn import (
    MODEL_FILE,
    MODEL_FORMAT,
    MODEL_VERSION,
    Classifier,
    Example,
    Model,
    train,
)
from reader.rejections import Rejected, Rejections
from reader.store.model import ORPHANED, Annotation
from reader.store.storage import atomic_write
from reader.suggest import Lexicon

__all__ = [
    "corpus_root",
    "examples_from_store",
    "learned_model",
    "load",
    "remembered",
    "save",
    "store_examples",
    "store_examples_and_texts",
]

_MEMORY: dict[Path, Model] = {}
_MEMORY_LOCK = threading.Lock()
#: Store → fingerprint of the model its file holds (as far as this process knows).
_SAVED: dict[Path, str] = {}
#: One learning step at a time per process: a second waits, then finds the model current.
_LEARNING = threading.Lock()


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
        doc = documents.get(ann.doc)
        here = doc is not None and doc.sha256 == ann.doc_sha256
        where = (ann.doc, ann.start, ann.end) if here else ("", -1, -1)
        out.append(Example(ann.quote, {key: key in tagged for key in themes}, *where))
    rejections: dict[str, list[Rejected]] = {}
    for rec in rejected:
        rejections.setdefault(rec.doc, []).append(rec)
    for rel in sorted(set(by_doc) | set(rejections)):
        doc = documents.get(rel)
        sha = doc.sha256 if doc is not None else None
        anns = [a for a in by_doc.get(rel, ()) if a.doc_sha256 == sha]
        for rec in rejections.get(rel, ()):
            themes_there = {
                t for a in by_doc.get(rel, ()) if a.start == rec.start for t in a.themes
            }
            labels = {t: False for t in rec.themes if t in themes and t not in themes_there}
            if labels and rec.quote.strip():
                here = doc is not None and rec.sha256 == sha
                where = (rel, rec.start, rec.end) if here else ("", -1, -1)
                out.append(Example(rec.quote, labels, *where))
        if doc is None or not anns:
            continue
        extent = max(a.end for a in anns)
        spans = sorted((a.start, a.end) for a in anns)
        for sentence in doc.all_sentences():
            if sentence.end > extent:
                break
            if any(s < sentence.end and sentence.start < e for s, e in spans):
                continue  # the annotation over it is the example
            text = doc.text[sentence.start : sentence.end]
            if text.strip():
                out.append(
                    Example(text, dict.fromkeys(themes, False), rel, sentence.start, sentence.end)
                )
    return out


def corpus_root(document: Document) -> Path | None:
    """The folder ``document.rel`` is relative to (other documents of the store live there)."""
    parts = document.rel.split("/")
    path = document.path
    if tuple(path.parts[-len(parts) :]) != tuple(parts):
        return None
    return path.parents[len(parts) - 1]


def store_examples(
    root: Path, themes: Sequence[str], documents: Iterable[Document]
) -> list[Example]:
    """The examples of the store at ``root`` (see :func:`store_examples_and_texts`)."""
    return store_examples_and_texts(root, themes, documents)[0]


def store_examples_and_texts(
    root: Path, themes: Sequence[str], documents: Iterable[Document]
) -> tuple[list[Example], dict[str, Document]]:
    """The examples of the store at ``root``, with the texts of its reviewed documents.

    ``documents`` are used as they are; any other document the store names is read
    from their corpus root (a name leading outside it is ignored, as is one that
    cannot be read: its annotations still count as positives).
    """
    from reader.store import Store

    store = Store(root, read_only=True)  # its own reader: the UI's store is never touched
    annotations = list(store.all_annotations())
    rejected = list(Rejections(root, read_only=True).records())
    known = {doc.rel: doc for doc in documents}
    roots = {r for r in map(corpus_root, known.values()) if r is not None}
    for rel in sorted({a.doc for a in annotations} | {r.doc for r in rejected}):
        if rel in known:
            continue
        for base in roots:
            path = (base / rel).resolve()
            if not path.is_relative_to(base.resolve()) or not path.is_file():
                continue
            try:
                known[rel] = read_document(path, base)
            except ReaderError:
                continue
            break
    return examples_from_store(annotations, rejected, known, themes), known


def learned_model(
    root: Path, lexicon: Lexicon, documents: Iterable[Document], *, write: bool = False
) -> Model:
    """The model for the store at ``root``: reused when nothing changed, else trained.

    ``write`` saves a newly trained model to ``<root>/.suggest-model.json`` (a failure
    to write is ignored: the model is derived data).
    """
    with _LEARNING:
        return _learned_model(root, lexicon, documents, write)


def _learned_model(
    root: Path, lexicon: Lexicon, documents: Iterable[Document], write: bool
) -> Model:
    examples, texts = store_examples_and_texts(root, lexicon.themes, documents)
    key = root.resolve()
    with _MEMORY_LOCK:
        previous = _MEMORY.get(key)
    if previous is None:
        previous = load(root)
        if previous is not None:
            _SAVED[key] = previous.fingerprint
    model = train(examples, lexicon, previous, texts)
    if write and _SAVED.get(key) != model.fingerprint:
        with contextlib.suppress(OSError, ReaderError):
            save(model, root)
            _SAVED[key] = model.fingerprint
    with _MEMORY_LOCK:
        _MEMORY[key] = model
    return model


def remembered(root: Path) -> Model | None:
    """The model last learned for this store in this process, if any (never trains)."""
    with _MEMORY_LOCK:
        return _MEMORY.get(root.resolve())


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
                "weight": clf.weight,
                "trust": clf.trust,
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
        coef, intercept, weight, trust = (raw[k] for k in ("coef", "intercept", "weight", "trust"))
        pos, neg = raw["positives"], raw["negatives"]
        if key not in themes or not (_numbers(coef) and len(coef) in (0, len(grams))):
            return None
        if not (_numbers([intercept, weight]) and _counts(pos) and _counts(neg)):
            return None
        if not (isinstance(trust, dict) and _strings(list(trust))):
            return None
        values = list(trust.values())
        if not (_numbers(values) and all(0.0 <= v < 1.0 for v in values)):
            return None  # a trust of 1 would make the lexicon's log-odds infinite
        model.classifiers[key] = Classifier(
            [float(v) for v in coef], float(intercept), float(weight),
            {t: float(v) for t, v in trust.items()}, pos, neg,
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
