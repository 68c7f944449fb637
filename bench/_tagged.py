"""Stores full of tags for the benches: N annotations on one document, or spread over many.

The annotation files are written directly, in the store's on-disk format (as
``bench_store.py`` and ``bench_export.py`` do): N durable ``Store.add`` calls
would take minutes. Deterministic: the same arguments give the same store.

* :func:`tag_document` — ``count`` annotations on one document, on sentences
  spread evenly through it (a sentence each while there are enough, so the
  tags do not pile up on one span), one or two themes each, every tenth with
  a note: what a long session of tagging a report leaves behind.
* :func:`tag_library` — ``count`` annotations spread over the given documents.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Sequence
from pathlib import Path

from reader.corpus import Document, Span
from reader.store import SCHEMA_VERSION, to_record
from reader.store.folder import DOCS_DIR, META_FILE
from reader.store.logcheck import header
from reader.store.model import Annotation, context
from reader.store.names import annotator_filename, doc_dirname

THEMES = ("arms", "troops", "sanctions", "china")
#: A fixed date: the store's files are the same from one run to the next.
WHEN = "2026-01-01T00:00:00Z"


def spread_spans(doc: Document, count: int) -> list[Span]:
    """``count`` sentences of ``doc``, evenly spread (repeated when there are fewer)."""
    sentences = list(doc.all_sentences())
    if not sentences or not count:
        return []
    return [sentences[(i * len(sentences)) // count % len(sentences)] for i in range(count)]


def _annotation(doc: Document, span: Span, rng: random.Random, number: int) -> Annotation:
    quote, prefix, suffix = context(doc.text, span.start, span.end)
    themes = rng.sample(THEMES, 2 if number % 3 == 0 else 1)
    note = f"note {number}" if number % 10 == 0 else ""
    ann_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return Annotation(
        ann_id, doc.rel, doc.sha256, span.start, span.end, quote, prefix, suffix,
        themes, note, "bench", WHEN, WHEN, "anchored",
    )  # fmt: skip


def _write(root: Path, doc: Document, annotations: Sequence[Annotation]) -> None:
    """The one annotator's log of ``doc``, compacted (records sorted by id), schema 2."""
    folder = root / DOCS_DIR / doc_dirname(doc.rel)
    folder.mkdir(parents=True, exist_ok=True)
    records = sorted((to_record(ann) for ann in annotations), key=lambda r: r["id"])
    lines = [header(doc.rel, "bench"), *records]
    body = "".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) + "\n" for x in lines)
    (folder / annotator_filename("bench")).write_text(body, encoding="utf-8")


def _layout(root: Path) -> None:
    (root / DOCS_DIR).mkdir(parents=True, exist_ok=True)
    meta = {"format": "reader-store", "schema": SCHEMA_VERSION}
    (root / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


def tag_document(root: Path, doc: Document, count: int, seed: int = 1) -> None:
    """A store at ``root`` with ``count`` annotations on ``doc`` (none: an empty store)."""
    _layout(root)
    if count:
        rng = random.Random(seed)
        spans = spread_spans(doc, count)
        _write(root, doc, [_annotation(doc, s, rng, i) for i, s in enumerate(spans)])


def tag_library(root: Path, docs: Sequence[Document], count: int, seed: int = 1) -> None:
    """A store at ``root`` with ``count`` annotations spread evenly over ``docs``."""
    _layout(root)
    rng = random.Random(seed)
    for number, doc in enumerate(docs):
        share = count // len(docs) + (1 if number < count % len(docs) else 0)
        if share:
            spans = spread_spans(doc, share)
            _write(root, doc, [_annotation(doc, s, rng, i) for i, s in enumerate(spans)])
