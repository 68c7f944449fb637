"""Search the whole corpus: every hit of a query in every document, through an index.

The same matching as the reader's ``/`` (:func:`reader.arabic.find_all`: alef
forms, ى/ي, ة/ه, harakat, tatweel and the transliteration letters folded, so
بيونج يانج finds بيونغ يانغ), over thousands of files without reading them:

* **the search index**, ``<store>/.search.sqlite`` beside the library index
  (:mod:`reader.index`) and kept like it: one row per file, keyed by absolute path
  and trusted only while the file's size and ``mtime_ns`` are unchanged, holding
  the file's text in search form (:func:`reader.arabic.fold`), its fold map and the
  offsets of the marks folding dropped — all :func:`reader.arabic.spans_in` needs to
  give the hits in the document's own offsets;
* **the inverted index**: every folded word of the corpus → the files holding it,
  rebuilt when a file changed. A query's words are looked up in the vocabulary (as
  substrings: a hit may start or end inside a word, like ``/``'s), and only the
  files holding a matching word for every query word are searched.

A missing, damaged or outdated index (another version of the folding code) is
rebuilt, never an error; with no store folder, or a read-only store, the index
lives in memory for the one search. This module never imports Textual.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import sqlite3
import stat
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader import arabic, corpus
from reader.arabic import FoldMap, dropped_marks, fold, query_pattern, spans_in
from reader.corpus import Entry, decode_bytes
from reader.errors import DocumentError

#: File name of the index inside the store folder (hidden: it is not user data).
SEARCH_NAME = ".search.sqlite"
#: Bump when the tables change.
SCHEMA = 1
#: A query word matching more words of the vocabulary than this filters nothing: every
#: file is searched (looking up a one-letter word's hundred thousand words costs more).
MAX_WORDS = 20_000
#: Files read between two progress reports while the index is brought up to date.
PROGRESS_EVERY = 64

_ENDIAN_LITTLE = sys.byteorder == "little"


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of the query: a document and a span of its text (code points)."""

    entry: Entry
    start: int
    end: int

    @property
    def rel(self) -> str:
        return self.entry.rel


def _ints(values: Iterable[int]) -> bytes:
    data = array("I", values)
    if not _ENDIAN_LITTLE:
        data.byteswap()
    return data.tobytes()


def _from_ints(blob: bytes) -> array[int]:
    data = array("I")
    data.frombytes(blob)
    if not _ENDIAN_LITTLE:
        data.byteswap()
    return data


def _code_stamp() -> str:
    """Digest of the code that folds and indexes: a change in it invalidates the index."""
    digest = hashlib.sha256(str(SCHEMA).encode())
    for module_file in (arabic.__file__, corpus.__file__, __file__):
        with contextlib.suppress(OSError, TypeError):
            digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class _Row:
    """What the index knows of one file, without its text."""

    id: int
    size: int
    mtime_ns: int


class _Postings:
    """The inverted index: folded words (one string, ``\\n``-separated) → file ids."""

    def __init__(self, vocabulary: str, starts: array[int], offsets: array[int], ids: array[int]):
        self.vocabulary = vocabulary
        self.starts = starts
        """Where each word starts in :attr:`vocabulary`."""
        self.offsets = offsets
        """``ids[offsets[w]:offsets[w + 1]]`` are the files holding word ``w``."""
        self.ids = ids

    @classmethod
    def build(cls, texts: Iterable[tuple[int, str]]) -> _Postings:
        holders: dict[str, list[int]] = {}
        for file_id, folded in texts:
            for word in set(folded.split()):
                holders.setdefault(word, []).append(file_id)
        words = sorted(holders)
        starts = array("I", [0])
        offsets = array("I", [0])
        ids = array("I")
        position = 0
        for word in words:
            position += len(word) + 1
            starts.append(position)
            ids.extend(holders[word])
            offsets.append(len(ids))
        return cls("\n".join(words), starts, offsets, ids)

    def files_with(self, part: str) -> set[int] | None:
        """Files holding a word that contains ``part``; None when too many words do."""
        vocabulary, starts = self.vocabulary, self.starts
        words: set[int] = set()
        position = vocabulary.find(part)
        while position >= 0:
            # ``part`` holds no space, so a find never spans two words of the vocabulary.
            word = bisect.bisect_right(starts, position) - 1
            words.add(word)
            if len(words) > MAX_WORDS:
                return None
            position = vocabulary.find(part, starts[word + 1])
        files: set[int] = set()
        for word in words:
            files.update(self.ids[self.offsets[word] : self.offsets[word + 1]])
        return files


class SearchIndex:
    """The search index of a store folder (see the module docstring).

    Not thread-safe: use one instance from one thread at a time (a worker). Every
    method opens the database for its own duration, so the instance itself may be
    handed from one thread to the next.
    """

    def __init__(self, store_dir: Path | str | None, *, read_only: bool = False) -> None:
        folder = Path(store_dir) if store_dir is not None else None
        self.path = folder / SEARCH_NAME if folder is not None else None
        self.in_memory = read_only or folder is None or not folder.is_dir()
        """The index is not kept on disk (no store folder, or a read-only store)."""
        self.error: str | None = None
        """Why the index on disk could not be used (it was rebuilt, or kept in memory)."""
        self._memory: sqlite3.Connection | None = None
        self._stamp = _code_stamp()
        self._postings: _Postings | None = None
        self._postings_generation = ""
        self._known: tuple[str, dict[str, _Row]] | None = None

    # --- the database ------------------------------------------------------------

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if self.in_memory or self.path is None:
            if self._memory is None:
                self._memory = self._prepare(sqlite3.connect(":memory:", check_same_thread=False))
            yield self._memory
            return
        db = self._open(self.path)
        try:
            yield db
        finally:
            db.close()

    def _open(self, path: Path) -> sqlite3.Connection:
        """The database at ``path``; a damaged or foreign file is replaced, once."""
        for attempt in (1, 2):
            try:
                if path.is_symlink() or (path.exists() and not path.is_file()):
                    raise sqlite3.DatabaseError("not a regular file")
                return self._prepare(sqlite3.connect(path, timeout=10))
            except sqlite3.DatabaseError as exc:
                self.error = f"{path}: unreadable search index, rebuilding ({exc})"
                if attempt == 2:
                    break
                with contextlib.suppress(OSError):
                    path.unlink()
        # Cannot be replaced (a folder in its place…): work in memory.
        self.in_memory = True
        self._memory = self._prepare(sqlite3.connect(":memory:", check_same_thread=False))
        return self._memory

    def _prepare(self, db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB)")
        stamp = db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
        if stamp is None or stamp[0] != self._stamp:
            with db:
                db.execute("DROP TABLE IF EXISTS files")
                db.execute("DELETE FROM meta")
                db.execute(
                    "CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL,"
                    " size INTEGER, mtime_ns INTEGER, length INTEGER, problem TEXT,"
                    " folded TEXT, runs BLOB, marks BLOB)"
                )
                db.execute("INSERT INTO meta VALUES ('code', ?)", (self._stamp,))
                db.execute("INSERT INTO meta VALUES ('generation', ?)", (_token(),))
        return db

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    # --- keeping it up to date -----------------------------------------------------

    def refresh(
        self,
        entries: Sequence[Entry],
        *,
        should_stop: Callable[[], bool] | None = None,
        progress: Callable[[int, int], object] | None = None,
    ) -> int:
        """Bring the rows of ``entries`` up to date; returns how many files were read.

        Files whose size or ``mtime_ns`` changed are read and folded again, files
        deleted from the scanned folders are dropped; ``progress(done, total)`` is
        called as files are read. Stopped early, what was read is kept.
        """
        with self._db() as db:
            known = self._rows(db)
            stale: list[tuple[Entry, os.stat_result]] = []
            gone = self._deleted(known, entries)
            for entry in entries:
                key = str(entry.path)
                try:
                    info = os.stat(entry.path)
                except OSError:  # gone since the folder was listed: no row, no hits
                    if key in known:
                        gone.append(key)
                    continue
                row = known.get(key)
                if row is None or (row.size, row.mtime_ns) != (info.st_size, info.st_mtime_ns):
                    stale.append((entry, info))
            if not stale and not gone:
                return 0
            read = 0
            try:
                with db:
                    db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
                    for entry, info in stale:
                        if should_stop is not None and should_stop():
                            break
                        db.execute(
                            "INSERT OR REPLACE INTO files"
                            " (path, size, mtime_ns, length, problem, folded, runs, marks)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            _derive(entry.path, info),
                        )
                        read += 1
                        if progress is not None and read % PROGRESS_EVERY == 0:
                            progress(read, len(stale))
                    db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (_token(),))
                    self._store_postings(db)
            except sqlite3.Error as exc:
                self.error = f"{self.path}: search index not saved ({exc})"
            if progress is not None:
                progress(read, len(stale))
            return read

    def _generation(self, db: sqlite3.Connection) -> str:
        """A token that changes with every change of the index (by any process)."""
        found = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return str(found[0]) if found is not None else ""

    def _rows(self, db: sqlite3.Connection) -> dict[str, _Row]:
        """Every file's row (its text left out), kept while the index does not change."""
        generation = self._generation(db)
        if self._known is None or self._known[0] != generation:
            rows = db.execute("SELECT id, path, size, mtime_ns FROM files")
            known = {path: _Row(file_id, size, mtime) for file_id, path, size, mtime in rows}
            self._known = (generation, known)
        return self._known[1]

    @staticmethod
    def _deleted(known: dict[str, _Row], entries: Sequence[Entry]) -> list[str]:
        """Rows of files deleted from the folders scanned (other folders' rows stay)."""
        seen = {str(entry.path) for entry in entries}
        prefixes = tuple({str(entry.root).rstrip(os.sep) + os.sep for entry in entries})
        return [
            path
            for path in known
            if path not in seen and path.startswith(prefixes) and not os.path.lexists(path)
        ]

    def _store_postings(self, db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT id, folded FROM files WHERE folded IS NOT NULL")
        postings = _Postings.build(rows)
        values = {
            "vocabulary": postings.vocabulary,
            "starts": _ints(postings.starts),
            "offsets": _ints(postings.offsets),
            "ids": _ints(postings.ids),
        }
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    def _load_postings(self, db: sqlite3.Connection) -> _Postings | None:
        generation = self._generation(db)
        if self._postings is not None and generation == self._postings_generation:
            return self._postings
        values = dict(
            db.execute(
                "SELECT key, value FROM meta"
                " WHERE key IN ('vocabulary', 'starts', 'offsets', 'ids')"
            )
        )
        if len(values) != 4:
            return None
        self._postings = _Postings(
            values["vocabulary"],
            _from_ints(values["starts"]),
            _from_ints(values["offsets"]),
            _from_ints(values["ids"]),
        )
        self._postings_generation = generation
        return self._postings

    # --- searching ----------------------------------------------------------------

    def search(
        self,
        query: str,
        entries: Sequence[Entry],
        *,
        refresh: bool = True,
        limit: int | None = None,
    ) -> list[Hit]:
        """Every hit of ``query`` in ``entries``, in their order, each document's in text order.

        Files that cannot be read have no hits. ``refresh=False`` trusts the index as it is
        (the caller has just refreshed it); ``limit`` stops at that many hits.
        """
        pattern = query_pattern(query)
        if pattern is None or not entries:
            return []
        if refresh:
            self.refresh(entries)
        parts = fold(query)[0].split()
        hits: list[Hit] = []
        with self._db() as db:
            known = self._rows(db)
            rows = ((known.get(str(entry.path)), entry) for entry in entries)
            wanted = {row.id: entry for row, entry in rows if row is not None}
            candidates = set(wanted)
            postings = self._load_postings(db)
            if postings is not None:
                for part in parts:
                    holders = postings.files_with(part)
                    if holders is not None:
                        candidates &= holders
            ordered = [file_id for file_id in wanted if file_id in candidates]  # entries' order
            for chunk in range(0, len(ordered), 256):
                ids = ordered[chunk : chunk + 256]
                found: dict[int, list[Hit]] = {}
                for file_id, length, folded, runs, dropped in db.execute(
                    "SELECT id, length, folded, runs, marks FROM files"
                    f" WHERE folded IS NOT NULL AND id IN ({','.join('?' * len(ids))})",
                    ids,
                ):
                    if pattern.search(folded) is None:
                        continue
                    entry = wanted[file_id]
                    mapping = _fold_map(runs, len(folded))
                    spans = spans_in(folded, mapping, pattern, length, _mark_test(dropped))
                    found[file_id] = [Hit(entry, span.start, span.end) for span in spans]
                for file_id in ids:
                    hits.extend(found.get(file_id, ()))
                if limit is not None and len(hits) >= limit:
                    return hits[:limit]
        return hits


def _derive(path: Path, info: os.stat_result) -> tuple[object, ...]:
    """The row of one file: ``(path, size, mtime_ns, length, problem, folded, runs, marks)``.

    Stat first, read second (as the library index): a file changed in between keeps
    the older stat and is read again next time.
    """
    size, mtime = info.st_size, info.st_mtime_ns
    try:
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError("not a plain readable file")
        if info.st_size > corpus.MAX_DOCUMENT_BYTES:
            raise DocumentError("too large")
        text = decode_bytes(path.read_bytes())[0]
    except (OSError, DocumentError) as exc:
        reason = exc.reason if isinstance(exc, DocumentError) else (exc.strerror or str(exc))
        return (str(path), size, mtime, 0, reason, None, None, None)
    folded, mapping = fold(text)
    fstarts, ostarts, steps, _ = mapping.runs()
    runs = _ints([len(fstarts), *fstarts, *ostarts, *steps])
    return (str(path), size, mtime, len(text), "", folded, runs, _ints(dropped_marks(text)))


def _token() -> str:
    return os.urandom(8).hex()


def _fold_map(blob: bytes, length: int) -> FoldMap:
    values = _from_ints(blob)
    count = values[0]
    fstarts = values[1 : 1 + count].tolist()
    ostarts = values[1 + count : 1 + 2 * count].tolist()
    steps = values[1 + 2 * count : 1 + 3 * count].tolist()
    return FoldMap(fstarts, ostarts, steps, length)


def _mark_test(blob: bytes) -> Callable[[int], bool]:
    marks = _from_ints(blob)

    def is_mark(offset: int) -> bool:
        at = bisect.bisect_left(marks, offset)
        return at < len(marks) and marks[at] == offset

    return is_mark
