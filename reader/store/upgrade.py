"""Upgrading a schema-1 store to schema 2 in place: backup first, nothing lost, crash-safe.

Schema 1 kept one TinyDB JSON file per document (``docs/<name>-<hash>.json``);
schema 2 keeps one JSON Lines file per annotator in a folder per document. The
upgrade runs when a store is opened for writing, holding the store lock:

1. *Backup.* Every schema-1 file (with its ``.bak``) and ``store.json`` are
   hard-linked (copied where links fail) into a hidden folder under ``backups/``,
   which is renamed to ``backups/schema-1-<time>/`` once complete.
2. *Convert.* Each readable schema-1 file becomes its document's folder, one file
   per annotator (written atomically). A schema-1 store's reader ignores folders, so
   until step 3 the store is the old one, whole.
3. *Commit.* ``store.json`` is replaced (atomically) by one with ``"schema": 2``:
   from here on the store is the new one, whole.
4. *Clean up.* The converted schema-1 files are removed from ``docs/`` (they are in
   the backup). A schema-2 reader gives a schema-1 file's records only for ids no
   log holds, so a crash before this step shows exactly the new store; the next
   writable open finishes it.

A kill at any instant leaves the old store or the new one, never a mix of them. A
damaged schema-1 file is not converted: it stays where it is, its document
read-only, its valid records shown, until it is fixed (the next writable open then
converts it). A schema-1 file that turns up later in a schema-2 store (a git merge
from an old clone, an old program still running) is converted the same way, its
records added to the logs unless their id is there already.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import StoreError
from reader.store.docfile import DocFile
from reader.store.folder import (
    BACKUPS_DIR,
    DOCS_DIR,
    META_FILE,
    new_meta,
    read_meta,
    remove_stale_temporaries,
    write_gitignore,
    write_meta,
)
from reader.store.legacy import LegacyFile
from reader.store.model import SCHEMA_VERSION, Annotation, to_record
from reader.store.names import LEGACY_SUFFIX
from reader.store.storage import BAK_SUFFIX, TMP_SUFFIX, fsync_dir


@dataclass
class Upgrade:
    """What an upgrade did."""

    documents: int = 0
    annotations: int = 0
    kept: int = 0
    """Schema-1 records not added because a log holds their id already."""
    skipped: list[str] = field(default_factory=list)
    """Damaged schema-1 files left as they are (one line each)."""
    backup: Path | None = None

    def line(self) -> str:
        text = (
            f"store upgraded to schema {SCHEMA_VERSION}: {self.documents} document file(s),"
            f" {self.annotations} annotation(s) converted"
        )
        if self.backup is not None:
            text += f"; the schema-1 files are kept in {self.backup}"
        if self.skipped:
            text += f"; {len(self.skipped)} damaged file(s) left as they are"
        return text


def legacy_files(root: Path, suffix: str = LEGACY_SUFFIX) -> list[Path]:
    """The schema-1 files to convert (or their backups, by ``suffix``): regular files only
    (anything else is reported, and stays as it is)."""
    docs = root / DOCS_DIR
    try:
        with os.scandir(docs) as entries:
            found = [
                Path(e.path)
                for e in entries
                if e.name.endswith(suffix)
                and not e.name.startswith(".")
                and e.is_file(follow_symlinks=False)
            ]
    except OSError:
        return []
    return sorted(found)


def upgrade(root: Path) -> Upgrade | None:
    """Bring ``root`` to schema 2; None when there was nothing to do. The lock is held.

    Raises:
        StoreError: a step failed (disk full, read-only folder). What was done before
        the commit is ignored by every reader; after it, the store is complete.
    """
    meta = read_meta(root)
    if meta.problem is not None:
        raise StoreError(meta.problem.split(": ", 1)[-1], root / META_FILE)
    files = legacy_files(root)
    # Backups left by a cleanup that was cut short (their file is gone already).
    orphans = [b for b in legacy_files(root, BAK_SUFFIX) if not b.with_suffix("").exists()]
    full = meta.schema is None or meta.schema < SCHEMA_VERSION
    if not files and not orphans and not full:
        return None
    docs = root / DOCS_DIR
    remove_stale_temporaries(docs)
    _remove_stale_staging(root / BACKUPS_DIR)
    done = Upgrade()
    done.backup = _backup(root, [*files, *orphans], with_meta=full)
    converted = []
    for path in files:
        legacy = LegacyFile(path)
        legacy.refresh()
        if legacy.damaged is not None or legacy.rel is None:
            done.skipped.append(f"{path}: {legacy.damaged}")
            continue
        if _convert(root, legacy, fresh=full, done=done):
            converted.append(path)
        else:
            done.skipped.append(f"{path}: its document's schema-2 files are damaged")
    if full:  # the commit point
        # Nothing of this clone's (the backup's path, a date): two clones that upgrade
        # the same shared store write the same store.json, which git merges.
        body = {**new_meta(), **meta.body, "schema": SCHEMA_VERSION}
        body["upgraded"] = {"from": meta.schema or 1}
        write_meta(root, body)
    for path in [*converted, *orphans]:
        for gone in (path, path.with_name(path.name + BAK_SUFFIX)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(gone)
    fsync_dir(docs)
    write_gitignore(root)
    return done


def _backup(root: Path, files: list[Path], *, with_meta: bool) -> Path | None:
    """Hard-link (or copy) the schema-1 files into ``backups/schema-1-<time>/``."""
    wanted = [*files, *(p.with_name(p.name + BAK_SUFFIX) for p in files if p.suffix != BAK_SUFFIX)]
    if with_meta:
        wanted.append(root / META_FILE)
    wanted = [p for p in wanted if os.path.lexists(p) and not _backed_up(root, p)]
    if not wanted:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    backups = root / BACKUPS_DIR
    staging = backups / f".schema-1-{stamp}{TMP_SUFFIX}"
    final = backups / f"schema-1-{stamp}"
    try:
        staging.mkdir(parents=True)
        for path in wanted:
            target = staging / (path.name if path.parent == root else f"{DOCS_DIR}-{path.name}")
            try:
                os.link(path, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(path, target, follow_symlinks=False)
        fsync_dir(staging)
        os.rename(staging, final)
        fsync_dir(backups)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"cannot back up before upgrading: {exc.strerror}", backups) from None
    return final


def _backed_up(root: Path, path: Path) -> bool:
    """Whether this very file (same inode) is in a backup already (a finished upgrade's)."""
    try:
        ino = os.lstat(path).st_ino
        for folder in (root / BACKUPS_DIR).iterdir():
            if not folder.name.startswith("."):
                for name in (path.name, f"{DOCS_DIR}-{path.name}"):
                    with contextlib.suppress(FileNotFoundError):
                        if os.lstat(folder / name).st_ino == ino:
                            return True
    except OSError:
        return False
    return False


def _remove_stale_staging(backups: Path) -> None:
    with contextlib.suppress(OSError):
        for entry in backups.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(TMP_SUFFIX):
                shutil.rmtree(entry, ignore_errors=True)


def _convert(root: Path, legacy: LegacyFile, *, fresh: bool, done: Upgrade) -> bool:
    """Write one schema-1 file's records into its document's folder; False if it cannot be."""
    assert legacy.rel is not None
    folder = root / DOCS_DIR / legacy.path.name.removesuffix(LEGACY_SUFFIX)
    by_annotator: dict[str, list[Annotation]] = defaultdict(list)
    for ann in legacy.records.values():
        by_annotator[ann.annotator].append(ann)
    if fresh and folder.is_dir():
        _clear(folder)  # what an interrupted upgrade wrote: made again from the same file
    doc = DocFile(folder, legacy.rel)
    doc.refresh()
    damaged = [doc.log_for(a).damaged for a in by_annotator]
    if any(damaged) or doc.duplicates:
        return False  # never write into a file that cannot be read
    for annotator, anns in sorted(by_annotator.items()):
        new = sorted((a for a in anns if a.id not in doc.by_id), key=lambda a: a.id)
        done.kept += len(anns) - len(new)
        if new:
            doc.write(annotator, [to_record(a) for a in new])
            done.annotations += len(new)
    done.documents += 1
    return True


def _clear(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.suffix == ".jsonl" or entry.name.endswith(TMP_SUFFIX):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(entry).st_mode):
                    os.unlink(entry)
