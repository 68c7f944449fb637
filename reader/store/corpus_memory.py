"""The corpus a store remembers: the folders its documents were tagged from (issue 17, 12).

A store keys each document by its path inside the corpus folder it was read from
(``Document.rel``), so the store alone cannot find the text: ``reader export`` or
``reader stats`` run from another folder listed passages out of context. Each tag now
notes the folder its document was read from in ``<store>/.corpus.json``; the commands
look there when no ``--corpus`` is given.

The file is local (a dot-file: the store's ``.gitignore`` keeps it out of git). Shared,
it would be a file every clone changes, with its own layout: git would report a
conflict where two clones keep the corpus in different places. Each folder is kept
twice, relative to the store's folder (a project moved or copied whole finds its own)
and absolute (a store moved alone still finds the corpus); the first that exists wins.
It is a convenience: damaged or odd, it is ignored, and failing to write it never
stops the tag it follows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

from reader.corpus import Document
from reader.store.folder import CORPUS_FILE
from reader.store.storage import atomic_write, read_regular

#: At most this many corpus folders are remembered (the latest kept).
MAX_FOLDERS = 32
#: A bigger ``.corpus.json`` is not read (it is not one this program wrote).
MAX_BYTES = 64 * 1024
_KEYS = ("relative", "absolute")


def _entries(root: Path) -> list[dict[str, str]]:
    """The entries of ``<root>/.corpus.json`` that have the expected shape."""
    path = root / CORPUS_FILE
    try:
        if os.stat(path).st_size > MAX_BYTES:
            return []
        body = json.loads(read_regular(path)[:MAX_BYTES])
    except (OSError, ValueError, RecursionError):
        return []
    given = body.get("folders") if isinstance(body, dict) else None
    found: list[dict[str, str]] = []
    for entry in given if isinstance(given, list) else []:
        values = [entry.get(k) if isinstance(entry, dict) else None for k in _KEYS]
        strings = [v for v in values if isinstance(v, str) and v and "\x00" not in v]
        if len(strings) == len(_KEYS):
            found.append(dict(zip(_KEYS, strings, strict=True)))
    return found


def remembered_folders(root: Path) -> list[Path]:
    """The corpus folders the store at ``root`` remembers that exist now, in the order
    they were first tagged from."""
    found: list[Path] = []
    for entry in _entries(root):
        for path in (Path(os.path.normpath(root / entry["relative"])), Path(entry["absolute"])):
            try:
                if path.is_dir():
                    if path not in found:
                        found.append(path)
                    break
            except OSError:
                continue
    return found


def document_folder(doc: Document) -> Path | None:
    """The corpus folder a document was read from: its path without its store key
    (None when the path does not end with the key, as for a document made in memory)."""
    path = Path(os.path.abspath(doc.path))
    parts = PurePosixPath(doc.rel).parts
    if not parts or ".." in parts or len(parts) >= len(path.parts):
        return None
    if path.parts[-len(parts) :] != parts:
        return None
    return Path(*path.parts[: -len(parts)])


def remember_folder(root: Path, folder: Path) -> bool:
    """Add ``folder`` to what the store at ``root`` remembers; whether it was new.

    The caller holds the store lock (the file's temporary files are then a dead
    writer's when found: :mod:`reader.store.folder`).

    Raises:
        StoreError: it could not be written.
    """
    absolute = str(folder.resolve())
    entries = _entries(root)
    if any(e["absolute"] == absolute for e in entries):
        return False
    relative = os.path.relpath(absolute, root.resolve())
    entries = [*entries, {"relative": relative, "absolute": absolute}][-MAX_FOLDERS:]
    # ASCII: a file name that is not UTF-8 (a lone surrogate here) comes back the same.
    text = json.dumps({"folders": entries}, indent=1) + "\n"
    atomic_write(root / CORPUS_FILE, text.encode("ascii"), backup=False)
    return True
