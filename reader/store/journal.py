"""One annotator's annotations of one document: a JSON Lines log, and a TinyDB ``Storage``.

A schema-2 file is text, one JSON value per line, so that git diffs and merges it line
by line::

    {"format":"reader-log","schema":2,"doc":"news/a.txt","annotator":"A"}     the header
    {"id":"0b1…","doc":"news/a.txt",…}                                        records, by id
    {"id":"7f3…","doc":"news/a.txt",…}
    {"id":"0b1…","doc":"news/a.txt",…,"note":"later"}                         the journal:
    {"deleted":"7f3…","at":"2026-11-22T09:30:00.000Z"}                        appended changes

Reading replays the lines in order: a record replaces any earlier line of its id, a
deletion removes it. A change is one line appended and ``fdatasync``-ed before the call
returns: O(the change), however many records the file holds. *Compaction* rewrites the
file atomically (temporary file, fsync, rename, folder fsync; the previous version kept
as ``.bak``) with each live record once, sorted by id: the journal is folded in.

What a crash can leave, and what becomes of it:

- a *torn* last line (an append cut short; it has no newline): readers ignore it (it may
  also be an append in progress); the next writer, holding the lock, moves its bytes to
  ``<file>.torn`` and cuts the file back to its last complete line: nothing acknowledged
  was in it, and nothing of it is thrown away;
- a compaction's temporary file: removed by the next writer; the log is untouched.

Reading never follows a symbolic link and never opens what is not a regular file (a
FIFO would block, ``/dev/zero`` never end). A complete line that cannot be parsed is
reported with its number; the file is then never written (see
:class:`reader.store.docfile.LogFile`).

Writers must be serialised by the caller (:class:`reader.store.lock.StoreLock`).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from tinydb.storages import Storage

from reader.errors import StoreError
from reader.store.storage import Signature, atomic_write, dumps, fsync_dir

#: The header's ``format``.
LOG_FORMAT = "reader-log"
#: Where the bytes of a torn last line go (beside the file).
TORN_SUFFIX = ".torn"
#: Bytes read and parsed at a time: memory stays bounded however big the file is.
CHUNK = 4 << 20
#: Bytes before the read offset remembered, to tell an append from a rewrite in place.
_GUARD = 64


class Replay(Protocol):
    """What :meth:`LogStorage.poll` feeds the lines to."""

    def restart(self) -> None:
        """The file is read again from its first line: forget what it said before."""

    def line(self, number: int, value: Any) -> None:
        """Line ``number`` (from 1) parsed as ``value``."""

    def bad_line(self, number: int, reason: str) -> None:
        """Line ``number`` is not JSON (``reason`` says how)."""


def _signature(st: os.stat_result) -> Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _parse(chunk: bytes, first: int, replay: Replay) -> None:
    """Feed complete lines (``chunk`` ends with a newline) to ``replay``.

    One parse of the lines joined into an array (JSON strings never hold a raw newline,
    so each line is one value; faster than a parse per line); line by line, to name the
    bad lines and say what is wrong with them, if that fails. A replay that takes many
    lines at once gets orjson's values (several times faster than ``json``) with a way
    to ``json``'s own, which it uses for anything but a plain record (:class:`Exact`).
    """
    body = chunk[:-1]
    joined = b"[" + body.replace(b"\n", b",") + b"]"
    count = body.count(b"\n") + 1  # "1,2" on one line makes two values: then line by line
    many = getattr(replay, "lines", None)
    if many is not None:
        try:
            values = _orjson_loads(joined)
        except ValueError:  # orjson's JSONDecodeError; json may still take it (1e400, 2**64)
            pass
        else:
            if type(values) is list and len(values) == count:
                many(first, values, Exact(body))
                return
    try:
        values = json.loads(joined.decode("utf-8"))
    except (ValueError, RecursionError):
        values = None
    if values is not None and len(values) == count:
        if many is not None:
            many(first, values, None)
        else:
            for number, value in enumerate(values, first):
                replay.line(number, value)
        return
    for number, line in enumerate(body.split(b"\n"), first):
        value, problem = _parse_line(line)
        if problem is None:
            replay.line(number, value)
        else:
            replay.bad_line(number, problem)


def _orjson_loads(data: bytes) -> Any:
    """``orjson.loads``, imported when a log is first read: the import costs a start-up that
    reads none (the library's counts come from the index) several milliseconds."""
    import orjson

    return orjson.loads(data)


def _parse_line(line: bytes) -> tuple[Any, str | None]:
    """One line's value, or what is wrong with it."""
    try:
        return json.loads(line.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, "a blank line" if not line.strip() else f"not valid JSON ({exc.msg})"
    except ValueError as exc:  # a number of more digits than int() takes
        return None, f"not valid JSON ({str(exc)[:60]})"
    except RecursionError:
        return None, "not valid JSON (nested too deeply)"


class Exact:
    """``json``'s reading of the lines orjson parsed, line by line, when asked for.

    The two agree on a plain record (an object of strings, integers and lists of strings:
    the same strings, integers, and the last of repeated keys); for anything else
    (floats, headers, deletions, whatever a check reports) the store takes ``json``'s
    reading, so that what it keeps and says is exactly what it was before orjson — a line
    orjson takes and ``json`` does not (nested 100,000 deep) is a bad line, as it was.
    """

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._lines: list[bytes] | None = None

    def line(self, index: int) -> tuple[Any, str | None]:
        """Line ``index`` (from 0) of the chunk as :func:`json.loads` reads it, or what is
        wrong with it."""
        if index == 0:  # a header: no need to cut the whole chunk into lines
            return _parse_line(self._body.split(b"\n", 1)[0])
        if self._lines is None:
            self._lines = self._body.split(b"\n")
        return _parse_line(self._lines[index])


def _open(path: Path, flags: int) -> int:
    """``os.open`` that never follows a link; errors as one-line StoreErrors."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError("is a symbolic link: not followed", path) from None
        raise StoreError(exc.strerror or "cannot open", path) from None


def read_first_line(path: Path, limit: int = 1 << 16) -> Any:
    """A log's header, parsed (None if it cannot be read or is not JSON)."""
    try:
        fd = _open(path, os.O_RDONLY)
    except (FileNotFoundError, StoreError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        head = os.pread(fd, limit, 0).split(b"\n", 1)[0]
        return json.loads(head)
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)


class LogStorage(Storage):
    """A TinyDB storage over one log file; :meth:`poll` / :meth:`append` are the fast path.

    The store reads with :meth:`poll` (only what was appended since its last look, or the
    whole file when it was replaced) and writes with :meth:`append` and :meth:`compact`.
    TinyDB's own ``read`` and ``write`` work too, on the tables ``_meta`` (the header as
    record 1) and ``annotations`` (records numbered in the order of their first line):
    ``write`` appends what changed, as the store does.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._forget()

    def _forget(self) -> None:
        self._sig: Signature | None = None
        self._offset = 0
        """Bytes of complete lines read so far."""
        self._lines = 0
        self._guard = b""
        self._resumed: Signature | None = None
        self.torn = b""
        """The unterminated last line seen by the last poll (empty: none)."""

    def state(self) -> tuple[Signature, int, int, bytes] | None:
        """What a later :meth:`resume` needs: signature, bytes and lines read, guard bytes."""
        if self._sig is None:
            return None
        return self._sig, self._offset, self._lines, self._guard

    def resume(self, sig: Signature, offset: int, lines: int, guard: bytes) -> None:
        """Start from what an earlier read learnt (a cache): the next poll reads only what
        lies after ``offset``, or the whole file if it is no longer the file described."""
        self._forget()
        self._offset, self._lines, self._guard, self._resumed = offset, lines, guard, sig

    @property
    def size(self) -> int:
        """Bytes of complete lines as last read or written."""
        return self._offset

    @property
    def lines(self) -> int:
        """Complete lines as last read or written."""
        return self._lines

    @property
    def exists(self) -> bool:
        """Whether the file existed when last read or written."""
        return self._sig is not None

    def stat(self) -> Signature | None:
        """The file's signature now (None: it does not exist)."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(exc.strerror or "cannot read", self.path) from None
        return _signature(info)

    def is_current(self) -> bool:
        """Whether the file is exactly as last read or written (one ``lstat``)."""
        try:
            return self._sig is not None and self.stat() == self._sig
        except StoreError:
            return False

    # --- reading --------------------------------------------------------------------

    def poll(self, replay: Replay) -> bool:
        """Feed ``replay`` what the file gained since the last poll.

        Returns:
            False when there is no file (``replay`` is told to restart if there was one).

        Raises:
            StoreError: the file is a link, not a regular file, or cannot be read.
        """
        try:
            fd = _open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            if self._sig is not None:
                self._forget()
                replay.restart()
            return False
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise StoreError("not a regular file", self.path)
            sig = _signature(info)
            if sig == self._sig:
                return True
            old, self._resumed = self._sig or self._resumed, None
            whole = (
                old is None
                or sig[0] != old[0]
                or (sig[1] <= old[1] and sig != old)  # rewritten in place, not appended to
                or sig[1] < self._offset
                or os.pread(fd, len(self._guard), self._offset - len(self._guard)) != self._guard
            )
            if whole:
                self._forget()
                replay.restart()
            self._read(fd, sig[1], replay)
            self._sig = sig
        except OSError as exc:
            self._forget()
            raise StoreError(exc.strerror or "cannot read", self.path) from None
        finally:
            os.close(fd)
        return True

    def _read(self, fd: int, size: int, replay: Replay) -> None:
        """Parse ``[offset, size)`` a chunk at a time; keep an unterminated tail as ``torn``."""
        pos, carry = self._offset, b""
        while pos < size:
            data = carry + os.pread(fd, min(CHUNK, size - pos), pos)
            if len(data) == len(carry):
                break  # the file shrank under us: the next poll sees it
            pos += len(data) - len(carry)
            cut = data.rfind(b"\n") + 1
            if cut:
                _parse(data[:cut], self._lines + 1, replay)
                self._lines += data.count(b"\n", 0, cut)
                self._offset += cut
                self._guard = data[max(0, cut - _GUARD) : cut]
            carry = data[cut:]
        self.torn = carry

    # --- writing (the caller holds the store lock and has just polled) ------------

    def create(self, header: Mapping[str, Any], values: Iterable[Mapping[str, Any]]) -> None:
        """Write a new file (or replace one: compaction) holding exactly these lines."""
        self._check_writable()
        lines = [dumps(header) + b"\n", *(dumps(v) + b"\n" for v in values)]
        sig = atomic_write(self.path, lines)  # keeps the previous version as .bak
        self._forget()
        self._sig, self._offset = sig, sig[1]
        self._lines = len(lines)
        self._guard = b"".join(lines[-2:])[-_GUARD:]

    def append(self, values: Iterable[Mapping[str, Any]]) -> None:
        """Append one line per value and make them durable (``fdatasync``) before returning.

        Raises:
            StoreError: nothing could be written (disk full, read-only): the file is cut
            back to what it was, so no partial line is left behind.
        """
        self._check_writable()
        if self.torn:
            self.set_torn_aside()
        payload = b"".join(dumps(v) + b"\n" for v in values)
        if not payload:
            return
        try:
            fd = _open(self.path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            raise StoreError("gone since it was read: not written", self.path) from None
        except StoreError as exc:
            raise StoreError(f"cannot write: {exc.reason}; nothing written", self.path) from None
        try:
            before = os.fstat(fd)
            if _signature(before) != self._sig:
                raise StoreError("changed on disk since it was read: not written", self.path)
            try:
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view) :]
                os.fdatasync(fd)
            except OSError as exc:
                try:  # leave no partial line: cut back to where this append began
                    os.ftruncate(fd, before.st_size)
                    os.fdatasync(fd)
                except OSError:
                    self._sig = None  # the next poll reads the file again
                raise StoreError(f"cannot write: {exc.strerror or exc}", self.path) from None
            after = os.fstat(fd)
        finally:
            os.close(fd)
        self._offset += len(payload)
        self._lines += payload.count(b"\n")
        self._guard = (self._guard + payload[-_GUARD:])[-_GUARD:]
        if after.st_size == self._offset:
            self._sig = _signature(after)
        else:  # someone wrote without the lock: read it all again next time
            self._forget()

    def set_torn_aside(self) -> None:
        """Move the torn last line to ``<file>.torn`` and cut the file before it.

        Only a writer holding the lock may: then no append is in progress, and the torn
        bytes are what an interrupted write left (never acknowledged). They are kept.
        """
        aside = self.path.with_name(self.path.name + TORN_SUFFIX)
        try:
            fd = os.open(aside, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            try:
                os.write(fd, self.torn + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
            fd = _open(self.path, os.O_WRONLY)
            try:
                os.ftruncate(fd, self._offset)
                os.fdatasync(fd)
                self._sig = _signature(os.fstat(fd))
            finally:
                os.close(fd)
            fsync_dir(self.path.parent)
        except OSError as exc:
            raise StoreError(f"cannot set a torn line aside: {exc.strerror}", self.path) from None
        self.torn = b""

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("read-only: not written", self.path)

    # --- TinyDB's interface -------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The whole file as TinyDB tables (parsed afresh; the fast path is :meth:`poll`)."""
        tables = _Tables()
        fresh = LogStorage(self.path, read_only=True)
        if not fresh.poll(tables):
            return None
        if tables.errors:
            raise StoreError(tables.errors[0], self.path)
        return tables.data()

    def write(self, data: Mapping[str, Mapping[str, Any]]) -> None:
        """Make the file hold ``data``: append a line for each record that changed."""
        header = dict(data.get("_meta", {}).get("1", {}))
        wanted = {str(r.get("id")): dict(r) for r in data.get("annotations", {}).values()}
        tables = _Tables()
        self._forget()  # TinyDB's callers serialise their writes themselves: read it all
        if not self.poll(tables):
            self.create(header, sorted(wanted.values(), key=lambda r: str(r.get("id"))))
            return
        now = {str(r.get("id")): r for r in tables.records.values()}
        lines: list[Mapping[str, Any]] = [r for k, r in wanted.items() if now.get(k) != r]
        lines += [{"deleted": k} for k in sorted(now.keys() - wanted.keys())]
        self.append(lines)

    def close(self) -> None:
        self._forget()


class _Tables:
    """A replay into TinyDB's tables (for :meth:`LogStorage.read` and ``write``)."""

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        self.header: dict[str, Any] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.numbers: dict[str, int] = {}
        self.errors: list[str] = []

    def line(self, number: int, value: Any) -> None:
        if number == 1 and isinstance(value, dict):
            self.header = value
        elif isinstance(value, dict) and isinstance(value.get("deleted"), str):
            self.records.pop(value["deleted"], None)
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            self.numbers.setdefault(value["id"], len(self.numbers) + 1)
            self.records[value["id"]] = value
        else:
            self.errors.append(f"line {number}: not a record")

    def bad_line(self, number: int, reason: str) -> None:
        self.errors.append(f"line {number}: {reason}")

    def data(self) -> dict[str, dict[str, Any]]:
        rows = {str(self.numbers[key]): record for key, record in self.records.items()}
        return {"_meta": {"1": self.header}, "annotations": rows}
