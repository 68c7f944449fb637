"""One document's annotations: its annotators' log files, checked, merged and indexed.

A document's annotations live in ``docs/<name>-<hash>/``, one log file per annotator
(:mod:`reader.store.journal`). :class:`~reader.store.logfile.LogFile` replays one of
them and checks every line; :class:`DocFile` merges them (and a schema-1 file, when one
is left to read) into the document's annotations in reading order, kept up to date line
by line.

Loading never guesses: a file that cannot be parsed, has a newer schema, holds
invalid records, records of another document or annotator, or ids another file of
the document holds, is *damaged*: its valid records are still shown, but nothing is
written to it. Every other file of the document stays writable.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any

from reader.errors import StoreError
from reader.store.legacy import LegacyFile
from reader.store.logfile import LogFile
from reader.store.model import Annotation, now_iso, to_record
from reader.store.names import LOG_SUFFIX, annotator_filename
from reader.store.storage import BAK_SUFFIX, fsync_dir

#: Reading order; ``created`` keeps annotations of one span in the order they were made.
_READING_ORDER = attrgetter("start", "end", "created", "id")
_SPAN = attrgetter("start", "end")
#: The same order as stable sorts on one attribute each, last key first: no key tuples,
#: 2-4x faster than one sort on _READING_ORDER for 100,000 annotations.
_PASSES = tuple(attrgetter(name) for name in ("id", "created", "end", "start"))


def in_reading_order(annotations: Iterable[Annotation]) -> list[Annotation]:
    """``annotations`` sorted by (start, end, created, id)."""
    ordered = list(annotations)
    for key in _PASSES:
        ordered.sort(key=key)
    return ordered


#: Compaction folds the journal into the file once it holds this share of the live records
#: (and at least ``COMPACT_MIN`` lines): each rewrite is paid for by as many appends.
COMPACT_SHARE, COMPACT_MIN = 4, 256
#: On close, a file this small with a journal is compacted anyway (sorted, each id once).
CLOSE_COMPACT_BYTES = 1 << 20
#: More changes than this in one refresh: sort once at the end instead of one by one.
_INCREMENTAL = 32


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while loading records.

    Loading makes a few objects per record and frees none of them; the collector,
    triggered every 700 allocations, would walk them again and again: about half
    the time of opening a 100,000-record store. Records hold no cycles, so nothing
    is lost by collecting once afterwards, as the collector then does by itself.
    """
    if not gc.isenabled():
        yield  # paused already (an outer load, or the program's own choice)
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def unknown_themes_line(keys: set[str]) -> str:
    listed = ", ".join(repr(k) for k in sorted(keys))
    return (
        f"unknown theme key(s) {listed:.120}: kept and shown by key (add them to themes.toml"
        " to name them); the document stays writable"
    )


class DocFile:
    """The state of one document's annotation files, as last read or written by this process."""

    def __init__(self, folder: Path, rel: str | None, *, read_only: bool = False) -> None:
        self.folder = folder
        self.rel = rel
        """The document it belongs to (None while unknown: no readable header yet)."""
        self.read_only = read_only
        self.logs: dict[str, LogFile] = {}
        """By file name."""
        self.legacy: LegacyFile | None = None
        """A schema-1 file of this document: read, never written (the upgrade converts it)."""
        self.legacy_only = False
        """A schema-1 store: only the schema-1 file is read."""
        self.by_id: dict[str, Annotation] = {}
        """The records as they are on disk."""
        self.owner: dict[str, LogFile | LegacyFile] = {}
        self.duplicates: dict[str, str] = {}
        """File name → why it is damaged by an id another file of the document holds."""
        self.view: dict[str, Annotation] = {}
        """Re-anchored versions shown but not (yet) written: others' records, failed saves."""
        self.checked_sha: str | None = None
        self.counts: Counter[str] = Counter()
        """Annotations per theme key."""
        self._sorted: list[Annotation] | None = []
        self._shown: list[Annotation] | None = None
        self._listed: tuple[int, int] | None = None
        self._merge = False
        self._changes = 0
        self.read_once = False
        """Its files were read (a folder only listed so far is not)."""
        self.cleaned = False
        self._unknown_in: tuple[frozenset[str], Path] | None = None
        """Stale temporary files were removed from its folder (by this process, under the lock)."""

    # --- reading ----------------------------------------------------------------------

    def log_for(self, annotator: str) -> LogFile:
        name = annotator_filename(annotator)
        log = self.logs.get(name)
        if log is None:
            log = self.logs[name] = LogFile(self, self.folder / name, annotator)
        elif log.annotator is None:
            log.annotator = annotator  # listed before its header was read: its name says
        return log

    def refresh(self) -> None:
        """Catch up with what other processes wrote (cheap when nothing changed)."""
        self._changes = 0
        self.read_once = True
        if not self.legacy_only:
            self.list_logs()
            for log in list(self.logs.values()):
                if not log.storage.is_current() or log.io_error:
                    self._poll(log)
        if self.legacy is not None and self.legacy.refresh():
            if self.rel is None:
                self.rel = self.legacy.rel
            self._merge = True
        if self._merge:
            self._merge_all()

    def _poll(self, log: LogFile) -> None:
        with gc_paused():
            try:
                log.io_error = None
                if not log.storage.poll(log) and log.records:
                    log.restart()
            except StoreError as exc:
                log.restart()
                log.io_error = exc.reason
            log.finish()

    def list_logs(self) -> None:
        """Find the annotator files made since the last look (one ``stat`` when none were)."""
        try:
            info = os.stat(self.folder)
        except OSError:
            return
        if self._listed == (info.st_ino, info.st_mtime_ns):
            return
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return
        self._listed = listing_stamp(info)
        for name in names:
            if name.endswith(LOG_SUFFIX) and not name.startswith(".") and name not in self.logs:
                self.logs[name] = LogFile(self, self.folder / name, None)

    def annotations(self) -> list[Annotation]:
        return list(self._shown_list())

    def on_span(self, start: int, end: int) -> list[Annotation]:
        """The shown annotations of exactly ``[start, end)``."""
        shown = self._shown_list()
        low = bisect_left(shown, (start, end), key=_SPAN)
        return shown[low : bisect_right(shown, (start, end), lo=low, key=_SPAN)]

    def _shown_list(self) -> list[Annotation]:
        if self._sorted is None:
            self._sorted = in_reading_order(self.by_id.values())
        if not self.view:
            return self._sorted
        if self._shown is None:
            self._shown = in_reading_order(self.view.get(a.id, a) for a in self._sorted)
        return self._shown

    def set_view(self, ann: Annotation) -> None:
        """Show ``ann`` in memory only (re-anchoring what this process does not write)."""
        self.view[ann.id] = ann
        self._shown = None

    # --- the merged index (fed by LogFile's replay) -----------------------------------

    def changed(self, log: LogFile, ann: Annotation) -> None:
        owner = self.owner.get(ann.id)
        if owner is not None and owner is not log:
            self._merge = True  # an id in two files: sorted out once the refresh is done
            return
        old = self.by_id.get(ann.id)
        if old is not None:
            self._unindex(old)
        self.by_id[ann.id] = ann
        self.owner[ann.id] = log
        self._index(ann)

    def close(self) -> None:
        """Drop everything read (and the cycles between the document and its files)."""
        for log in self.logs.values():
            log.records, log.counts = {}, Counter()
        self.logs, self.by_id, self.owner, self.view = {}, {}, {}, {}
        self._sorted, self._shown, self.legacy = [], None, None

    def merge_later(self) -> None:
        self._merge = True

    def dropped(self, log: LogFile, ann_id: str) -> None:
        if self.owner.get(ann_id) is not log:
            self._merge = True
            return
        del self.owner[ann_id]
        self._unindex(self.by_id.pop(ann_id))
        self.view.pop(ann_id, None)
        if self.duplicates or self.legacy is not None:
            self._merge = True  # another file may hold the id too

    def _index(self, ann: Annotation) -> None:
        self.counts.update(ann.themes)
        self._changes += 1
        if self._sorted is not None and self._changes <= _INCREMENTAL:
            insort(self._sorted, ann, key=_READING_ORDER)
        else:
            self._sorted = None
        self._shown = None

    def _unindex(self, ann: Annotation) -> None:
        self.counts.subtract(ann.themes)
        self._changes += 1
        if self._sorted is not None and self._changes <= _INCREMENTAL:
            i = bisect_left(self._sorted, _READING_ORDER(ann), key=_READING_ORDER)
            if i < len(self._sorted) and self._sorted[i].id == ann.id:
                del self._sorted[i]
            else:
                self._sorted = None
        else:
            self._sorted = None
        self._shown = None

    def _merge_all(self) -> None:
        """Merge every file afresh: logs by name (the first holder of an id keeps it), then
        the schema-1 file's records that no log holds (its converted copies are in logs)."""
        self._merge = False
        self._sorted, self._shown = None, None
        if len(self.logs) == 1 and self.legacy is None:  # nearly every document: copies only
            [log] = self.logs.values()
            self.by_id, self.duplicates = dict(log.records), {}
            self.owner = dict.fromkeys(log.records, log)
            self.view = {k: v for k, v in self.view.items() if k in self.by_id}
            self.counts = Counter(log.counts)
            return
        self.by_id, self.owner, self.duplicates = {}, {}, {}
        for name in sorted(self.logs):
            log = self.logs[name]
            for ann in log.records.values():
                held = self.owner.get(ann.id)
                if held is None:
                    self.by_id[ann.id], self.owner[ann.id] = ann, log
                elif name not in self.duplicates:
                    self.duplicates[name] = (
                        f"duplicate id {ann.id!r:.40} (also in {held.path.name})"
                    )
        if self.legacy is not None:
            for ann in self.legacy.records.values():
                if ann.id not in self.by_id:
                    self.by_id[ann.id], self.owner[ann.id] = ann, self.legacy
        self.view = {k: v for k, v in self.view.items() if k in self.by_id}
        self.counts = Counter(key for ann in self.by_id.values() for key in ann.themes)

    # --- problems -------------------------------------------------------------------------

    def damaged_files(self) -> Iterator[tuple[Path, str]]:
        for log in self.logs.values():
            reason = log.damaged
            if reason is not None:
                yield log.path, reason
        if self.legacy is not None and self.legacy.damaged is not None:
            yield self.legacy.path, self.legacy.damaged

    def problem_lines(self, known_themes: set[str] | frozenset[str]) -> dict[str, str]:
        """One line per damaged file (by its path), and one for unknown theme keys."""
        lines = {}
        for path, reason in self.damaged_files():
            who = f"{self.rel!r:.60}" if self.rel else "its document"
            owner = next((log.annotator for log in self.logs.values() if log.path == path), None)
            if owner:
                who = f"{owner!r:.40}'s annotations of {who}"
            bak = path.with_name(path.name + BAK_SUFFIX)
            backup = f"; previous version kept in {bak.name}" if bak.exists() else ""
            lines[str(path)] = (
                f"{path}: {reason}; {who} read-only until the file is fixed "
                f"(the file is left as it is){backup}"
            )
        unknown = frozenset(k for k, n in self.counts.items() if n > 0 and k not in known_themes)
        if unknown:
            if self._unknown_in is None or self._unknown_in[0] != unknown:
                # Which file holds them: looked for only when the set of unknown keys changes.
                self._unknown_in = (unknown, self._holder(unknown))
            where = self._unknown_in[1]
            lines[f"{where}#themes"] = f"{where}: {unknown_themes_line(set(unknown))}"
        return lines

    def _holder(self, keys: frozenset[str]) -> Path:
        for source in [*self.logs.values(), self.legacy]:
            if source is not None and any(
                not keys.isdisjoint(ann.themes) for ann in source.records.values()
            ):
                return source.path
        return self.folder

    def refusal(self, annotator: str) -> tuple[Path, str] | None:
        """Which file keeps ``annotator``'s annotations of this document from being written,
        and why; None when they can be."""
        if self.read_only:
            return self.folder, "opened read-only"
        if self.legacy is not None:
            why = self.legacy.damaged or "a schema-1 file, converted when the store is next opened"
            return self.legacy.path, why
        log = self.log_for(annotator)
        return None if log.damaged is None else (log.path, log.damaged)

    # --- writes (the caller holds the store lock and has refreshed) -------------------------

    def put(self, before: Annotation | None, after: Annotation | None) -> None:
        """Write one change durably: one line appended to its annotator's file."""
        changed = after or before
        assert changed is not None
        if after is None:
            assert before is not None
            self.write(before.annotator, [{"deleted": before.id, "at": now_iso()}])
        else:
            self.write(after.annotator, [to_record(after)])

    def write(
        self,
        annotator: str,
        values: list[dict[str, Any]],
        written: list[Annotation] | None = None,
    ) -> None:
        """Append ``values`` (records and deletions) to ``annotator``'s file in one write.

        ``written``: the annotations ``values`` are the records of, when the caller has
        them (an import): taken as they are, not parsed back from the records.
        """
        refused = self.refusal(annotator)
        if refused is not None:
            path, reason = refused
            who = f"{annotator!r:.40}'s annotations of {self.rel!r:.60}"
            raise StoreError(
                f"damaged store file ({reason}): {who} are read-only; nothing written", path
            )
        log = self.log_for(annotator)
        if log.storage.exists:
            log.storage.append(values)
            first = log.storage.lines - len(values) + 1
        else:
            self._create_folder()
            log.storage.create(log.header(), values)
            log.restart()
            log.line(1, log.header())
            first = 2
        self._changes = 0
        if written is not None:
            for ann in written:
                log.take(ann)
        else:
            for number, value in enumerate(values, first):
                log.line(number, value)
        log.finish()
        if self._merge:
            self._merge_all()
        log.appended = True
        self.compact(log, closing=False)

    def _create_folder(self) -> None:
        if self.folder.is_dir():
            return
        try:
            self.folder.mkdir()
            fsync_dir(self.folder.parent)
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot create: {exc.strerror}", self.folder) from None

    def compact(self, log: LogFile, *, closing: bool) -> bool:
        """Fold the journal into the file if it is due; True if the file was rewritten.

        A failure (disk full) leaves the log as it was, which holds every change already:
        the caller's change is not undone by it.
        """
        if not log.journal or log.damaged or self.read_only:
            return False
        if closing:
            due = log.appended and log.storage.size <= CLOSE_COMPACT_BYTES
        else:
            due = log.journal >= max(COMPACT_MIN, len(log.records) // COMPACT_SHARE)
        if not due:
            return False
        try:
            if log.storage.torn:
                log.storage.set_torn_aside()
            ordered = sorted(log.records)
            log.storage.create(log.header(), (to_record(log.records[k]) for k in ordered))
        except StoreError:
            return False
        log.journal, log.appended = 0, False
        log._last = ordered[-1] if ordered else ""
        return True


def listing_stamp(info: os.stat_result) -> tuple[int, int] | None:
    """A folder's (inode, mtime) to compare next time, or None when it cannot be trusted.

    The mtime moves on every change of the folder's entries, but only as often as the
    clock ticks: a listing made in the tick of its mtime is looked at again next time.
    """
    if time.time_ns() - info.st_mtime_ns < 2_000_000_000:
        return None
    return (info.st_ino, info.st_mtime_ns)
