"""Reading a store: annotations, documents, counts, and re-anchoring on open.

:class:`StoreReads` is the part of :class:`reader.store.Store` that reads: a
document's annotations (its files read when first asked for, then only what other
processes appended), all of them, the documents and annotators a store holds, the
tag counts per document (from the cache of what each file held when it still fits),
and ``sync``, which checks a document's annotations against its text and re-anchors
them when it changed.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from reader.corpus import Document
from reader.errors import StoreError
from reader.store.anchor import first_mismatch, reanchor_stale
from reader.store.bulk import PlainSource
from reader.store.docfile import DocFile, gc_paused
from reader.store.files import StoreFiles, serialised
from reader.store.folder import DOCS_DIR
from reader.store.journal import read_first_line
from reader.store.logcheck import check_header
from reader.store.model import ORPHANED, SCHEMA_VERSION, Annotation, to_record
from reader.store.names import LEGACY_SUFFIX, doc_dirname
from reader.store.undo import Change


class StoreReads(StoreFiles):
    """The reading half of a store (see :class:`reader.store.Store`)."""

    # --- reading -----------------------------------------------------------------

    @serialised
    def annotations(self, doc_rel: str, annotator: str | None = None) -> list[Annotation]:
        """The document's annotations in reading order (start, end), or only ``annotator``'s."""
        found = self._refresh(self._file(doc_rel)).annotations()
        return found if annotator is None else [a for a in found if a.annotator == annotator]

    def all_annotations(self, annotator: str | None = None) -> Iterator[Annotation]:
        """Every annotation of the store (or ``annotator``'s), by document then reading order."""
        found = self._all_annotations()
        return iter(found if annotator is None else [a for a in found if a.annotator == annotator])

    @serialised
    def _all_annotations(self) -> list[Annotation]:
        if not self._scanned:
            self._scan()
        elif self._listing_changed():
            self._list()  # another process made a document folder since we looked
        with gc_paused():
            for file in self._files.values():
                self._refresh(file)
        files = sorted(self._files.values(), key=lambda f: (f.rel or "", f.folder.name))
        return [ann for file in files for ann in file.annotations()]

    def plain_records(self, rel: str, doc: Document | None) -> list[dict[str, Any]] | None:
        """The document's records as plain dicts (unsorted) when they are the usual case —
        what ``sync(doc)`` (or ``annotations(rel)`` without ``doc``) would give, unchanged,
        with no problem to report — else None (:mod:`reader.store.bulk`): the export's
        fast read. Nothing of the document is kept."""
        source = self.plain_source(rel, doc)
        if source is None:
            return None
        with gc_paused():
            return source.read()

    @serialised
    def plain_source(self, rel: str, doc: Document | None) -> PlainSource | None:
        """What :meth:`plain_records` reads, as a value another process can read it from
        (the export's helpers), or None when the document must be read the usual way
        whatever its files hold: a store of an older schema, a document this instance has
        read already (it knows more than the files), a schema-1 file beside the logs."""
        name = doc_dirname(rel)
        held = self._files.get(name)
        if self.schema < SCHEMA_VERSION or (held is not None and held.read_once):
            return None
        if os.path.lexists(self.root / DOCS_DIR / (name + LEGACY_SUFFIX)):
            return None  # a schema-1 file left beside the logs
        return PlainSource(
            self.root / DOCS_DIR / name,
            rel,
            frozenset(self.themes.keys()),
            None if doc is None else doc.text,
            None if doc is None else doc.sha256,
        )

    @serialised
    def documents(self) -> list[str]:
        """The documents (their paths) this store holds annotation files of, sorted.

        Reads no record: a document's path is in its folder's name (hashed) and in the
        first line of each of its files.
        """
        rels = set()
        for file in self._list():
            if file.rel is None:
                file.rel = self._peek_rel(file)
            if file.rel is not None:
                rels.add(file.rel)
        return sorted(rels)

    @serialised
    def annotators(self) -> set[str]:
        """Everyone with annotations in this store (read from the files' first lines)."""
        names: set[str] = set()
        for file in self._list():
            file.list_logs()
            for name, log in file.logs.items():
                if log.annotator is None:
                    head = read_first_line(log.path)
                    log.annotator = check_header(head, None, file.folder.name, name)[1]
                if log.annotator is not None:
                    names.add(log.annotator)
            if file.legacy is not None:
                self._refresh(file)
                names.update(ann.annotator for ann in file.legacy.records.values())
        return names

    @serialised
    def release(self, doc_rel: str) -> None:
        """Forget what was read of a document (it is read again when next asked for):
        what a reader of a big store does after each document, to hold one at a time."""
        file = self._files.pop(doc_dirname(doc_rel), None)
        if file is not None:
            file.close()

    @serialised
    def counts(self, doc_rel: str) -> Counter[str]:
        """How many of the document's annotations carry each theme key (reads its files)."""
        file = self._refresh(self._file(doc_rel))
        return Counter({key: n for key, n in file.counts.items() if n > 0})

    @serialised
    def known_counts(self, rels: Iterable[str]) -> tuple[dict[str, Counter[str]], list[str]]:
        """The counts of these documents that need no annotation file read, and the others.

        Known: a document without annotation files (none), one this instance has read (as
        it is now), one whose files are exactly as the cache (``.logs.json``) describes them
        (a listing and an ``lstat`` per file). The rest must be read to be counted
        (:meth:`count_and_release`, in a worker): what start-up never waits for.
        """
        try:
            present = set(os.listdir(self.root / DOCS_DIR))
        except OSError:
            present = set()
        known: dict[str, Counter[str]] = {}
        unknown: list[str] = []
        for rel in rels:
            name = doc_dirname(rel)
            file = self._files.get(name)
            if file is not None and file.read_once:
                counts = self._refresh(file).counts
                known[rel] = Counter({k: n for k, n in counts.items() if n > 0})
            elif name not in present and name + LEGACY_SUFFIX not in present:
                known[rel] = Counter()
            elif name + LEGACY_SUFFIX in present or self.schema < SCHEMA_VERSION:
                unknown.append(rel)
            else:
                cached = self._cache.counts(self.root / DOCS_DIR / name)
                if cached is None:
                    unknown.append(rel)
                else:
                    known[rel] = Counter({k: n for k, n in cached.items() if n > 0})
        return known, unknown

    def count_and_release(self, doc_rel: str) -> Counter[str]:
        """Read a document's files to count them, remember the counts, and let the files go
        (unless this instance was holding the document already)."""
        with self._mutex:
            held = doc_dirname(doc_rel) in self._files and self._file(doc_rel).read_once
            file = self._refresh(self._file(doc_rel))
            counts = Counter({key: n for key, n in file.counts.items() if n > 0})
            self._remember_doc(file)
            if not held:
                self.release(doc_rel)
            return counts

    @serialised
    def save_cache(self) -> None:
        """Write what was learnt of the files (``.logs.json``) now, not only on close."""
        if not self.read_only:
            self._cache.save()

    @serialised
    def find_span(
        self, doc_rel: str, start: int, end: int, annotator: str | None = None
    ) -> Annotation | None:
        """The annotation covering exactly ``[start, end)``, if any.

        Only ``annotator``'s when given; otherwise this store's annotator's own if there
        is one, else another annotator's.
        """
        found = [
            a
            for a in self._refresh(self._file(doc_rel)).on_span(start, end)
            if a.status != ORPHANED and (annotator is None or a.annotator == annotator)
        ]
        mine = [a for a in found if a.annotator == self.annotator]
        return next(iter(mine or found), None)

    @serialised
    def get(self, ann_id: str) -> Annotation | None:
        file = self._owner(ann_id)
        return file.by_id.get(ann_id) if file else None

    @serialised
    def is_writable(self, doc_rel: str) -> bool:
        """Whether this annotator's annotations of the document can be written."""
        if self.read_only:
            return False
        return self._refresh(self._file(doc_rel)).refusal(self.annotator) is None

    def _owner(self, ann_id: str) -> DocFile | None:
        """The document holding ``ann_id``, as it is on disk now."""
        for file in list(self._files.values()):
            if ann_id in file.by_id and ann_id in self._refresh(file).by_id:
                return file
        self._all_annotations()  # files made or changed by another process since we looked
        return next((f for f in self._files.values() if ann_id in f.by_id), None)

    # --- re-anchoring --------------------------------------------------------------

    @serialised
    def sync(self, doc: Document) -> list[Annotation]:
        """Check the document's annotations against its text; re-anchor if it changed.

        Annotations made on another version of the text are found again by quote
        and context (``reanchored``) or kept as ``orphaned``: this annotator's are
        written so, others' are shown so (their owner writes them). A record that
        claims to be made on this very text but does not fit it makes its file
        read-only.
        """
        file = self._refresh(self._file(doc.rel))
        if file.checked_sha == doc.sha256:
            return file.annotations()
        for log in file.logs.values():
            log.mismatch = first_mismatch(log.records.values(), doc.text, doc.sha256)
        self._report(file)
        moved = reanchor_stale(file.by_id.values(), doc.text, doc.sha256)
        mine = [a for a in moved if a.annotator == self.annotator]
        if mine and file.refusal(self.annotator) is None and not self.read_only:
            try:  # matched inside the lock, on the files as they are now
                self._transact(doc.rel, lambda f: self._rewrite(f, doc))
            except StoreError as exc:
                # Not saved this time (busy, disk full): show it anyway, retry next sync.
                self._problems[f"{file.folder}#sync"] = f"{exc}; re-anchoring shown but not saved"
                for ann in moved:
                    file.set_view(ann)
                return file.annotations()
            self._problems.pop(f"{file.folder}#sync", None)
            moved = [a for a in moved if a.annotator != self.annotator]
        for ann in moved:
            file.set_view(ann)
        file.checked_sha = doc.sha256
        return file.annotations()

    def _rewrite(self, file: DocFile, doc: Document) -> Change | None:
        moved = reanchor_stale(file.by_id.values(), doc.text, doc.sha256)  # as stored, not shown
        mine = [to_record(a) for a in moved if a.annotator == self.annotator]
        if mine:
            file.write(self.annotator, mine)
        return None
