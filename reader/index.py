"""The library index: titles, dates and problems of every document, cached on disk.

Opening a folder of 10,000 articles must not mean decoding 50 MB before the
list shows. The library therefore shows what the folder walk gives at once
(:func:`reader.corpus.collect`: paths), and fills in what needs the file's
contents — title, date, encoding, paragraph count, warnings, or the one-line
reason it cannot be read — from this index:

* records are cached in ``<store>/.index.json``, keyed by absolute path, and
  trusted only while the file's size and ``mtime_ns`` are unchanged;
* what is not cached (or is stale) is read in the background, in batches;
* the cache is written atomically (temp file + ``os.replace``); a missing,
  corrupt or outdated cache is rebuilt, never an error.

Using it from the UI (this module never imports Textual)::

    index = LibraryIndex(store_dir)

    @work(thread=True, exclusive=True, group="index")
    def fill_titles(self) -> None:
        worker = get_current_worker()
        index.scan(
            entries,
            on_update=lambda batch: self.app.call_from_thread(self.show_records, batch),
            should_stop=lambda: worker.is_cancelled,
        )

``on_update`` receives lists of ``(Entry, IndexRecord)``. The first call holds
every entry whose cached record is still fresh (all of them on a warm start,
possibly thousands); later calls hold freshly read entries, in the order given,
at most ``batch_size`` at a time and at least every ``max_delay`` seconds.
``scan`` returns once every entry has a record (or when ``should_stop`` says so),
after saving the cache. :meth:`LibraryIndex.batches` is the same as an iterator.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from reader import corpus
from reader.corpus import Entry, decode_bytes, find_date, find_title, read_document
from reader.errors import DocumentError
from reader.store.storage import read_regular

#: File name of the cache inside the store folder (hidden: it is not user data).
INDEX_NAME = ".index.json"
#: Bump when the record layout changes.
SCHEMA = 1

Batch = list[tuple[Entry, "IndexRecord"]]


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """What the library shows about one file, and the stat it was derived from."""

    path: str
    """Absolute path of the file: the cache key."""
    size: int
    mtime_ns: int
    title: str = ""
    date: str = ""
    """ISO 8601 date found in the document's head, or ``""``."""
    encoding: str = ""
    paragraphs: int = 0
    warnings: tuple[str, ...] = ()
    problem: str = ""
    """Why the file cannot be opened (one line, without the path); ``""`` if it can."""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def day(self) -> Date | None:
        return Date.fromisoformat(self.date) if self.date else None

    def to_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "title": self.title,
            "date": self.date,
            "encoding": self.encoding,
            "paragraphs": self.paragraphs,
            "warnings": list(self.warnings),
            "problem": self.problem,
        }

    @classmethod
    def from_json(cls, path: str, raw: object) -> IndexRecord | None:
        """A record from the cache, or None if it is not one (a damaged cache is skipped)."""
        if not isinstance(raw, dict):
            return None
        ints = [raw.get(k) for k in ("size", "mtime_ns", "paragraphs")]
        strs = [raw.get(k) for k in ("title", "date", "encoding", "problem")]
        warnings = raw.get("warnings")
        if not (
            all(type(v) is int for v in ints)
            and all(isinstance(v, str) for v in strs)
            and isinstance(warnings, list)
            and all(isinstance(w, str) for w in warnings)
        ):
            return None
        try:  # a hand-edited date would make ``day`` raise wherever it is shown or sorted
            if raw["date"]:
                Date.fromisoformat(raw["date"])
        except ValueError:
            return None
        return cls(
            path,
            raw["size"],
            raw["mtime_ns"],
            raw["title"],
            raw["date"],
            raw["encoding"],
            raw["paragraphs"],
            tuple(warnings),
            raw["problem"],
        )


def _code_stamp() -> str:
    """Digest of the code that derives records: a change in it invalidates the cache."""
    digest = hashlib.sha256(str(SCHEMA).encode())
    for module_file in (corpus.__file__, __file__):
        with contextlib.suppress(OSError, TypeError):
            digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:16]


def derive(path: Path, info: os.stat_result) -> IndexRecord:
    """Read one file and make its record; ``info`` is the stat taken *before* reading.

    Stat first, read second: if the file changes in between, the record carries
    the older stat and is re-read on the next scan rather than trusted wrongly.
    """
    key = str(path)
    try:
        if not stat.S_ISREG(info.st_mode) or info.st_size > corpus.MAX_DOCUMENT_BYTES:
            raise DocumentError("not a plain readable file")  # read_document says exactly why
        # The fast path: no resolve() of the path (two realpath walks per file in
        # read_document), only decoding and the two head scans.
        text, encoding, warnings = decode_bytes(path.read_bytes())
    except (OSError, DocumentError):
        try:
            doc = read_document(path)  # the one place that words the reasons
        except DocumentError as exc:
            return IndexRecord(key, info.st_size, info.st_mtime_ns, problem=exc.reason)
        text, encoding, warnings = doc.text, doc.encoding, doc.warnings
    found = find_date(text)
    return IndexRecord(
        key,
        info.st_size,
        info.st_mtime_ns,
        title=find_title(text) or path.name,
        date=found.isoformat() if found else "",
        encoding=encoding,
        paragraphs=text.count("\n") + 1,
        warnings=warnings,
    )


def _missing(path: Path, exc: OSError) -> IndexRecord:
    reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
    return IndexRecord(str(path), -1, -1, problem=reason)


class LibraryIndex:
    """A cache of :class:`IndexRecord` per file, kept in ``<store_dir>/.index.json``.

    Not thread-safe for concurrent scans: run one scan at a time (an exclusive
    worker). Reading :meth:`record` from another thread during a scan is fine.
    """

    def __init__(self, store_dir: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(store_dir) / INDEX_NAME
        self.read_only = read_only
        self.error: str | None = None
        """The last reason the cache could not be read or written (it still works without)."""
        self._records: dict[str, IndexRecord] = {}
        self._loaded = False
        self._dirty = False
        self._stamp = _code_stamp()

    # --- the cache file ----------------------------------------------------------

    def load(self) -> None:
        """Read the cache; anything unreadable or from other code is dropped."""
        self._loaded = True
        self._records = {}
        try:
            raw = json.loads(read_regular(self.path))
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError) as exc:  # Recursion: nested too deeply
            self.error = f"{self.path}: unreadable index, rebuilding ({type(exc).__name__})"
            self._dirty = True
            return
        if not isinstance(raw, dict) or raw.get("code") != self._stamp:
            self._dirty = True
            return
        files = raw.get("files")
        if not isinstance(files, dict):
            self._dirty = True
            return
        for key, value in files.items():
            record = IndexRecord.from_json(key, value)
            if record is None:
                self._dirty = True
            else:
                self._records[key] = record

    def save(self) -> bool:
        """Write the cache atomically if it changed; False if it could not be written."""
        if self.read_only or not self._dirty:
            return False
        payload = {
            "schema": SCHEMA,
            "code": self._stamp,
            "files": {key: record.to_json() for key, record in self._records.items()},
        }
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        tmp = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".index.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            # No fsync: this is a cache. After a crash it may be missing, never half-written.
            os.replace(tmp, self.path)
        except OSError as exc:
            self.error = f"{self.path}: index not saved ({exc.strerror or exc})"
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return False
        self._dirty = False
        return True

    # --- records -----------------------------------------------------------------

    def record(self, path: Path | str) -> IndexRecord | None:
        """The last known record for a file (no stat: it may be stale)."""
        if not self._loaded:
            self.load()
        return self._records.get(str(path))

    def batches(
        self,
        entries: Sequence[Entry],
        *,
        batch_size: int = 256,
        max_delay: float = 0.1,
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[Batch]:
        """Yield ``(entry, record)`` batches: fresh cached ones first, then those read now.

        Saves the cache when exhausted, stopped, or closed early.
        """
        if not self._loaded:
            self.load()
        hits: Batch = []
        misses: list[tuple[Entry, os.stat_result | None, OSError | None]] = []
        seen: set[str] = set()
        for entry in entries:
            key = str(entry.path)
            seen.add(key)
            try:
                info = os.stat(entry.path)
            except OSError as exc:
                misses.append((entry, None, exc))
                continue
            cached = self._records.get(key)
            if cached and cached.size == info.st_size and cached.mtime_ns == info.st_mtime_ns:
                hits.append((entry, cached))
            else:
                misses.append((entry, info, None))
        self._forget_deleted(seen, {str(entry.root) for entry in entries})
        try:
            if hits:
                yield hits
            batch: Batch = []
            last = time.monotonic()
            for entry, before, error in misses:
                if should_stop is not None and should_stop():
                    break  # still hand over what was read
                if before is None:
                    assert error is not None
                    record = _missing(entry.path, error)
                else:
                    record = derive(entry.path, before)
                    self._records[record.path] = record
                    self._dirty = True
                batch.append((entry, record))
                now = time.monotonic()
                if len(batch) >= batch_size or now - last >= max_delay:
                    yield batch
                    batch, last = [], now
            if batch:
                yield batch
        finally:
            self.save()

    def scan(
        self,
        entries: Sequence[Entry],
        on_update: Callable[[Batch], object] | None = None,
        *,
        batch_size: int = 256,
        max_delay: float = 0.1,
        should_stop: Callable[[], bool] | None = None,
    ) -> dict[Path, IndexRecord]:
        """Bring every entry's record up to date; see the module docstring.

        Returns:
            The record of each entry scanned, by path (fewer if stopped early).
        """
        found: dict[Path, IndexRecord] = {}
        for batch in self.batches(
            entries, batch_size=batch_size, max_delay=max_delay, should_stop=should_stop
        ):
            for entry, record in batch:
                found[entry.path] = record
            if on_update is not None:
                on_update(batch)
        return found

    def _forget_deleted(self, seen: set[str], roots: Iterable[str]) -> None:
        """Drop records of files deleted from the folders just scanned.

        Other folders' records stay (one store may serve several libraries), and so do
        unseen files that still exist (the user opened one file, not its folder).
        """
        prefixes = tuple(root.rstrip(os.sep) + os.sep for root in roots)
        gone = [
            key
            for key in self._records
            if key not in seen and key.startswith(prefixes) and not os.path.lexists(key)
        ]
        for key in gone:
            del self._records[key]
        if gone:
            self._dirty = True
