"""The store folder: its layout, ``store.json``, ``.gitignore``, and stale temporary files.

Layout of a store folder (``annotations/`` by default), schema 2::

    store.json                        {"format": "reader-store", "schema": 2, …}   shared
    themes.toml                       optional theme set (reader.store.themes)       shared
    .gitignore                        written by the store: its local files
    .lock  .index.json  …             local state: every dot-file
    .corpus.json                      the corpus folders tagged from (reader.store.corpus_memory)
    docs/<name>-<hash>/<annotator>-<hash>.jsonl   one annotator's log of one document
    docs/<name>-<hash>/…jsonl.bak     the file before its last compaction (local)
    backups/schema-1-<time>/          the schema-1 files an upgrade replaced (local)

What is shared (tracked by git) is text that diffs line by line, and every annotator
writes only files of their own: two annotators' stores merge without conflicts.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import StoreError
from reader.store.model import SCHEMA_VERSION
from reader.store.names import LEGACY_SUFFIX
from reader.store.storage import BAK_SUFFIX, TMP_SUFFIX, atomic_write, fsync_dir, read_regular

META_FILE = "store.json"
DOCS_DIR = "docs"
BACKUPS_DIR = "backups"
GITIGNORE = ".gitignore"
CORPUS_FILE = ".corpus.json"
#: The store folder's files written only under the store lock.
LOCKED_FILES = (META_FILE, GITIGNORE, CORPUS_FILE)
STORE_FORMAT = "reader-store"

#: What the store writes into a new ``.gitignore``: the files that are one user's, or
#: caches, and would only conflict in a shared repository.
GITIGNORE_TEXT = """\
# Written by reader: this store's local files (caches, locks, backups, one user's
# settings and exports). The annotations (docs/*/*.jsonl), store.json and themes.toml
# are shared.
.*
!.gitignore
!.gitattributes
keymap.toml
*.bak
*.torn
/backups/
/exports/
"""


@dataclass
class Meta:
    """What ``store.json`` says, and whether the store can be written because of it."""

    schema: int | None = None
    """None: no ``store.json`` (a new store, or a schema-1 store made before it existed)."""
    problem: str | None = None
    """Why the store must stay read-only (one line), if it must."""
    body: dict[str, object] = field(default_factory=dict)


def read_meta(root: Path) -> Meta:
    """Read ``<root>/store.json``; never raises (a problem makes the store read-only)."""
    if root.exists() and not root.is_dir():
        return Meta(problem=f"{root}: not a folder; the store is read-only")
    path = root / META_FILE
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return Meta()
    except OSError as exc:
        return Meta(problem=f"{path}: {exc.strerror}; the store is read-only")
    try:
        body = json.loads(raw)
        schema = body["schema"]
        if type(schema) is not int:
            raise TypeError
    except (ValueError, KeyError, TypeError, RecursionError):
        return Meta(problem=f"{path}: not a valid store file; the store is read-only")
    if schema > SCHEMA_VERSION:
        return Meta(
            schema,
            f"{path}: schema version {schema} is newer than this program's "
            f"({SCHEMA_VERSION}); the store is read-only",
            body,
        )
    return Meta(schema, None, body)


def write_meta(root: Path, body: dict[str, object]) -> None:
    """Replace ``store.json`` durably (its keys in a stable order, one per line)."""
    text = json.dumps(body, indent=1, ensure_ascii=False) + "\n"
    atomic_write(root / META_FILE, text.encode("utf-8"), backup=False)


def new_meta() -> dict[str, object]:
    """A new store's ``store.json``: the same bytes in every clone that makes one (no date,
    no path, nothing of the user's), so two clones that each made the store add the same
    file, which git merges without a conflict."""
    return {"format": STORE_FORMAT, "schema": SCHEMA_VERSION}


def has_legacy_files(root: Path) -> bool:
    """Whether ``docs/`` holds schema-1 document files."""
    try:
        with os.scandir(root / DOCS_DIR) as entries:
            return any(
                e.name.endswith((LEGACY_SUFFIX, LEGACY_SUFFIX + BAK_SUFFIX))
                and not e.name.startswith(".")
                for e in entries
            )
    except OSError:
        return False


def create_layout(root: Path) -> None:
    """Make ``docs/``, ``store.json`` and ``.gitignore`` if they are missing (lock held)."""
    try:
        if not root.is_dir():
            root.mkdir(parents=True, exist_ok=True)
            fsync_dir(root.parent)  # the new folder itself must survive a power cut
        (root / DOCS_DIR).mkdir(exist_ok=True)
        fsync_dir(root)
    except OSError as exc:
        raise StoreError(f"cannot create the store: {exc.strerror}", root) from None
    if not (root / META_FILE).exists():
        write_meta(root, new_meta())
    write_gitignore(root)


def write_gitignore(root: Path) -> None:
    """Write the store's ``.gitignore`` unless there is one (a user's own is kept)."""
    path = root / GITIGNORE
    if not os.path.lexists(path):
        with contextlib.suppress(StoreError):  # a convenience: never stops a write
            atomic_write(path, GITIGNORE_TEXT.encode(), backup=False)


#: A temporary file of a writer that takes no lock (a cache's) is left alone this long.
UNLOCKED_TMP_AGE_S = 600


def _stale(path: Path, *, locked_only: bool) -> bool:
    """Whether a temporary file is a dead writer's.

    In a folder only writers holding the store lock write to (``docs/`` and its folders),
    every one is, since this process holds the lock now; so is ``store.json``'s. Elsewhere
    in the store's own folder, where caches are written without the lock, only one whose
    writer is dead — its process id, in the names the store gives, is not running here —
    or that is older than :data:`UNLOCKED_TMP_AGE_S`.
    """
    if locked_only or path.name.startswith(tuple(f".{n}." for n in LOCKED_FILES)):
        return True  # written only under the lock (store.json, .gitignore, .corpus.json)
    parts = path.name.split(".")
    pid = next((int(p) for p in reversed(parts[:-1]) if p.isdigit() and len(p) < 10), None)
    if pid is not None:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            pass  # alive, someone else's
    try:
        return time.time() - os.lstat(path).st_mtime > UNLOCKED_TMP_AGE_S
    except OSError:
        return False


def remove_stale_temporaries(folder: Path, *, locked_only: bool = True) -> int:
    """Remove the temporary files killed writers left in ``folder``; how many.

    Only while holding the store lock: then no writer of ``folder`` is between creating a
    temporary file and renaming it (see :func:`_stale` for the store's own folder, with
    ``locked_only=False``). Best effort (a read-only folder keeps them).
    """
    removed = 0
    try:
        with os.scandir(folder) as entries:
            names = [
                e.name for e in entries if e.name.startswith(".") and e.name.endswith(TMP_SUFFIX)
            ]
    except OSError:
        return 0
    for name in names:
        with contextlib.suppress(OSError):
            if _stale(folder / name, locked_only=locked_only):
                os.unlink(folder / name)
                removed += 1
    return removed
