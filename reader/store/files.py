"""The files under a store: opening it, finding documents' files, problems, transactions.

:class:`StoreFiles` is the part of :class:`reader.store.Store` that deals with the
folder: reading ``store.json``, upgrading a schema-1 store, listing ``docs/``,
keeping each document's :class:`~reader.store.docfile.DocFile` up to date, the
problem lines, and the one-writer transaction: take the lock, catch up with what
other processes wrote, apply the change, append it durably, release.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from reader.corpus import Document
from reader.errors import StoreError
from reader.store.corpus_memory import document_folder, remember_folder
from reader.store.counts import LogCache, LogEntry, append_new
from reader.store.docfile import CLOSE_COMPACT_BYTES, DocFile, gc_paused, listing_stamp
from reader.store.folder import (
    DOCS_DIR,
    create_layout,
    has_legacy_files,
    read_meta,
    remove_stale_temporaries,
)
from reader.store.journal import read_first_line
from reader.store.legacy import LegacyFile
from reader.store.lock import LOCK_FILE, StoreLock
from reader.store.logcheck import check_header
from reader.store.model import SCHEMA_VERSION
from reader.store.names import LEGACY_SUFFIX, annotator_filename, doc_dirname
from reader.store.themes import ThemeSet, default_themes, load_themes
from reader.store.undo import Change
from reader.store.upgrade import upgrade

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreFiles")


def serialised(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """One thread at a time in the store (the app reads from workers, writes from the UI)."""

    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex:
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


class StoreFiles:
    """A store folder's files, as this process last read or wrote them."""

    def __init__(self, root: Path | str, annotator: str, *, read_only: bool, lock_timeout: float):
        self._mutex = threading.RLock()
        self.root = Path(root)
        self.annotator = annotator
        self.read_only = read_only
        self.upgraded: str | None = None
        """What opening the store upgraded (one line), if it did."""
        self._why_read_only = "opened read-only" if read_only else ""
        self._problems: dict[str, str] = {}
        self._doc_problems: dict[str, dict[str, str]] = {}
        self._files: dict[str, DocFile] = {}
        """By folder name (``doc_dirname``)."""
        self._lock = StoreLock(self.root / LOCK_FILE, lock_timeout)
        self._scanned = False
        self._listed: tuple[int, int] | None = None
        """``docs/`` (inode, mtime) when it was last listed; None: list it again."""
        self._laid_out = False
        self._swept = False
        self._corpus_noted: set[Path] = set()
        """The corpus folders this instance knows ``.corpus.json`` holds."""
        self._cache = LogCache(self.root, read_only=read_only)
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
        meta = read_meta(self.root)
        if meta.problem is not None:
            self._set_read_only(meta.problem)
        legacy = has_legacy_files(self.root)
        self.schema = meta.schema or (1 if legacy else SCHEMA_VERSION)
        if not self.read_only and (self.schema < SCHEMA_VERSION or legacy):
            self._upgrade()

    def _set_read_only(self, why: str) -> None:
        self.read_only = True
        self._why_read_only = self._why_read_only or why
        self._problems.setdefault("store", why)

    def _upgrade(self) -> None:
        try:
            with self._lock:
                done = upgrade(self.root)
        except StoreError as exc:
            self._set_read_only(f"{exc}; not upgraded to schema {SCHEMA_VERSION}: read-only")
            return
        self.schema = SCHEMA_VERSION
        if done is not None:
            self.upgraded = done.line()

    # --- documents' files -------------------------------------------------------------

    def _scan(self) -> None:
        """Load every document's files, so that all problems are known now."""
        self._scanned = True
        self.remove_stale_temporaries()
        with gc_paused():
            for file in self._list():
                self._refresh(file)

    def remove_stale_temporaries(self) -> int:
        """Remove temporary files killed writers left anywhere in the store; how many.

        Needs the lock, taken only if it is free (a writer holding it may be writing
        them), and never created: a read-only store may clean up too.
        """
        if not (self.root / LOCK_FILE).exists() or not self._lock.try_acquire():
            return 0
        try:
            removed = remove_stale_temporaries(self.root, locked_only=False)
            docs = self.root / DOCS_DIR
            removed += remove_stale_temporaries(docs)
            try:
                with os.scandir(docs) as entries:
                    folders = [e.path for e in entries if e.is_dir(follow_symlinks=False)]
            except OSError:
                folders = []
            for folder in folders:
                removed += remove_stale_temporaries(Path(folder))
        finally:
            self._lock.release()
        return removed

    def _list(self) -> list[DocFile]:
        """Every document of ``docs/``, by name, including ones made since the last look."""
        folder = self.root / DOCS_DIR
        try:
            info = os.stat(folder)  # before listing: an entry made meanwhile changes it after
            with os.scandir(folder) as entries:
                found = sorted(
                    (e.name, e.is_dir(follow_symlinks=False))
                    for e in entries
                    if not e.name.startswith(".")
                )
        except OSError:
            return []
        self._listed = listing_stamp(info)
        legacy = {n.removesuffix(LEGACY_SUFFIX) for n, is_dir in found if n.endswith(LEGACY_SUFFIX)}
        dirs = {n for n, is_dir in found if is_dir}
        names = sorted(dirs | legacy if self.schema >= SCHEMA_VERSION else legacy)
        for name in names:
            if name not in self._files:
                self._doc(name, None, has_legacy=name in legacy)
        return [self._files[name] for name in names]

    def _peek_rel(self, file: DocFile) -> str | None:
        """The document of a folder not read yet: the cache's, or its first file's header."""
        known = self._cache.doc(file.folder.name)
        rel = known.get("rel") if known else None
        if isinstance(rel, str) and doc_dirname(rel) == file.folder.name:
            return rel
        file.list_logs()  # what the first refresh would list anyway
        for name in sorted(file.logs):
            head = read_first_line(file.folder / name)
            found = check_header(head, None, file.folder.name, name)[0] if head else None
            if found is not None:
                return found
        self._refresh(file)  # a schema-1 file, or nothing readable: read it all
        return file.rel

    def _listing_changed(self) -> bool:
        """Whether ``docs/`` may hold files this store has not listed yet (one ``stat``)."""
        try:
            info = os.stat(self.root / DOCS_DIR)
        except OSError:
            return False
        return self._listed != (info.st_ino, info.st_mtime_ns)

    def _doc(self, name: str, rel: str | None, *, has_legacy: bool | None = None) -> DocFile:
        file = self._files.get(name)
        if file is None:
            docs = self.root / DOCS_DIR
            file = self._files[name] = DocFile(docs / name, rel, read_only=self.read_only)
            legacy = docs / (name + LEGACY_SUFFIX)
            if self.schema < SCHEMA_VERSION:
                file.legacy_only = True
                file.legacy = LegacyFile(legacy, rel)
            elif has_legacy or (has_legacy is None and os.path.lexists(legacy)):
                file.legacy = LegacyFile(legacy, rel)
        elif file.rel is None and rel is not None:
            file.rel = rel
            if file.legacy is not None and file.legacy.rel is None:
                file.legacy.rel = rel
        return file

    def _file(self, rel: str) -> DocFile:
        return self._doc(doc_dirname(rel), rel)

    def _refresh(self, file: DocFile) -> DocFile:
        before = file.counts.total(), len(file.by_id)
        file.refresh()
        if file._changes or (file.counts.total(), len(file.by_id)) != before:
            file.checked_sha = None  # records came or went: check them against the text again
        self._report(file)
        return file

    def _report(self, file: DocFile) -> None:
        self._doc_problems[file.folder.name] = file.problem_lines(frozenset(self.themes.keys()))

    @property
    @serialised
    def problems(self) -> list[str]:
        """One line per problem: damaged files (read-only), unknown themes, a read-only store."""
        lines = list(self._problems.values())
        for name in sorted(self._doc_problems):
            lines += self._doc_problems[name].values()
        return lines

    # --- the transaction --------------------------------------------------------------------

    def _transact(self, rel: str, build: Callable[[DocFile], Change | None]) -> Change | None:
        """Run ``build`` on the document's files as they are now, inside the lock, and
        write the change it returns durably."""
        if self.read_only:
            raise StoreError(
                f"store is read-only ({self._why_read_only}); nothing written", self.root
            )
        if not self._laid_out and not self.root.is_dir():
            create_layout(self.root)  # the lock file needs its folder
        with self._lock:
            if not self._laid_out:
                create_layout(self.root)
                self._laid_out = True
            self._sweep_once()
            file = self._refresh(self._file(rel))
            if not file.cleaned:
                remove_stale_temporaries(file.folder)
                file.cleaned = True
            try:
                change = build(file)
                if change is not None:
                    file.put(change.before, change.after)
            finally:
                self._report(file)
            return change

    def _append_new(self, rel: str, record: dict[str, Any], themes: list[str]) -> bool:
        """Append a new annotation to a big file without reading it, if the cache vouches
        for what it holds (``reader tag``); False: read the document (the usual path)."""
        name = doc_dirname(rel)
        if self.read_only or self.schema < SCHEMA_VERSION or name in self._files:
            return False  # a document this instance has read is caught up with cheaply
        path = self.root / DOCS_DIR / name / annotator_filename(self.annotator)
        entry = self._cache.entry(name, path.name)
        if entry is None or entry.offset <= CLOSE_COMPACT_BYTES:
            return False  # small files are read, and compacted on close
        with self._lock:
            if os.path.lexists(self.root / DOCS_DIR / (name + LEGACY_SUFFIX)):
                return False
            self._sweep_once()
            remove_stale_temporaries(path.parent)
            return append_new(self._cache, path, rel, self.annotator, record, themes)

    def _remember(self) -> None:
        """Put what this instance read of each document into the cache, and save it."""
        for file in self._files.values():
            self._remember_doc(file)
        self._cache.save()

    def _remember_doc(self, file: DocFile) -> None:
        if file.rel is None or not file.read_once:
            return
        if file.legacy is not None or any(file.damaged_files()):
            return  # read afresh each time: an entry left from before no longer fits its files
        entries = {}
        for log in file.logs.values():
            state = log.storage.state()
            if state is not None and log.annotator is not None:
                counts = {k: n for k, n in log.counts.items() if n > 0}
                entries[log.path.name] = LogEntry(*state, True, counts)
        if entries:  # a document without files is known from the listing of docs/
            self._cache.put_doc(file.folder.name, file.rel, entries)

    @serialised
    def note_corpus(self, doc: Document) -> None:
        """Remember the corpus folder ``doc`` was read from (``.corpus.json``), so that
        ``reader export`` and ``reader stats`` run from anywhere find the documents' text
        (:mod:`reader.store.corpus_memory`). Once per folder and instance: a set lookup
        after the first; a failure to write it never stops the change it follows."""
        folder = document_folder(doc)
        if self.read_only or folder is None or folder in self._corpus_noted:
            return
        self._corpus_noted.add(folder)
        with contextlib.suppress(StoreError, OSError), self._lock:
            remember_folder(self.root, folder)

    def _sweep_once(self) -> None:
        """Remove dead writers' temporary files from the store's folder and ``docs/``, once
        (the lock is held; each document's folder is swept when first written)."""
        if not self._swept:
            remove_stale_temporaries(self.root, locked_only=False)
            remove_stale_temporaries(self.root / DOCS_DIR)
            self._swept = True

    def _compact_all(self) -> None:
        """Compact the small files this instance appended to (on close), if the lock is free."""
        if self.read_only or not self._lock.try_acquire():
            return
        try:
            for file in self._files.values():
                # A refresh may list another annotator's new log in this document's folder.
                for log in list(file.logs.values()):
                    if log.appended:
                        file.refresh()
                        file.compact(log, closing=True)
        finally:
            self._lock.release()
