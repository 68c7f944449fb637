"""Writing an export to a file without ever leaving half of one, or clobbering one.

A regular file (or a name not yet taken) gets the text through a temporary file in its
folder, flushed and fsynced, that then takes the target's name: with ``os.link`` when
overwriting is not allowed (fails if the name exists, even if it appeared meanwhile), with
``os.replace`` when ``--force`` was given. On any failure the temporary file is removed and
the target is as it was.

What is not a regular file is never replaced (issue 12, item 1): a symbolic link to a
regular file has its *target* replaced, atomically, and stays a link; a FIFO or a character
device (``/dev/null``, a terminal) is written through, as a shell's ``>`` would (no
``--force`` needed: nothing is clobbered, as with bash's ``noclobber``), and a FIFO nobody
reads is refused rather than waited on; anything else (a block device, a socket, a dangling
link) is refused in one line.

:func:`terminal_safe` is for the other destination, a terminal.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO, cast

from reader.errors import UsageError
from reader.layout.sanitize import PLACEHOLDERS
from reader.store.storage import fsync_dir

Produce = Callable[[TextIO], None]
_EXISTS = "already exists (use --force to overwrite)"


def _kind(mode: int) -> str:
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(path: Path, force: bool) -> Path | None:
    """What ``-o path`` would write to, or a one-line refusal.

    Returns:
        The regular file (or free name) to replace atomically — a symbolic link's
        resolved target — or None when ``path`` is a FIFO or a character device,
        written through.

    Raises:
        UsageError: a folder, a block device, a socket, a dangling link, or an
            existing file without ``force``.
    """
    try:
        st = os.stat(path)  # follows links: a link is judged by what it points to
    except FileNotFoundError:
        if os.path.islink(path):
            raise UsageError("is a symbolic link to nothing", path) from None
        return path
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None
    if stat.S_ISDIR(st.st_mode):
        raise UsageError("is a directory", path)
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"is {_kind(st.st_mode)}: an export never replaces it", path)
    if not force:
        raise UsageError(_EXISTS, path)
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def write_file(path: Path, produce: Produce, *, force: bool = False) -> None:
    """Call ``produce(stream)`` on a temporary file, then move it to ``path``.

    A FIFO or a character device at ``path`` is written through instead (see the module
    docstring); a symbolic link has its target replaced.

    Raises:
        UsageError: ``path`` exists and ``force`` is false, is a folder or a device that
            cannot be written through, its folder is missing or not writable, or the
            write failed (one line naming it).
    """
    path = Path(path)
    target = check_target(path, force)
    if target is None:
        _write_through(path, produce)
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("no such folder", folder)
    tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    created = False
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        created = True
        # newline="" so CSV's CRLF and the writers' LF reach the file unchanged.
        with open(fd, "w", encoding="utf-8", newline="", buffering=1 << 20) as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            # Something may have taken the name meanwhile: never replace a non-file.
            if check_target(path, force) != target:
                raise UsageError("changed while the export was written; nothing replaced", path)
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise UsageError(_EXISTS, path) from None
        fsync_dir(folder)
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None
    finally:
        if created:
            # Whatever went wrong, the cleanup must not raise again (EROFS, EIO…).
            with contextlib.suppress(OSError):
                tmp.unlink()


def _write_through(path: Path, produce: Produce) -> None:
    """Write to a FIFO or a character device as ``>`` would; refuse a FIFO with no reader."""
    try:
        # Non-blocking open: a FIFO nobody reads fails at once (ENXIO) instead of hanging.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UsageError("is a named pipe that nothing reads", path) from None
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # swapped since it was looked at
            raise UsageError("changed while the export was written; nothing written", path)
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        tty = os.isatty(fd)
        with open(fd, "w", encoding="utf-8", newline="", closefd=False) as stream:
            produce(terminal_safe(stream) if tty else stream)
            stream.flush()
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None
    finally:
        os.close(fd)


class _VisibleStream(io.TextIOBase):
    """Passes text on with controls drawn as placeholders (newline, tab and CR kept)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._out.write(text.translate(_TERMINAL_SAFE))
        return len(text)

    def flush(self) -> None:
        self._out.flush()


#: CR stays so that CSV's CRLF line ends reach the terminal as line ends.
_TERMINAL_SAFE = {cp: glyph for cp, glyph in PLACEHOLDERS.items() if chr(cp) not in "\n\r"}


def terminal_safe(out: TextIO) -> TextIO:
    """A stream for export data printed on a terminal: no escape sequence gets through.

    Document text may hold ``ESC ] 52 …`` and the like; JSON escapes C0 controls
    but not C1 or bidi controls, and CSV escapes none. On a terminal the data is
    being read, not parsed, so every control is shown as its placeholder.
    """
    return cast(TextIO, _VisibleStream(out))


def binary_stream(out: TextIO) -> BinaryIO | None:
    """``out``'s byte stream, if text written to ``out`` reaches it as UTF-8 unchanged.

    A newline is taken to reach it as ``\\n``: so it does for the files the export opens
    (``newline=""``) and for stdout on POSIX; a caller's text file opened with
    ``newline="\\r\\n"`` (none in this program) would get ``\\n``.
    """
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n":
        return None
    if out.encoding.lower().replace("-", "").replace("_", "") != "utf8":
        return None
    out.flush()  # whatever was written as text goes first
    return cast(BinaryIO, out.buffer)


def write_bytes(out: TextIO, data: bytes) -> None:
    """UTF-8 ``data`` written to the text stream ``out``: to its byte stream when it has
    one that takes UTF-8 unchanged (what was written as text goes first), else as text."""
    raw = binary_stream(out)
    if raw is None:
        out.write(data.decode("utf-8"))
    else:
        raw.write(data)
