"""Collecting what an export or the statistics show: annotations, themes, documents.

Shared by ``reader export``, ``reader stats`` and the app's dialogs, so that all
of them select the same passages the same way.

``reader export`` *streams* (``gather(..., stream=True)``): the annotations are read
one document at a time while they are written, and each document's are dropped once
written, so that exporting a million annotations holds one document's in memory, not
all of them (:class:`Streamed`). Its :meth:`Streamed.batches` gives the writers that can
take them (``jsonl``, ``csv``) each document's records as the store's plain dicts when the
store can vouch for them without building an annotation per record
(:meth:`reader.store.Store.plain_records`), and as annotations otherwise: the same rows.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, overload

from reader.corpus import Document
from reader.errors import UsageError
from reader.export.ahead import Renderer, ahead_of, choose
from reader.export.records import ExportData, select
from reader.export.sources import Corpus
from reader.store import Annotation, Store
from reader.store.bulk import PlainSource
from reader.store.docfile import gc_paused


def gather(
    store: Store,
    corpus: Corpus,
    themes: Sequence[str] = (),
    docs: Sequence[str] = (),
    annotators: Sequence[str] = (),
    *,
    stream: bool = False,
    helpers: int = 0,
) -> ExportData:
    """The store's annotations, filtered by theme keys, ``--doc`` arguments and annotators
    (``--by``: whose annotations; ``--annotator`` always means who *you* are).

    Every document found in the corpus is synced first (:meth:`Store.sync`), so
    passages of an edited document are exported where they are now (or as
    orphaned); on a read-only store this happens in memory only. With ``stream``,
    that happens document by document as the annotations are read (the store must
    stay open until they are), and a writer that can may have up to ``helpers`` helper
    processes render documents ahead once the export is big (:mod:`reader.export.ahead`).

    Raises:
        UsageError: a theme key neither in the theme set nor used by any
            annotation, a ``--doc`` that names no document, or an annotator who
            made no annotation in the store.
    """
    if annotators:
        names = store.annotators() if stream else {a.annotator for a in store.all_annotations()}
        for name in annotators:
            if name not in names:
                known = ", ".join(sorted(names)) or "none"
                raise UsageError(f"--by: no annotation by {name!r:.40} (annotators: {known})")
    unknown = [key for key in themes if key not in store.themes]
    if unknown:  # a key only the records use is fine: look at them only then
        used = {key for ann in store.all_annotations() for key in ann.themes}
        for key in unknown:
            if key not in used:
                known = ", ".join(store.themes.keys())
                raise UsageError(f"unknown theme {key!r:.40} (known: {known})")
    held = store.documents() if stream else sorted({a.doc for a in store.all_annotations()})
    wanted = corpus.doc_keys(docs, held) if docs else set()
    documents = corpus.load(wanted or held)
    if stream:
        chosen = [rel for rel in held if not wanted or rel in wanted]
        streamed = Streamed(store, chosen, documents, themes, annotators, helpers)
        return ExportData(streamed, store.themes, documents)
    for doc in documents.values():
        if doc.rel in held:
            store.sync(doc)
    picked = select(store.all_annotations(), themes, wanted, annotators)
    return ExportData(picked, store.themes, documents)


def with_untagged(data: ExportData, corpus: Corpus) -> ExportData:
    """``data`` with every document of the corpus among its documents, so that statistics
    list the ones without a passage too (``0``). Unreadable ones go to the corpus's
    problems. The documents are read: statistics need their length."""
    missing = set(corpus.entries) - set(data.documents)
    data.documents.update(corpus.load(missing))
    return data


@dataclass(frozen=True, slots=True)
class Batch:
    """One document's chosen annotations in export order, either as plain records (each
    exactly what ``to_record`` gives of its annotation, fields in the store's order), as
    annotations, or already written in the format by a helper (``rendered``, ``count``
    records); the other fields are empty."""

    records: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    text: str | None = None
    """The document's text every record's quote was checked to be part of, if one was."""
    rendered: bytes | None = None
    count: int = 0

    def __len__(self) -> int:
        return len(self.records) + len(self.annotations) + self.count


def batches(
    annotations: Sequence[Annotation], renderer: Renderer | None = None
) -> Generator[Batch, None, None]:
    """``annotations`` a document at a time when streamed from the store (plain records
    where it can, rendered ahead by ``renderer`` in helpers where it may), else as one
    batch of annotations."""
    if isinstance(annotations, Streamed):
        yield from annotations.batches(renderer)
    else:
        yield Batch(annotations=list(annotations))


class Streamed(Sequence[Annotation]):
    """The annotations of some documents, read from the store one document at a time.

    Iterating yields them in export order (document, start, end, id) and releases
    each document once done with it; ``len`` counts in a pass of its own; indexing
    reads them all into a list (kept).
    """

    def __init__(
        self,
        store: Store,
        rels: list[str],
        documents: dict[str, Document],
        themes: Sequence[str],
        annotators: Sequence[str],
        helpers: int = 0,
    ) -> None:
        self.store, self.rels, self.documents = store, rels, documents
        self.themes, self.annotators = themes, annotators
        self.helpers = helpers
        self._len: int | None = None
        self._all: list[Annotation] | None = None

    def _document(self, rel: str) -> list[Annotation]:
        doc = self.documents.get(rel)
        found = self.store.sync(doc) if doc is not None else self.store.annotations(rel)
        return select(found, self.themes, (), self.annotators)  # sorted in export order

    def __iter__(self) -> Iterator[Annotation]:
        if self._all is not None:
            yield from self._all
            return
        for rel in self.rels:
            chosen = self._document(rel)
            self.store.release(rel)
            yield from chosen

    def batches(self, renderer: Renderer | None = None) -> Generator[Batch, None, None]:
        """Each document's annotations, as :class:`Batch`, releasing each once read.

        With ``renderer`` and helpers allowed, documents ahead are rendered by helper
        processes once :data:`~reader.export.ahead.START_AFTER` records were given out.
        """
        if self._all is not None:
            yield Batch(annotations=self._all)
            return
        ahead = ahead_of(
            self.rels, self._source, renderer, self.themes, self.annotators, self.helpers
        )
        # No cyclic collection meanwhile: a document's records make no cycles and are freed
        # as soon as written; paused per document instead, each pause's end collected the
        # last document's records, alive still, and promoted them: full collections of
        # everything, ~1 ms a document.
        with gc_paused(), ahead or nullcontext():
            for at, rel in enumerate(self.rels):
                done = None if ahead is None else ahead.take(at)
                chosen = (
                    self._batch(rel) if done is None else Batch(rendered=done[1], count=done[0])
                )
                self.store.release(rel)
                if ahead is not None:
                    ahead.written(at, len(chosen))
                yield chosen

    def _source(self, rel: str) -> PlainSource | None:
        return self.store.plain_source(rel, self.documents.get(rel))

    def _batch(self, rel: str) -> Batch:
        doc = self.documents.get(rel)
        records = self.store.plain_records(rel, doc)
        if records is None:
            return Batch(annotations=self._document(rel))
        return Batch(
            choose(records, self.themes, self.annotators),
            text=None if doc is None else doc.text,  # (plain_records checked them)
        )

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum(map(len, self.batches())) if self._all is None else len(self._all)
        return self._len

    @overload
    def __getitem__(self, index: int) -> Annotation: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Annotation]: ...

    def __getitem__(self, index: int | slice) -> Annotation | Sequence[Annotation]:
        if self._all is None:
            self._all = list(self)
        return self._all[index]
