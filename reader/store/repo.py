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
from pathlib import Path

from reader.corpus import Document
from reader.errors import OwnershipError, StoreError, UsageError
from reader.store.docfile import DocFile
from reader.store.files import serialised

# Where other modules have looked for these (they live in reader.store.folder).
from reader.store.folder import DOCS_DIR as DOCS_DIR
from reader.store.folder import META_FILE as META_FILE
from reader.store.model import (
    ANCHORED,
    ORPHANED,
    Annotation,
    context,
    edit_entry,
    from_record,
    new_id,
    now_iso,
    to_record,
)
from reader.store.reading import StoreReads
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


class Store(StoreReads):
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
        self.note_corpus(doc)
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
        self.note_corpus(doc)
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

    @serialised
    def put_many(self, doc_rel: str, anns: list[Annotation]) -> dict[str, str]:
        """Store annotations of one document exactly as given (an import), in one write
        per annotator's file: O(the records), not a durable write each. Each is undoable,
        as :meth:`put` is (undo, record by record, is what rolls an import back).

        Returns:
            Why each annotation that was not written was refused, by id (one line each).

        Raises:
            StoreError: nothing could be written (a damaged file, a read-only folder).
        """
        refused: dict[str, str] = {}
        valid: list[tuple[Annotation, dict[str, object]]] = []
        # By id: a new file is then written compacted already (sorted), not rewritten after.
        for ann in sorted(anns, key=lambda a: a.id):
            record = to_record(ann)
            try:  # never write a record that would make the file unreadable as damaged
                from_record(record)
            except ValueError as exc:
                refused[ann.id] = str(exc)
                continue
            if ann.doc != doc_rel:
                refused[ann.id] = f"is a record of {ann.doc!r:.60}, not of {doc_rel!r:.60}"
            else:
                valid.append((ann, record))

        def build(file: DocFile) -> None:
            by_annotator: dict[str, list[tuple[Annotation, dict[str, object]]]] = {}
            for ann, record in valid:
                held = file.by_id.get(ann.id)
                if held is not None and held.annotator != ann.annotator:
                    refused[ann.id] = f"id is already {held.annotator!r:.40}'s annotation"
                else:
                    by_annotator.setdefault(ann.annotator, []).append((ann, record))
            for annotator, group in by_annotator.items():
                blocked = file.refusal(annotator)  # a damaged file: its records, not the rest
                if blocked is not None:
                    for ann, _ in group:
                        refused[ann.id] = f"{blocked[0]}: {blocked[1]}; not written"
                    continue
                changes = [Change(doc_rel, file.by_id.get(ann.id), ann) for ann, _ in group]
                file.write(annotator, [record for _, record in group], [ann for ann, _ in group])
                for change in changes:
                    self._history.record(change)

        if valid:
            self._transact(doc_rel, lambda file: build(file))
        return refused

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
