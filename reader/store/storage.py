"""A TinyDB ``Storage`` that never leaves a half-written file, and safe file names.

TinyDB's own ``JSONStorage`` rewrites its file in place, so a crash mid-write
leaves it truncated. :class:`AtomicJSONStorage` writes a temporary file in the
same folder, flushes and fsyncs it, keeps the previous version as ``.bak``
(a hard link: no copy), ``os.replace``-s the new file in and fsyncs the
folder: after :meth:`~AtomicJSONStorage.write` returns, the data survives a
``kill -9`` or a power cut, and at every instant the file is either the old or
the new version.

It also refuses to overwrite what it cannot read: an empty, truncated or
corrupted file raises :class:`~reader.errors.StoreError` on read, and a write
is refused unless the file on disk is the very one last read successfully.

Writers must be serialised by the caller (:class:`reader.store.lock.StoreLock`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from reader.errors import StoreError

Data = dict[str, dict[str, Any]]
#: ``(inode, size, mtime_ns)``: a file replaced or rewritten gets a new one.
Signature = tuple[int, int, int]

TMP_SUFFIX = ".tmp"
BAK_SUFFIX = ".bak"


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _signature(st: os.stat_result) -> Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def atomic_write(path: Path, payload: bytes | Sequence[bytes], *, backup: bool = True) -> Signature:
    """Replace ``path`` with ``payload`` (bytes, or pieces of it) atomically and durably.

    Returns:
        The signature of the new file.

    Raises:
        StoreError: nothing could be written (disk full, permissions); ``path``
        is untouched and no temporary file is left behind.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            os.fsync(fd)
            sig = _signature(os.fstat(fd))
        finally:
            os.close(fd)
        if backup:
            _keep_backup(path)
        os.replace(tmp, path)
        fsync_dir(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write: {exc.strerror or exc}", path) from None
    return sig


def read_regular(path: Path) -> bytes:
    """``path``'s bytes, refusing what is not a regular file.

    Every file of a store folder may have been replaced by anyone: a FIFO would block
    the program at start, a link to ``/dev/zero`` never end. Opened non-blocking and
    checked on the open descriptor, so nothing can be swapped in between.

    Raises:
        FileNotFoundError: there is no such file.
        OSError: it cannot be read, or is not a regular file (``strerror`` says so).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Make ``path.bak`` the current (soon previous) version of ``path``.

    Best effort: a backup that cannot be made must not stop the user's change.
    """
    bak = path.with_name(path.name + BAK_SUFFIX)
    staged = path.with_name(f".{bak.name}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    try:
        try:
            os.link(path, staged)  # the old inode lives on as the backup: no copy
        except FileNotFoundError:
            return  # first write: nothing to back up
        except OSError:
            shutil.copy2(path, staged)
        os.replace(staged, bak)
    except OSError:
        staged.unlink(missing_ok=True)


def _dumps(value: Any) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8: escape it, json reads it back the same.
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def parse(raw: bytes) -> Data:
    """Parse and check the shape of a TinyDB file.

    Raises:
        ValueError: one short reason.
    """
    if not raw:
        raise ValueError("empty file")
    if not raw.strip():
        raise ValueError("blank file (only whitespace)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            raise ValueError("not valid JSON (truncated inside a character)") from None
        raise ValueError(f"not UTF-8 (corrupted at byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # The decoder reports an unterminated string where the string starts, not at the end.
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        what = "truncated" if cut else "corrupted"
        raise ValueError(f"not valid JSON ({what}: {exc.msg} at byte {exc.pos})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(data, dict):
        raise ValueError("not a TinyDB file (top level is not an object)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r:.40} is not an object")
        for key, record in table.items():
            if not key.isascii() or not key.isdigit():
                raise ValueError(f"table {name!r:.40} has a non-numeric id {key!r:.20}")
            if not isinstance(record, dict):
                raise ValueError(f"table {name!r:.40}: record {key} is not an object")
            if len(key) > 18:  # int() refuses over 4,300 digits; no real id comes near 18
                raise ValueError(f"table {name!r:.40} has an id too long to be real {key:.20}…")
    return data


class _Record(dict[str, Any]):
    """A record that reports being changed in place (TinyDB's ``update`` does that).

    Its cached JSON is reused until it reports a change, so a write costs one
    serialisation per *changed* record, however many the file holds. Changes
    inside nested values (``record["themes"].append``) are not seen: replace
    the value instead, as TinyDB's operations and this store do.
    """

    key: str = ""
    sink: set[str] | None = None

    def _changed(self) -> None:
        if self.sink is not None:
            self.sink.add(self.key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> _Record:  # type: ignore[override,misc]
        self._changed()
        return super().__ior__(other)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def pop(self, *args: Any) -> Any:
        self._changed()
        return super().pop(*args)

    def popitem(self) -> tuple[str, Any]:
        self._changed()
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._changed()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().update(*args, **kwargs)


def _tracked(record: dict[str, Any], key: str, sink: set[str]) -> _Record:
    tracked = _Record(record)
    tracked.key, tracked.sink = key, sink
    return tracked


class AtomicJSONStorage(Storage):
    """TinyDB storage: atomic durable writes, a backup, no overwriting of damage.

    ``read`` re-reads the file only when its signature changed (another process
    wrote it), and hands TinyDB the cached data otherwise. Each record's JSON is
    cached too, so a write re-serialises only the records that changed: that
    keeps a tag cheap in a document holding thousands of them.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self.generation = 0
        """Counts the times the file was (re)loaded from disk."""
        self._data: Data | None = None
        self._sig: Signature | None = None
        self._fragments: dict[str, dict[str, bytes]] = {}
        self._changed: dict[str, set[str]] = {}
        self._exact: set[str] = set()
        """Tables whose fragment cache holds exactly their keys, in order (stale: ``_changed``)."""

    def _stat(self) -> Signature | None:
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(exc.strerror or "cannot read", self.path) from None
        if not stat.S_ISREG(info.st_mode):
            # A FIFO would block the start, a link to /dev/zero never end: never read.
            raise StoreError("not a regular file", self.path)
        return _signature(info)

    def is_current(self) -> bool:
        """Whether the file is still the very one last read or written (one ``stat``)."""
        try:
            return self._sig is not None and self._stat() == self._sig
        except StoreError:
            return False  # read() says what is wrong

    def release(self) -> None:
        """Drop the parsed data but remember which file it was (:meth:`is_current`).

        For a reader that has taken what it needs and will not write through TinyDB:
        a read-only store keeps its annotations, not their records a second time.
        """
        sig = self._sig
        self._forget()
        self._sig = sig

    def _forget(self) -> None:
        """Drop everything cached: the next read parses the file again."""
        self._data, self._sig, self._fragments, self._changed = None, None, {}, {}
        self._exact = set()

    def read(self) -> Data | None:
        sig = self._stat()
        if sig is not None and sig == self._sig and self._data is not None:
            return self._data
        self._forget()
        self._sig = sig
        self.generation += 1
        if sig is None:
            return None
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self._sig = None
            raise StoreError(exc.strerror or "cannot read", self.path) from None
        try:
            self._data = parse(raw)
        except ValueError as exc:
            self._sig = None
            raise StoreError(str(exc), self.path) from None
        return self._data

    def write(self, data: Data) -> None:
        """Write ``data`` (TinyDB's whole database) durably: TinyDB's own write path."""
        self._check_writable()
        self._exact.clear()  # TinyDB rebuilds tables as it likes: compare every key
        self._commit(data)

    def update(self, changes: Mapping[str, Mapping[str, dict[str, Any] | None]]) -> None:
        """Set records by table and key (None removes one) and write the file durably.

        The store's write path. TinyDB's table API would rebuild the whole table
        (two dict comprehensions over every record) for each insert, and the
        serialiser then compare every key: with 10,000 records in a document that
        was most of a tag's cost after the fsyncs. The data changed is the file as
        last read, which the caller (holding the store lock) made sure is current.
        """
        self._check_writable()
        data: Data = self._data if self._data is not None else {}
        try:
            for table, records in changes.items():
                rows = data.setdefault(table, {})
                cache = self._fragments.get(table)
                changed = self._changed.setdefault(table, set())
                for key, record in records.items():
                    if record is None:
                        rows.pop(key, None)
                        if cache is not None:
                            cache.pop(key, None)
                        changed.discard(key)
                        continue
                    if key not in rows and cache is not None and table in self._exact:
                        cache[key] = b""  # its place at the end, as in the table
                    rows[key] = record
                    changed.add(key)
        except BaseException:
            self._forget()
            raise
        self._commit(data)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("read-only: not written", self.path)
        if self._stat() != self._sig:
            # Only ever replace the exact file we last parsed.
            self._forget()
            raise StoreError("changed on disk since it was read: not overwritten", self.path)

    def _commit(self, data: Data) -> None:
        try:
            payload = self._serialise(data)
            self._sig = atomic_write(self.path, payload)
        except BaseException:
            # The cached data was changed in place: forget it, re-read next time.
            self._forget()
            raise
        self._data = data

    def _serialise(self, data: Data) -> list[bytes]:
        """The file's bytes, in pieces, re-serialising only new and changed records.

        The fragment cache follows the table's own order: TinyDB and :meth:`update`
        append new records and delete removed ones, and so does the cache. The
        pieces are written as they are (one copy of the records' bytes, not five).
        """
        pieces = [b"{"]
        for name, table in data.items():
            cache = self._fragments.setdefault(name, {})
            changed = self._changed.setdefault(name, set())
            exact = name in self._exact
            if not exact:
                keys = table.keys()
                for key in cache.keys() - keys:
                    del cache[key]
                changed.intersection_update(keys)
                changed.update(keys - cache.keys())
            for key in sorted(changed, key=int):
                record = table[key]
                if not isinstance(record, _Record) or record.sink is not changed:
                    record = table[key] = _tracked(record, key, changed)
                cache[key] = _dumps(key) + b":" + _dumps(record)
            changed.clear()
            if not exact and list(cache) != list(keys):
                cache = self._fragments[name] = {key: cache[key] for key in keys}
            self._exact.add(name)
            if len(pieces) > 1:
                pieces.append(b",")
            pieces += (_dumps(name) + b":{", b",".join(cache.values()), b"}")
        pieces.append(b"}")
        return pieces

    def close(self) -> None:
        self._forget()


# --- file names -----------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w.-]+")


def doc_filename(rel: str) -> str:
    """A file name for a document's annotations that cannot leave its folder.

    A readable stem from the document's own name plus a hash of the whole
    relative path: ``../x``, absolute paths, separators and control characters
    all end up as one plain name inside the store folder.
    """
    digest = hashlib.sha256(rel.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    base = rel.replace("\\", "/").rsplit("/", 1)[-1]
    stem = _UNSAFE.sub("_", base.removesuffix(".txt")).strip("._-")[:48] or "doc"
    return f"{stem}-{digest}.json"
