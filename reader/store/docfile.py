"""One document's annotations: its TinyDB file, checked and indexed.

Each document has its own file under ``<store>/docs/``; a write rewrites only
that file, so tagging stays cheap as the store grows. The file holds two
TinyDB tables: ``_meta`` (record 1: schema version and the document's
relative path) and ``annotations``.

Loading never guesses: a file that cannot be parsed, has a newer schema,
holds invalid or duplicate records, or records of another document is
*damaged*: its valid records are still shown, but nothing is written to it.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from reader.errors import StoreError
from reader.store.model import SCHEMA_VERSION, Annotation, from_record, to_record
from reader.store.storage import BAK_SUFFIX, AtomicJSONStorage, doc_filename

META_TABLE = "_meta"
ANNOTATIONS_TABLE = "annotations"


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while loading records.

    Loading makes a few objects per record and frees none of them; the collector,
    triggered every 700 allocations, would walk them again and again: about half
    the time of opening a 100,000-record store. Records hold no cycles, so nothing
    is lost by collecting once afterwards, as the collector then does by itself.
    """
    if not gc.isenabled():
        yield  # paused already (an outer load, or the program's own choice)
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: Reading order; ``created`` keeps annotations of the same span in the order they were made.
_READING_ORDER = attrgetter("start", "end", "created")


def unknown_themes_line(keys: set[str]) -> str:
    """Issue 6: a record naming a theme this store does not know keeps its document
    read-only until themes.toml knows it; nothing is dropped."""
    listed = ", ".join(repr(k) for k in sorted(keys))
    return f"unknown theme key(s) {listed:.120}: add them to themes.toml"


@dataclass
class DocFile:
    """The state of one document file, as last read or written by this process."""

    path: Path
    rel: str | None = None
    """The document it belongs to (None while unknown: missing or unreadable meta)."""
    read_only: bool = False
    """Never written through: the parsed file is dropped once its records are indexed."""
    damaged: str | None = None
    """Why the file is read-only, or None."""
    unknown_themes: set[str] = field(default_factory=set)
    by_id: dict[str, Annotation] = field(default_factory=dict)
    """The records as they are on disk."""
    view: dict[str, Annotation] = field(default_factory=dict)
    """Re-anchored versions shown but not (yet) written: read-only documents, failed saves."""
    checked_sha: str | None = None
    """Digest of the text the records were last checked against."""
    _doc_ids: dict[str, int] = field(default_factory=dict)
    _next_id: int = 1
    _generation: int = -1
    _sorted: list[Annotation] | None = None

    def __post_init__(self) -> None:
        self.storage = AtomicJSONStorage(self.path, read_only=self.read_only)

    def refresh(self, known_themes: Callable[[str], bool]) -> None:
        """Re-read the file if another process changed it (cheap when it did not)."""
        if self._generation == self.storage.generation and self.storage.is_current():
            return
        with gc_paused():
            try:
                data = self.storage.read()
            except StoreError as exc:
                if self.storage.generation != self._generation:
                    self._generation = self.storage.generation
                    self._reset()
                self.damaged = exc.reason
                return
            if self.storage.generation != self._generation:
                self._generation = self.storage.generation
                self._index(data, known_themes)
            if self.read_only:
                self.storage.release()

    def _reset(self) -> None:
        self.by_id, self.view, self._doc_ids, self._sorted = {}, {}, {}, None
        self.unknown_themes = set()
        self.checked_sha, self.damaged, self._next_id = None, None, 1

    def _index(self, data: Mapping[str, Any] | None, known_themes: Callable[[str], bool]) -> None:
        self._reset()
        if data is None:
            return
        problems: list[str] = []
        meta = data.get(META_TABLE, {}).get("1")
        schema = meta.get("schema") if isinstance(meta, dict) else None
        if not isinstance(schema, int) or isinstance(schema, bool):
            problems.append("no schema version (not a reader store file?)")
        elif schema > SCHEMA_VERSION:
            problems.append(
                f"schema version {schema} is newer than this program's ({SCHEMA_VERSION})"
            )
        rel = meta.get("doc") if isinstance(meta, dict) else None
        if isinstance(rel, str):
            if self.rel is not None and rel != self.rel:
                problems.append(f"holds the annotations of {rel!r:.60}, not {self.rel!r:.60}")
            elif doc_filename(rel) != self.path.name:
                problems.append(f"name does not match its document {rel!r:.60}")
            self.rel = self.rel or rel
        else:
            problems.append("no document path in its _meta record")
        table = data.get(ANNOTATIONS_TABLE, {})
        # The hot loop of opening a store (100,000 records at export): locals only.
        by_id, doc_ids, rel = self.by_id, self._doc_ids, self.rel
        used: set[str] = set()
        next_id = self._next_id
        for key, record in table.items():
            number = int(key)
            if number >= next_id:
                next_id = number + 1
            try:
                ann = from_record(record)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            ann_id = ann.id
            if ann_id in by_id:
                problems.append(f"duplicate id {ann_id!r:.40}")
                continue
            if ann.doc != rel:
                problems.append(f"record {ann_id!r:.40} is for another document {ann.doc!r:.60}")
            by_id[ann_id] = ann
            doc_ids[ann_id] = number
            used.update(ann.themes)
        self._next_id = next_id
        self.unknown_themes = {key for key in used if not known_themes(key)}
        if self.unknown_themes:
            problems.append(unknown_themes_line(self.unknown_themes))
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.damaged = problems[0] + more

    def mark_damaged(self, reason: str) -> None:
        self.damaged = reason

    def hold_unknown_themes(self, keys: set[str]) -> None:
        """A record naming ``keys`` was just written here (an import): read-only from now on."""
        self.unknown_themes |= keys
        if self.damaged is None:
            self.damaged = unknown_themes_line(self.unknown_themes)

    def problem_line(self) -> str | None:
        if self.damaged is None:
            return None
        who = f"{self.rel!r:.60}" if self.rel else "its document"
        bak = self.path.with_name(self.path.name + BAK_SUFFIX)
        backup = f"; previous version kept in {bak.name}" if bak.exists() else ""
        return (
            f"{self.path}: {self.damaged}; {who} is read-only until the file is fixed "
            f"(the file is left as it is){backup}"
        )

    def annotations(self) -> list[Annotation]:
        if self._sorted is None:
            shown = [self.view.get(i, a) for i, a in self.by_id.items()]
            self._sorted = sorted(shown, key=_READING_ORDER)
        return list(self._sorted)

    def set_view(self, ann: Annotation) -> None:
        """Show ``ann`` in memory only (re-anchoring a document that cannot be written)."""
        self.view[ann.id] = ann
        self._sorted = None

    # --- writes (the caller holds the store lock and has refreshed) ------------

    def put(self, before: Annotation | None, after: Annotation | None) -> None:
        """Write one change durably: insert, replace or remove one record.

        Only this record is serialised; the rest of the file is the cached JSON of
        the others (see :meth:`AtomicJSONStorage.update`).
        """
        changed = after or before
        assert changed is not None
        if after is None:
            assert before is not None
            doc_id = self._doc_ids.get(before.id)
            if doc_id is None:
                return
            self.storage.update({ANNOTATIONS_TABLE: {str(doc_id): None}})
            del self._doc_ids[before.id]
            self.by_id.pop(before.id, None)
        elif after.id in self._doc_ids:
            key = str(self._doc_ids[after.id])
            self.storage.update({ANNOTATIONS_TABLE: {key: to_record(after)}})
            self.by_id[after.id] = after
        else:
            doc_id = self._next_id
            changes: dict[str, dict[str, dict[str, Any] | None]] = {}
            if self.storage.read() is None:  # a new file: its _meta record first
                assert self.rel is not None
                changes[META_TABLE] = {"1": {"schema": SCHEMA_VERSION, "doc": self.rel}}
            changes[ANNOTATIONS_TABLE] = {str(doc_id): to_record(after)}
            self.storage.update(changes)
            self._next_id += 1
            self._doc_ids[after.id] = doc_id
            self.by_id[after.id] = after
        self.view.pop(changed.id, None)
        self._sorted = None

    def put_many(self, changed: list[Annotation]) -> None:
        """Replace several existing records in one write (re-anchoring)."""
        records: dict[str, dict[str, Any] | None] = {
            str(self._doc_ids[a.id]): to_record(a) for a in changed if a.id in self._doc_ids
        }
        if not records:
            return
        self.storage.update({ANNOTATIONS_TABLE: records})
        for ann in changed:
            if ann.id in self._doc_ids:
                self.by_id[ann.id] = ann
                self.view.pop(ann.id, None)
        self._sorted = None
