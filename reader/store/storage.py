"""Durable file writes and careful reads, shared by every file of a store.

:func:`atomic_write` never leaves a half-written file: it writes a temporary file
in the same folder, flushes and fsyncs it, keeps the previous version as ``.bak``
(a hard link: no copy), ``os.replace``-s the new file in and fsyncs the folder.
When it returns the data survives a ``kill -9`` or a power cut, and at every
instant the file is either the old or the new version.

:func:`read_regular` refuses what is not a regular file. Writers must be
serialised by the caller (:class:`reader.store.lock.StoreLock`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import json.encoder as json_encoder
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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
        # Not unlink(missing_ok=True): on a read-only file system that raises EROFS too.
        with contextlib.suppress(OSError):
            tmp.unlink()
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
        with contextlib.suppress(OSError):
            staged.unlink()


def _unserialisable(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# What json.dumps(value, ensure_ascii=False, separators=(",", ":")) runs, made once: dumps
# makes an encoder per call, a third of the time of a record (an import writes 200,000).
# No circular check: a value here is a record, parsed from JSON or made by to_record.
_make: Any = json_encoder.c_make_encoder  # type: ignore[attr-defined]  # (not in typeshed)
_encode: Callable[[Any, int], Sequence[str]] | None = (
    None
    if _make is None
    else _make(
        None, _unserialisable, json_encoder.encode_basestring, None, ":", ",", False, False, True
    )
)


def dumps(value: Any) -> bytes:
    """Compact JSON in UTF-8, as the store writes every value (what ``json.dumps`` with
    ``ensure_ascii=False`` and ``separators=(",", ":")`` writes, byte for byte)."""
    try:
        if _encode is not None:
            return "".join(_encode(value, 0)).encode("utf-8")
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8: escape it, json reads it back the same.
        return json.dumps(value, separators=(",", ":")).encode("ascii")


# The names moved to reader.store.names; kept here for the modules that import them from here.
from reader.store.names import doc_filename as doc_filename  # noqa: E402
