"""Schema-1 document files: read (never written) and turned into schema 2.

Until schema 2 a store kept one TinyDB JSON file per document, ``docs/<name>-<hash>.json``,
with two tables: ``_meta`` (record 1: schema version and the document's path) and
``annotations``. A store opened for writing upgrades those files
(:mod:`reader.store.upgrade`); a store opened read-only (``reader export``, a colleague's
store given to ``reader merge``) reads them here as they are.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from reader.errors import StoreError
from reader.store.model import Annotation, from_record
from reader.store.names import doc_filename
from reader.store.storage import Data, Signature, read_regular

META_TABLE = "_meta"
ANNOTATIONS_TABLE = "annotations"
#: The last schema of one-file-per-document stores.
LEGACY_SCHEMA = 1


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


def _signature(path: Path) -> Signature | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(exc.strerror or "cannot read", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise StoreError("not a regular file", path)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


class LegacyFile:
    """One schema-1 document file, checked: its records and what is wrong with it."""

    def __init__(self, path: Path, rel: str | None = None) -> None:
        self.path = path
        self.rel = rel
        """The document it belongs to (None until its ``_meta`` record says)."""
        self.records: dict[str, Annotation] = {}
        self.damaged: str | None = None
        self.sig: Signature | None = None
        self._read = False

    def refresh(self) -> bool:
        """Read the file again if it changed; True if it did (or was never read)."""
        try:
            sig = _signature(self.path)
        except StoreError as exc:
            changed = self.damaged != exc.reason or bool(self.records)
            self.records, self.damaged, self.sig, self._read = {}, exc.reason, None, True
            return changed
        if self._read and sig == self.sig:
            return False
        self._read, self.sig = True, sig
        self.records, self.damaged = {}, None
        if sig is None:
            return True
        try:
            data = parse(read_regular(self.path))
        except OSError as exc:
            self.damaged = exc.strerror or "cannot read"
            return True
        except ValueError as exc:
            self.damaged = str(exc)
            return True
        self._index(data)
        return True

    def _index(self, data: Data) -> None:
        problems: list[str] = []
        meta = data.get(META_TABLE, {}).get("1")
        schema = meta.get("schema") if isinstance(meta, dict) else None
        if not isinstance(schema, int) or isinstance(schema, bool):
            problems.append("no schema version (not a reader store file?)")
        elif schema > LEGACY_SCHEMA:
            problems.append(f"schema version {schema} is newer than a one-file document's (1)")
        rel = meta.get("doc") if isinstance(meta, dict) else None
        if isinstance(rel, str):
            if self.rel is not None and rel != self.rel:
                problems.append(f"holds the annotations of {rel!r:.60}, not {self.rel!r:.60}")
            elif doc_filename(rel) != self.path.name:
                problems.append(f"name does not match its document {rel!r:.60}")
            self.rel = self.rel or rel
        else:
            problems.append("no document path in its _meta record")
        records = self.records
        for record in data.get(ANNOTATIONS_TABLE, {}).values():
            try:
                ann = from_record(record)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if ann.id in records:
                problems.append(f"duplicate id {ann.id!r:.40}")
                continue
            if ann.doc != self.rel:
                problems.append(f"record {ann.id!r:.40} is for another document {ann.doc!r:.60}")
            records[ann.id] = ann
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.damaged = problems[0] + more


class LegacyJSONStorage(Storage):
    """TinyDB's view of a schema-1 file: readable, never written (the store upgrades it)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = read_regular(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(exc.strerror or "cannot read", self.path) from None
        try:
            return parse(raw)
        except ValueError as exc:
            raise StoreError(str(exc), self.path) from None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise StoreError(
            "a schema-1 file is never written: open the store to upgrade it", self.path
        )
