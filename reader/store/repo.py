"""The annotation store: a typed repository over one log file per annotator and document.

See :mod:`reader.store.folder` for the layout, :mod:`reader.store.journal` for the
files, ``docs/STORE.md`` for the whole contract. Every change is one transaction:
take the lock, read what other processes appended to the document's files since
this one last looked, apply the change, append it durably, release the lock. When
a method returns, its change survives a ``kill -9``; two instances on one store
both work and lose nothing.

Ownership: an instance is opened for one annotator. Its plain changes (a theme
key, a note, a delete) act on that annotator's own annotations only; another's
changes only through :meth:`Store.edit`, which records who, when and what.
"""

from __future__ import annotations

import getpass
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from reader.corpus import Document
from reader.errors import OwnershipError, StoreError, UsageError
from reader.store.anchor import first_mismatch, reanchor_stale
from reader.store.docfile import DocFile, gc_paused
from reader.store.files import StoreFiles, serialised

# Where other modules have looked for these (they live in reader.store.folder).
from reader.store.folder import DOCS_DIR as DOCS_DIR
from reader.store.folder import META_FILE as META_FILE
from reader.store.journal import read_first_line
from reader.store.logcheck import check_header
from reader.store.model import (
    ANCHORED,
    ORPHANED,
    SCHEMA_VERSION,
    Annotation,
    context,
    edit_entry,
    from_record,
    new_id,
    now_iso,
    to_record,
)
from reader.store.names import LEGACY_SUFFIX, doc_dirname
from reader.store.rebase import UNCHANGED, Refused, rebase
from reader.store.undo import Change, History


def default_annotator() -> str:
    """``$READER_ANNOTATOR``, else the login name, else ``analyst``."""
    name = os.environ.get("READER_ANNOTATOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "analyst"
    except (KeyError, OSError):
        return "analyst"


class Store(StoreFiles):
    """Annotations of a corpus, kept under ``root``.

    Problems found while loading (damaged files, unknown theme keys) are listed
    in :attr:`problems`, one line each; a damaged file stays readable but is
    never written, and its annotator's annotations of that document are read-only.
    """

    def __init__(
        self,
        root: Path | str,
        annotator: str | None = None,
        *,
        read_only: bool = False,
        scan: bool = True,
        lock_timeout: float = 10.0,
    ) -> None:
        super().__init__(
            root, annotator or default_annotator(), read_only=read_only, lock_timeout=lock_timeout
        )
        self._history = History()
        if scan:
            self._scan()

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

    # --- changes -------------------------------------------------------------------

    def _check_themes(self, themes: list[str]) -> None:
        if not themes:
            raise UsageError("an annotation needs at least one theme")
        for key in themes:
            if key not in self.themes:
                known = ", ".join(self.themes.keys())
                raise UsageError(f"unknown theme {key!r:.40} (known: {known})")

    @serialised
    def add(
        self, doc: Document, start: int, end: int, themes: list[str], note: str = ""
    ) -> Annotation:
        """Record a new annotation of ``doc.text[start:end]``; durable on return."""
        if not 0 <= start < end <= len(doc.text):
            raise UsageError(
                f"range {start}–{end} is not inside the text (0–{len(doc.text)})", doc.path
            )
        self._check_themes(themes)
        quote, prefix, suffix = context(doc.text, start, end)
        now = now_iso()
        ann = Annotation(
            new_id(), doc.rel, doc.sha256, start, end, quote, prefix, suffix,
            list(dict.fromkeys(themes)), note, self.annotator, now, now, ANCHORED,
        )  # fmt: skip
        if not self._append_new(doc.rel, to_record(ann), ann.themes):
            self._transact(doc.rel, lambda _file: Change(doc.rel, None, ann))
        self._history.record(Change(doc.rel, None, ann))
        return ann

    @serialised
    def toggle_theme(self, doc: Document, start: int, end: int, key: str) -> Annotation | None:
        """Switch theme ``key`` on this annotator's own annotation of exactly this span.

        No annotation of theirs there (even if another annotator has one): one is
        made with ``key``. Removing its last theme deletes the annotation (and
        returns None). Another annotator's annotation is never changed.
        """
        self._check_themes([key])

        def build(file: DocFile) -> Change | None:
            current = next(
                (
                    a
                    for a in file.on_span(start, end)
                    if a.annotator == self.annotator and a.status != ORPHANED
                ),
                None,
            )
            if current is None:
                return None
            current = file.by_id[current.id]  # as stored, not as shown
            themes = [t for t in current.themes if t != key]
            if len(themes) == len(current.themes):
                themes.append(key)
            after = current.copy(themes=themes, updated=now_iso()) if themes else None
            return Change(doc.rel, current, after)

        change = self._transact(doc.rel, build)
        if change is None:
            return self.add(doc, start, end, [key])
        self._history.record(change)
        return change.after

    @serialised
    def set_note(self, ann_id: str, note: str) -> Annotation:
        """Replace the note of one of this annotator's own annotations.

        Raises:
            OwnershipError: the annotation is another annotator's (see :meth:`edit`).
        """
        self._check_owner(self._existing(ann_id))
        return self._edit(ann_id, None, note, explicit=False)

    @serialised
    def edit(
        self, ann_id: str, *, themes: list[str] | None = None, note: str | None = None
    ) -> Annotation:
        """Change the themes and/or note of any annotation, another annotator's included.

        The explicit way to change another's annotation: the change is recorded on
        the record (``edits``: who, when, each field from what to what); the
        annotation stays its annotator's. On one's own annotation it is a plain edit.
        Undoable like any change.
        """
        if themes is not None:
            self._check_themes(themes)
            themes = list(dict.fromkeys(themes))
        return self._edit(ann_id, themes, note, explicit=True)

    def _edit(
        self, ann_id: str, themes: list[str] | None, note: str | None, *, explicit: bool
    ) -> Annotation:
        current = self._existing(ann_id)

        def build(file: DocFile) -> Change | None:
            fresh = file.by_id.get(ann_id)
            if fresh is None:
                raise StoreError(f"annotation {ann_id!r:.60} was deleted meanwhile", file.folder)
            if not explicit:
                self._check_owner(fresh)
            after = fresh.copy(
                themes=fresh.themes if themes is None else themes,
                note=fresh.note if note is None else note,
            )
            if after == fresh:
                return None
            after.updated = now_iso()
            if fresh.annotator != self.annotator:
                entry = edit_entry(self.annotator, after.updated, fresh, after)
                assert entry is not None  # after differs from fresh in an editable field
                after.edits.append(entry)
            return Change(current.doc, fresh, after)

        change = self._transact(current.doc, build)
        if change is None:
            return self._existing(ann_id)
        assert change.after is not None
        self._history.record(change)
        return change.after

    @serialised
    def delete(self, ann_id: str) -> None:
        """Delete one of this annotator's own annotations (undoable).

        Raises:
            OwnershipError: the annotation is another annotator's.
        """
        current = self._existing(ann_id)
        self._check_owner(current)

        def build(file: DocFile) -> Change | None:
            fresh = file.by_id.get(ann_id)
            if fresh is None:
                return None
            self._check_owner(fresh)
            return Change(fresh.doc, fresh, None)

        change = self._transact(current.doc, build)
        if change is not None:
            self._history.record(change)

    def _check_owner(self, ann: Annotation) -> None:
        if ann.annotator != self.annotator:
            raise OwnershipError(
                f"this annotation is {ann.annotator!r:.40}'s, not {self.annotator!r:.40}'s:"
                " keys change only your own (edit another's explicitly)"
            )

    @serialised
    def put(self, ann: Annotation) -> Annotation | None:
        """Store ``ann`` exactly as given, id and dates kept (``reader import``); undoable.

        Inserts it into its annotator's file, or replaces the annotation of the same
        id there. Returns the annotation it replaced, if any. Theme keys are not
        checked: unknown ones are kept and reported, and the document stays writable.
        """
        try:  # never write a record that would make the file unreadable as damaged
            from_record(to_record(ann))
        except ValueError as exc:
            raise StoreError(str(exc), self.root) from None

        def build(file: DocFile) -> Change:
            before = file.by_id.get(ann.id)
            if before is not None and before.annotator != ann.annotator:
                raise StoreError(
                    f"id {ann.id!r:.40} is already {before.annotator!r:.40}'s annotation",
                    file.folder,
                )
            return Change(ann.doc, before, ann)

        change = self._transact(ann.doc, build)
        assert change is not None
        self._history.record(change)
        return change.before

    def _existing(self, ann_id: str) -> Annotation:
        file = self._owner(ann_id)
        if file is None:
            raise UsageError(f"no annotation with id {ann_id!r:.60}", self.root)
        return file.by_id[ann_id]

    # --- undo ------------------------------------------------------------------------

    def _replay(self, change: Change) -> None:
        """Apply ``change`` onto the annotation as it is now: only what the change changed
        (:func:`reader.store.rebase.rebase`), or refuse if another instance changed it."""

        def build(file: DocFile) -> Change | None:
            now = file.by_id.get(change.ann_id)
            target = rebase(change.before, change.after, now)
            if target is UNCHANGED:
                return None
            assert target is None or isinstance(target, Annotation)
            return Change(change.doc, now, target)

        self._transact(change.doc, build)

    def _step(self, which: str) -> bool:
        change = self._history.next_undo() if which == "undo" else self._history.next_redo()
        if change is None:
            return False
        try:
            self._replay(change.inverse() if which == "undo" else change)
        except Refused as exc:
            # It can never apply now: the history moves past it, so the next key goes on.
            self._history.drop(which)
            raise Refused(
                f"not {which}ne: {exc.reason} (the {which} history moves past it); nothing written"
            ) from None
        if which == "undo":
            self._history.undone()
        else:
            self._history.redone()
        return True

    @serialised
    def undo(self) -> bool:
        """Undo the last change of this session; False when there is none.

        Only what that change changed is reverted, onto the annotation as it is now.

        Raises:
            StoreError: another instance changed it since in a way the undo would revert
                (one line; nothing written; the history moves past that change).
        """
        return self._step("undo")

    @serialised
    def redo(self) -> bool:
        """Apply the last undone change again; False when there is none (see :meth:`undo`)."""
        return self._step("redo")

    @property
    def can_undo(self) -> bool:
        return self._history.can_undo

    @property
    def can_redo(self) -> bool:
        return self._history.can_redo

    @serialised
    def close(self) -> None:
        """Compact the small files this instance wrote, release the lock and cached data.

        Every change is on disk already: closing is not needed to keep it.
        """
        self._compact_all()
        if not self.read_only:
            self._remember()
        self._lock.close()
        for file in self._files.values():
            file.close()
        self._files.clear()
