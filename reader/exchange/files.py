"""Writing the exports that are not one text stream: a zip (qdpx) and a folder (brat).

Both are built whole in memory first (so a failure leaves nothing behind), then:

- a zip is written through :func:`reader.export.output.write_file` — temporary
  file, fsync, rename, refusing to overwrite without ``force`` — like every export;
- a folder is written under a temporary name next to the target, every file
  fsynced, then renamed into place; with ``force`` an existing folder is swapped
  out and removed only after the new one is in place.

Zips are deterministic: members in the given order, each dated 1980-01-01 with
fixed permissions, so the same export gives the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

from reader.errors import UsageError
from reader.export.output import write_file
from reader.store.storage import fsync_dir

#: The zip epoch: a fixed member date makes the archive reproducible.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Deflate level 1: three times as fast as zlib's default 6, and the XML of a big
#: export still shrinks about fivefold (6 gains a few percent more, at 4 s per 100k).
ZIP_LEVEL = 1


def zip_bytes(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A deterministic zip of ``members`` (name, content), in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in members:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the machine: same bytes everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, payload, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def write_binary(path: Path, payload: bytes, *, force: bool = False) -> None:
    """``payload`` to ``path`` atomically (see :func:`reader.export.output.write_file`)."""

    def produce(stream: TextIO) -> None:
        raw = getattr(stream, "buffer", None)
        if raw is None:  # write_file hands a terminal a filtering text stream
            raise UsageError("is a terminal: a zip is not written to one", path)
        stream.flush()
        raw.write(payload)

    write_file(path, produce, force=force)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_tree(path: Path, files: Sequence[tuple[str, bytes]], *, force: bool = False) -> None:
    """Create the folder ``path`` holding ``files`` (relative POSIX names), all or nothing.

    Raises:
        UsageError: ``path`` is a file, or a non-empty folder and ``force`` is false,
            or its parent folder is missing or not writable.
    """
    path = Path(path)
    if path.is_symlink():  # the link stays a link: the folder it names is replaced
        if not path.exists():
            raise UsageError("is a symbolic link to nothing", path)
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_dir():
        raise UsageError("exists and is not a folder", path)
    if path.is_dir() and any(path.iterdir()) and not force:
        raise UsageError("already exists and is not empty (use --force to replace it)", path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError("no such folder", parent)
    tmp = parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    old = parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.old"
    try:
        tmp.mkdir()
        folders = {tmp}
        written = []
        for name, payload in files:
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
            with open(target, "xb") as out:
                out.write(payload)
            written.append(target)
        # One fsync per file, several at once: fsync waits on the disk without the GIL,
        # and the file system commits concurrent ones together (2,000 files one by one
        # took longer than writing them).
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(_fsync, written))
        for folder in folders:
            fsync_dir(folder)
        if path.is_dir():
            os.rename(path, old)
        os.rename(tmp, path)
        fsync_dir(parent)
    except OSError as exc:
        if old.exists() and not path.exists():
            os.rename(old, path)  # put the previous folder back
        raise UsageError(f"cannot write: {exc.strerror or exc}", path) from None
    finally:
        for leftover in (tmp, old):
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(leftover)
