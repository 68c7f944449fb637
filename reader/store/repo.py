"""The annotation store: a typed repository over one TinyDB file per document.

Layout of a store folder (``annotations/`` by default)::

    store.json          {"format": "reader-store", "schema": 1}
    themes.toml         optional theme set (see reader.store.themes)
    .lock               the single-writer lock (flock)
    docs/<name>-<hash>.json       one TinyDB file per document
    docs/<name>-<hash>.json.bak   its previous version

Every change is one transaction: take the lock, re-read the document's file
if another process changed it, apply the change, write the file atomically
and durably, release the lock. When a method returns, its change survives a
``kill -9``; two instances on one store both work and lose nothing.
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from reader.corpus import Document
from reader.errors import OwnershipError, StoreError, UsageError
from reader.store.anchor import first_mismatch, reanchor_stale
from reader.store.docfile import DocFile, gc_paused
from reader.store.lock import LOCK_FILE, StoreLock
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
from reader.store.storage import (
    TMP_SUFFIX,
    atomic_write,
    doc_filename,
    fsync_dir,
    read_regular,
)
from reader.store.themes import ThemeSet, default_themes, load_themes
from reader.store.undo import Change, History

META_FILE = "store.json"
DOCS_DIR = "docs"
STORE_FORMAT = "reader-store"
#: Folder timestamps move in clock ticks; a listing this close to one is not trusted.
_RACY_NS = 2_000_000_000


P = ParamSpec("P")
R = TypeVar("R")


def _serialised(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """One thread at a time in the store (the app reads from workers, writes from the UI)."""

    def wrapper(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex:
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


def default_annotator() -> str:
    """``$READER_ANNOTATOR``, else the login name, else ``analyst``."""
    name = os.environ.get("READER_ANNOTATOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "analyst"
    except (KeyError, OSError):
        return "analyst"


class Store:
    """Annotations of a corpus, kept under ``root``.

    Problems found while loading (damaged files, unknown theme keys) are listed
    in :attr:`problems`, one line each; a damaged document stays readable but
    read-only, and its file is never overwritten.
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
        self._mutex = threading.RLock()
        self.root = Path(root)
        self.annotator = annotator or default_annotator()
        self.read_only = read_only
        self._why_read_only = "opened read-only" if read_only else ""
        self._problems: dict[str, str] = {}
        self._files: dict[str, DocFile] = {}
        self._history = History()
        self._lock = StoreLock(self.root / LOCK_FILE, lock_timeout)
        self._scanned = False
        self._listed: tuple[int, int] | None = None
        """``docs/`` (inode, mtime) when it was last listed; None: list it again."""
        self.themes_problem: str | None = None
        """Why ``themes.toml`` was not used (the defaults were): a line of :attr:`problems`."""
        try:
            self.themes: ThemeSet = load_themes(self.root)
        except StoreError as exc:
            self.themes = default_themes()
            self.themes_problem = f"{exc}; using the default themes"
            self._problems["themes"] = self.themes_problem
        for n, problem in enumerate(self.themes.problems):  # a colour replaced by a default
            self._problems[f"themes {n}"] = problem
        self._check_meta()
        if scan:
            self._scan()

    # --- opening -----------------------------------------------------------------

    def _set_read_only(self, why: str) -> None:
        self.read_only = True
        self._why_read_only = self._why_read_only or why
        self._problems.setdefault("store", why)

    def _check_meta(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            self._set_read_only(f"{self.root}: not a folder; the store is read-only")
            return
        path = self.root / META_FILE
        try:
            raw = read_regular(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            self._set_read_only(f"{path}: {exc.strerror}; the store is read-only")
            return
        try:
            meta = json.loads(raw)
            schema = meta["schema"]
            if not isinstance(schema, int):
                raise TypeError
        except (ValueError, KeyError, TypeError, RecursionError):
            self._set_read_only(f"{path}: not a valid store file; the store is read-only")
            return
        if schema > SCHEMA_VERSION:
            self._set_read_only(
                f"{path}: schema version {schema} is newer than this program's "
                f"({SCHEMA_VERSION}); the store is read-only"
            )

    def _scan(self) -> None:
        """Load every document file, so that all problems are known now."""
        self._scanned = True
        folder = self.root / DOCS_DIR
        if not folder.is_dir():
            return
        if not self.read_only and self._lock.try_acquire():
            try:  # holding the lock, no writer is mid-write: leftovers are stale
                for stale in folder.glob(f".*{TMP_SUFFIX}"):
                    stale.unlink(missing_ok=True)
            finally:
                self._lock.release()
        with gc_paused():
            for file in self._list():
                self._refresh(file)

    def _list(self) -> list[DocFile]:
        """Every document file in ``docs/``, by name, including ones made since the last look."""
        folder = self.root / DOCS_DIR
        try:
            # Taken before listing: a file made while we list changes the folder after it.
            info = os.stat(folder)
            names = sorted(name for name in os.listdir(folder) if name.endswith(".json"))
        except OSError:
            return []
        # The folder's mtime moves on every change of its entries (each write renames a
        # file in), but only as often as the clock ticks: a listing made in the tick of
        # its mtime is looked at again next time.
        recent = time.time_ns() - info.st_mtime_ns < _RACY_NS
        self._listed = None if recent else (info.st_ino, info.st_mtime_ns)
        for name in names:
            if name not in self._files:
                self._files[name] = DocFile(folder / name, read_only=self.read_only)
        return [self._files[name] for name in names]

    def _listing_changed(self) -> bool:
        """Whether ``docs/`` may hold files this store has not listed yet (one ``stat``)."""
        try:
            info = os.stat(self.root / DOCS_DIR)
        except OSError:
            return False
        return self._listed != (info.st_ino, info.st_mtime_ns)

    def _file(self, rel: str) -> DocFile:
        name = doc_filename(rel)
        file = self._files.get(name)
        if file is None:
            file = self._files[name] = DocFile(
                self.root / DOCS_DIR / name, rel, read_only=self.read_only
            )
        elif file.rel is None:
            file.rel = rel
        return file

    def _refresh(self, file: DocFile) -> DocFile:
        file.refresh(self.themes.__contains__)
        self._report(file)
        return file

    def _report(self, file: DocFile) -> None:
        key = str(file.path)
        line = file.problem_line()
        if line:
            self._problems[key] = line
        else:
            self._problems.pop(key, None)

    @property
    @_serialised
    def problems(self) -> list[str]:
        """One line per problem: damaged files (read-only), unknown themes, a read-only store."""
        return list(self._problems.values())

    # --- reading -----------------------------------------------------------------

    @_serialised
    def annotations(self, doc_rel: str, annotator: str | None = None) -> list[Annotation]:
        """The document's annotations in reading order (start, end), or only ``annotator``'s."""
        found = self._refresh(self._file(doc_rel)).annotations()
        return found if annotator is None else [a for a in found if a.annotator == annotator]

    def all_annotations(self, annotator: str | None = None) -> Iterator[Annotation]:
        """Every annotation of the store (or ``annotator``'s), by document then reading order."""
        found = self._all_annotations()
        return iter(found if annotator is None else [a for a in found if a.annotator == annotator])

    @_serialised
    def _all_annotations(self) -> list[Annotation]:
        if not self._scanned:
            self._scan()
        elif self._listing_changed():
            self._list()  # another process made a document file since we looked
        with gc_paused():
            for file in self._files.values():
                self._refresh(file)
        files = sorted(self._files.values(), key=lambda f: (f.rel or "", f.path.name))
        return [ann for file in files for ann in file.annotations()]

    @_serialised
    def find_span(
        self, doc_rel: str, start: int, end: int, annotator: str | None = None
    ) -> Annotation | None:
        """The annotation covering exactly ``[start, end)``, if any.

        Only ``annotator``'s when given; otherwise this store's annotator's own if there
        is one, else another annotator's.
        """
        return _on_span(
            self.annotations(doc_rel), start, end, annotator or self.annotator, annotator is None
        )

    @_serialised
    def get(self, ann_id: str) -> Annotation | None:
        file = self._owner(ann_id)
        return file.by_id.get(ann_id) if file else None

    @_serialised
    def is_writable(self, doc_rel: str) -> bool:
        return not self.read_only and self._refresh(self._file(doc_rel)).damaged is None

    def _owner(self, ann_id: str) -> DocFile | None:
        """The file holding ``ann_id``, as it is on disk now (another process may have moved on)."""
        for attempt in range(2):
            for file in list(self._files.values()):
                if ann_id in self._refresh(file).by_id:
                    return file
            if attempt == 0:
                self._scan()  # files made by another process since we last looked
        return None

    # --- re-anchoring --------------------------------------------------------------

    @_serialised
    def sync(self, doc: Document) -> list[Annotation]:
        """Check the document's annotations against its text; re-anchor if it changed.

        Annotations made on another version of the text are found again by
        quote and context (``reanchored``) or kept as ``orphaned``. Records that
        claim to be made on this very text but do not fit it make the document
        read-only.
        """
        file = self._refresh(self._file(doc.rel))
        if file.checked_sha == doc.sha256:
            return file.annotations()
        if file.damaged is None:
            self._check_offsets(file, doc)
        stale = any(a.doc_sha256 != doc.sha256 or a.status == ORPHANED for a in file.by_id.values())
        if stale and file.damaged is None and not self.read_only:
            try:  # matched inside the lock, on the file as it is now
                self._transact(doc.rel, lambda f: self._rewrite(f, doc))
            except StoreError as exc:
                # Not saved this time (busy, disk full): show it anyway, retry next sync.
                self._problems[f"{file.path}#sync"] = f"{exc}; re-anchoring shown but not saved"
                for ann in self._reanchored(file, doc):
                    file.set_view(ann)
                return file.annotations()
            self._problems.pop(f"{file.path}#sync", None)
        elif stale:
            for ann in self._reanchored(file, doc):
                file.set_view(ann)
        file.checked_sha = doc.sha256
        return file.annotations()

    def _check_offsets(self, file: DocFile, doc: Document) -> None:
        reason = first_mismatch(file.by_id.values(), doc.text, doc.sha256)
        if reason is not None:
            file.mark_damaged(reason)
            self._report(file)

    def _reanchored(self, file: DocFile, doc: Document) -> list[Annotation]:
        """Annotations of ``file`` whose anchoring changes against ``doc``."""
        return reanchor_stale(file.by_id.values(), doc.text, doc.sha256)  # as stored, not shown

    def _rewrite(self, file: DocFile, doc: Document) -> Change | None:
        file.put_many(self._reanchored(file, doc))
        return None

    # --- changes -------------------------------------------------------------------

    def _transact(self, rel: str, build: Callable[[DocFile], Change | None]) -> Change | None:
        """Run ``build`` on the freshly re-read document file, inside the lock."""
        if self.read_only:
            raise StoreError(
                f"store is read-only ({self._why_read_only}); nothing written", self.root
            )
        if not self.root.is_dir():
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                fsync_dir(self.root.parent)  # the new folder itself must survive a power cut
            except OSError as exc:
                raise StoreError(f"cannot create the store: {exc.strerror}", self.root) from None
        with self._lock:
            file = self._refresh(self._file(rel))
            if file.damaged is not None:
                raise StoreError(
                    f"damaged store file ({file.damaged}): {rel!r:.60} is read-only;"
                    " nothing written",
                    file.path,
                )
            if not file.path.parent.is_dir():
                self._create_layout()
            change = build(file)
            if change is not None:
                file.put(change.before, change.after)
            return change

    def _create_layout(self) -> None:
        try:
            (self.root / DOCS_DIR).mkdir(exist_ok=True)
            fsync_dir(self.root)
        except OSError as exc:
            raise StoreError(f"cannot create the store: {exc.strerror}", self.root) from None
        meta = self.root / META_FILE
        if not meta.exists():
            body = {"format": STORE_FORMAT, "schema": SCHEMA_VERSION, "created": now_iso()}
            atomic_write(meta, json.dumps(body, indent=1).encode() + b"\n", backup=False)

    def _check_themes(self, themes: list[str]) -> None:
        if not themes:
            raise UsageError("an annotation needs at least one theme")
        for key in themes:
            if key not in self.themes:
                known = ", ".join(self.themes.keys())
                raise UsageError(f"unknown theme {key!r:.40} (known: {known})")

    @_serialised
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
        self._do(Change(doc.rel, None, ann))
        return ann

    @_serialised
    def toggle_theme(self, doc: Document, start: int, end: int, key: str) -> Annotation | None:
        """Switch theme ``key`` on this annotator's own annotation of exactly this span.

        No annotation of theirs there (even if another annotator has one): one is
        made with ``key``. Removing its last theme deletes the annotation (and
        returns None). Another annotator's annotation is never changed.
        """
        self._check_themes([key])

        def build(file: DocFile) -> Change | None:
            current = _on_span(file.annotations(), start, end, self.annotator, False)
            if current is None:
                return None
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

    @_serialised
    def set_note(self, ann_id: str, note: str) -> Annotation:
        """Replace the note of one of this annotator's own annotations.

        Raises:
            OwnershipError: the annotation is another annotator's (see :meth:`edit`).
        """
        self._check_owner(self._existing(ann_id))
        return self._edit(ann_id, None, note, explicit=False)

    @_serialised
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
                raise StoreError(f"annotation {ann_id!r:.60} was deleted meanwhile", file.path)
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

    @_serialised
    def delete(self, ann_id: str) -> None:
        """Delete one of this annotator's own annotations (undoable).

        Raises:
            OwnershipError: the annotation is another annotator's.
        """
        self._check_owner(self._existing(ann_id))

        def build(file: DocFile) -> Change | None:
            fresh = file.by_id.get(ann_id)
            if fresh is None:
                return None
            self._check_owner(fresh)
            return Change(fresh.doc, fresh, None)

        change = self._transact(self._existing(ann_id).doc, build)
        if change is not None:
            self._history.record(change)

    def _check_owner(self, ann: Annotation) -> None:
        if ann.annotator != self.annotator:
            raise OwnershipError(
                f"this annotation is {ann.annotator!r:.40}'s, not {self.annotator!r:.40}'s:"
                " keys change only your own (edit another's explicitly)"
            )

    @_serialised
    def put(self, ann: Annotation) -> Annotation | None:
        """Store ``ann`` exactly as given, id and dates kept (``reader import``); undoable.

        Inserts it, or replaces the annotation of the same id in the same
        document. Returns the annotation it replaced, if any. Theme keys are not
        checked: unknown ones are kept, reported and make the document read-only,
        as on loading.
        """
        try:  # never write a record that would make the file unreadable as damaged
            from_record(to_record(ann))
        except ValueError as exc:
            raise StoreError(str(exc), self.root) from None
        change = self._transact(ann.doc, lambda file: Change(ann.doc, file.by_id.get(ann.id), ann))
        assert change is not None
        self._history.record(change)
        unknown = {key for key in ann.themes if key not in self.themes}
        if unknown:  # known at once, as a reload would find it
            file = self._file(ann.doc)
            file.hold_unknown_themes(unknown)
            self._report(file)
        return change.before

    def _existing(self, ann_id: str) -> Annotation:
        file = self._owner(ann_id)
        if file is None:
            raise UsageError(f"no annotation with id {ann_id!r:.60}", self.root)
        return file.by_id[ann_id]

    def _do(self, change: Change) -> None:
        self._transact(change.doc, lambda _file: change)
        self._history.record(change)

    # --- undo ------------------------------------------------------------------------

    def _replay(self, change: Change) -> None:
        """Bring the annotation to ``change.after`` from whatever state it is in now."""
        target = change.after.copy(updated=now_iso()) if change.after else None

        def build(file: DocFile) -> Change | None:
            now = file.by_id.get(change.ann_id)
            if now is None and target is None:
                return None
            return Change(change.doc, now, target)

        self._transact(change.doc, build)

    @_serialised
    def undo(self) -> bool:
        """Undo the last change of this session; False when there is none."""
        change = self._history.next_undo()
        if change is None:
            return False
        self._replay(change.inverse())
        self._history.undone()
        return True

    @_serialised
    def redo(self) -> bool:
        """Apply the last undone change again; False when there is none."""
        change = self._history.next_redo()
        if change is None:
            return False
        self._replay(change)
        self._history.redone()
        return True

    @property
    def can_undo(self) -> bool:
        return self._history.can_undo

    @property
    def can_redo(self) -> bool:
        return self._history.can_redo

    @_serialised
    def close(self) -> None:
        """Release the lock file and cached data. Every change is already on disk."""
        self._lock.close()
        for file in self._files.values():
            file.storage.close()


def _on_span(
    annotations: list[Annotation], start: int, end: int, annotator: str, others: bool
) -> Annotation | None:
    """``annotator``'s annotation of exactly ``[start, end)``; with ``others``, else anyone's."""
    other = None
    for ann in annotations:
        if ann.start == start and ann.end == end and ann.status != ORPHANED:
            if ann.annotator == annotator:
                return ann
            if other is None and others:
                other = ann
    return other
