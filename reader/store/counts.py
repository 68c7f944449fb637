"""What reading each log file taught, kept for next time in ``<store>/.logs.json``.

For every log file this process read whole (or appended to knowing what it held):
its signature (inode, size, mtime), how many bytes and lines were complete, the last
bytes read (which tell an append from a rewrite), whether it was sound, and how many
of its records carry each theme key; and for each document folder its document. Two
things use it:

- the library's tag counts per document, without reading any annotation file
  (:meth:`LogCache.counts`: trusted while the folder holds exactly the files the entry
  describes, each with the signature it had);
- appending a new annotation to a big file without reading it (``reader tag``): only
  what was appended after the bytes the entry describes is read and checked
  (:func:`append_new`).

An entry is trusted only as far as the file still starts with the bytes it describes
(same inode, at least as long, the same bytes before the offset): anything else is
read again. A cache that cannot be read, or of other code, is dropped, never an error.
It is a cache: written with a temporary file and a rename, not fsynced.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.errors import StoreError
from reader.store.journal import LogStorage
from reader.store.logcheck import check_header, check_line
from reader.store.names import LOG_SUFFIX
from reader.store.storage import Signature, read_regular

CACHE_FILE = ".logs.json"
#: Bump when the entries' layout changes.
CACHE_SCHEMA = 1


@dataclass
class LogEntry:
    """One log file as last read whole (or appended to knowing what it held)."""

    sig: Signature
    offset: int
    lines: int
    guard: bytes
    sound: bool
    counts: dict[str, int] | None
    """Records per theme key; None when not known (lines of others appended since)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "sig": list(self.sig), "offset": self.offset, "lines": self.lines,
            "guard": self.guard.hex(), "sound": self.sound, "counts": self.counts,
        }  # fmt: skip

    @classmethod
    def from_json(cls, raw: Any) -> LogEntry | None:
        try:
            sig = tuple(raw["sig"])
            counts = raw["counts"]
            if len(sig) != 3 or not all(type(x) is int for x in sig):
                return None
            if counts is not None and not all(
                type(k) is str and type(n) is int for k, n in counts.items()
            ):
                return None
            entry = cls(
                (sig[0], sig[1], sig[2]), raw["offset"], raw["lines"],
                bytes.fromhex(raw["guard"]), raw["sound"], counts,
            )  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if type(entry.offset) is not int or type(entry.lines) is not int:
            return None
        return entry if type(entry.sound) is bool else None


class LogCache:
    """The cache file of one store: entries by document folder and file name."""

    def __init__(self, root: Path, *, read_only: bool) -> None:
        self.path = root / CACHE_FILE
        self.read_only = read_only
        self._docs: dict[str, dict[str, Any]] | None = None
        self._dirty = False

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._docs is not None:
            return self._docs
        self._docs = {}
        try:
            raw = json.loads(read_regular(self.path))
        except (OSError, ValueError, RecursionError):
            return self._docs
        if isinstance(raw, dict) and raw.get("schema") == CACHE_SCHEMA:
            docs = raw.get("docs")
            if isinstance(docs, dict):
                self._docs = {k: v for k, v in docs.items() if isinstance(v, dict)}
        return self._docs

    def entry(self, folder: str, name: str) -> LogEntry | None:
        logs = self._load().get(folder, {}).get("logs")
        return LogEntry.from_json(logs.get(name)) if isinstance(logs, dict) else None

    def doc(self, folder: str) -> dict[str, Any] | None:
        return self._load().get(folder)

    def put(self, folder: str, rel: str, name: str, entry: LogEntry) -> None:
        """Remember one log file of a document."""
        doc = self._load().setdefault(folder, {"rel": rel, "logs": {}})
        if not isinstance(doc.get("logs"), dict):
            doc["logs"] = {}
        body = entry.to_json()
        if doc.get("rel") != rel or doc["logs"].get(name) != body:
            doc["rel"], doc["logs"][name] = rel, body
            self._dirty = True

    def put_doc(self, folder: str, rel: str, entries: dict[str, LogEntry]) -> None:
        """Remember a document's log files: these, and no others."""
        body = {"rel": rel, "logs": {name: e.to_json() for name, e in entries.items()}}
        if self._load().get(folder) != body:
            self._load()[folder] = body
            self._dirty = True

    def counts(self, folder: Path) -> Counter[str] | None:
        """A document's records per theme key, if the entries still describe every log file
        in its folder (one listing, one ``lstat`` per file); None when they do not."""
        doc = self._load().get(folder.name)
        logs = doc.get("logs") if doc else None
        if not isinstance(logs, dict):
            return None
        try:
            names = {n for n in os.listdir(folder) if n.endswith(LOG_SUFFIX) and n[0] != "."}
        except OSError:
            return None
        if names != logs.keys():
            return None
        total: Counter[str] = Counter()
        for name in names:
            entry = LogEntry.from_json(logs[name])
            if entry is None or not entry.sound or entry.counts is None:
                return None
            try:
                info = os.lstat(folder / name)
            except OSError:
                return None
            if (info.st_ino, info.st_size, info.st_mtime_ns) != entry.sig:
                return None
            total.update(entry.counts)
        return total

    def save(self) -> None:
        """Write the cache if it changed (best effort: it is only a cache)."""
        if self.read_only or not self._dirty or self._docs is None:
            return
        body = json.dumps({"schema": CACHE_SCHEMA, "docs": self._docs}, ensure_ascii=False)
        tmp = ""
        try:
            fd, tmp = tempfile.mkstemp(prefix=".logs.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(body.encode("utf-8", "surrogatepass"))
            os.replace(tmp, self.path)
            tmp = ""
        except OSError:
            pass
        finally:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._dirty = False


class _Probe:
    """A replay that only checks the lines read (for :func:`append_new`)."""

    def __init__(self, rel: str, annotator: str) -> None:
        self.rel, self.annotator = rel, annotator
        self.restarted = False
        self.problems: list[str] = []
        self.read = 0

    def restart(self) -> None:
        self.restarted = True

    def line(self, number: int, value: Any) -> None:
        self.read += 1
        if number == 1:
            self.problems += check_header(value, self.rel, "", "")[2][:1]  # header: whole read
        else:
            problem = check_line(number, value, self.rel, self.annotator)[2]
            if problem is not None:
                self.problems.append(problem)

    def bad_line(self, number: int, reason: str) -> None:
        self.problems.append(f"line {number}: {reason}")


def append_new(
    cache: LogCache, path: Path, rel: str, annotator: str, record: dict[str, Any], themes: list[str]
) -> bool:
    """Append a new annotation's record to ``path`` having read only what the cache has
    not seen; False when the cache cannot vouch for the file (then read it all).

    The caller holds the store lock. A new record has a new id: nothing in the file can
    change what it means, so only the soundness of the file matters, and that is the
    cache's entry plus the lines after it.

    Raises:
        StoreError: the append itself failed (nothing was written).
    """
    folder, name = path.parent.name, path.name
    entry = cache.entry(folder, name)
    if entry is None or not entry.sound:
        return False
    storage = LogStorage(path)
    storage.resume(entry.sig, entry.offset, entry.lines, entry.guard)
    probe = _Probe(rel, annotator)
    try:
        if not storage.poll(probe) or probe.restarted or probe.problems:
            return False
    except StoreError:
        return False  # a link, a FIFO: the full read says so
    storage.append([record])
    state = storage.state()
    assert state is not None
    counts = None
    if entry.counts is not None and not probe.read:
        counts = dict(Counter(entry.counts) + Counter(themes))
    cache.put(folder, rel, name, LogEntry(*state, True, counts))
    return True
