"""Writing an export to a file without ever leaving half of one, or clobbering one.

The text goes to a temporary file in the target's folder, is flushed and
fsynced, then takes the target's name: with ``os.link`` when overwriting is not
allowed (fails if the name exists, even if it appeared meanwhile), with
``os.replace`` when ``--force`` was given. On any failure the temporary file is
removed and the target is as it was.

:func:`terminal_safe` is for the other destination, a terminal.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, cast

from reader.errors import UsageError
from reader.layout.sanitize import PLACEHOLDERS
from reader.store.storage import fsync_dir


def write_file(path: Path, produce: Callable[[TextIO], None], *, force: bool = False) -> None:
    """Call ``produce(stream)`` on a temporary file, then move it to ``path``.

    Raises:
        UsageError: ``path`` exists and ``force`` is false, is a folder, or its
            folder is missing or not writable (one line naming it).
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError("is a directory", path)
    if path.exists() and not force:
        raise UsageError("already exists (use --force to overwrite)", path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("no such folder", folder)
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        # newline="" so CSV's CRLF and the writers' LF reach the file unchanged.
        with open(tmp, "x", encoding="utf-8", newline="", buffering=1 << 20) as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UsageError("already exists (use --force to overwrite)", path) from None
        fsync_dir(folder)
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


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
