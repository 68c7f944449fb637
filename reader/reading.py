"""Where the analyst is in each document: the reading position, and "done".

Kept in the store folder, in a small file of its own, ``<store>/.reading.json``
(a dot-file: one user's state, left out of a shared repository by the store's
``.gitignore``)::

    {"format": "reader-reading", "schema": 1,
     "documents": {"000_0430b5cc33e0e526.txt": {"offset": 1234, "done": false,
                                                "seen": "2026-12-02T18:00:00.000Z"}}}

A document is *untouched* (not in the file), *in progress* (opened, not marked done)
or *done* (the analyst said so; saying it again takes it back). The offset is a
code point of the document's text, clamped when the text has since grown shorter.

The file is written atomically (a temporary file, ``os.replace``), after merging
what another instance may have written meanwhile; one that cannot be read or
parsed — or an entry that is not one — is ignored, never an error: it only holds
where the reading stopped. With a read-only store nothing is written. Pure: no
Textual.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from reader.errors import StoreError
from reader.store.model import now_iso
from reader.store.storage import atomic_write, read_regular

READING_FILE = ".reading.json"
READING_FORMAT = "reader-reading"
READING_SCHEMA = 1


class State(StrEnum):
    UNTOUCHED = "untouched"
    IN_PROGRESS = "in progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Place:
    """One document's entry: where the cursor was, whether it is done, when last seen."""

    offset: int
    done: bool
    seen: str

    def to_json(self) -> dict[str, Any]:
        return {"offset": self.offset, "done": self.done, "seen": self.seen}

    @classmethod
    def from_json(cls, raw: object) -> Place | None:
        if not isinstance(raw, dict):
            return None
        offset, done, seen = raw.get("offset"), raw.get("done"), raw.get("seen")
        if type(offset) is not int or offset < 0 or type(done) is not bool:
            return None
        return cls(offset, done, seen if isinstance(seen, str) else "")


class ReadingLog:
    """The reading positions and done marks of one store folder."""

    def __init__(self, store_dir: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(store_dir) / READING_FILE
        self.read_only = read_only
        self.error: str | None = None
        """Why the file was ignored or not written (the log works in memory all the same)."""
        self._places: dict[str, Place] = self._read()
        self._changed: set[str] = set()
        """Documents changed here since the last save (merged into what is on disk)."""

    def _read(self) -> dict[str, Place]:
        try:
            raw = json.loads(read_regular(self.path))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as exc:
            self.error = f"{self.path}: ignored ({type(exc).__name__})"
            return {}
        documents = raw.get("documents") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or raw.get("format") != READING_FORMAT:
            self.error = f"{self.path}: not a reading-position file; ignored"
            return {}
        if not isinstance(documents, dict):
            return {}
        places: dict[str, Place] = {}
        for rel, value in documents.items():
            place = Place.from_json(value)
            if isinstance(rel, str) and place is not None:
                places[rel] = place
        return places

    # --- reading it ------------------------------------------------------------------

    def state(self, rel: str) -> State:
        place = self._places.get(rel)
        if place is None:
            return State.UNTOUCHED
        return State.DONE if place.done else State.IN_PROGRESS

    def offset(self, rel: str, length: int) -> int | None:
        """Where the reading of ``rel`` stopped, within a text of ``length`` code points."""
        place = self._places.get(rel)
        return None if place is None else min(place.offset, max(0, length - 1))

    # --- changing it -----------------------------------------------------------------

    def seen(self, rel: str, offset: int) -> None:
        """The cursor of ``rel`` is at ``offset`` (the document is in progress, or done)."""
        place = self._places.get(rel)
        done = place.done if place is not None else False
        if place is None or place.offset != offset:
            self._places[rel] = Place(max(0, offset), done, now_iso())
            self._changed.add(rel)

    def toggle_done(self, rel: str, offset: int = 0) -> bool:
        """Mark ``rel`` done, or in progress again if it was; returns whether it is done."""
        place = self._places.get(rel)
        done = not (place is not None and place.done)
        self._places[rel] = Place(place.offset if place else offset, done, now_iso())
        self._changed.add(rel)
        return done

    def save(self) -> bool:
        """Write what changed, merged into the file as it is now; False if nothing was written."""
        if not self._changed or self.read_only:
            return False
        on_disk = self._read()  # another instance may have saved its own documents
        self.error = None
        merged = {**on_disk, **{rel: self._places[rel] for rel in self._changed}}
        body = {
            "format": READING_FORMAT,
            "schema": READING_SCHEMA,
            "documents": {rel: place.to_json() for rel, place in sorted(merged.items())},
        }
        payload = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, payload, backup=False)
        except (OSError, StoreError) as exc:
            self.error = f"{self.path}: not saved ({exc})"
            return False
        self._places = {**self._places, **merged}  # the file is fresher for the others
        self._changed.clear()
        return True

    def close(self) -> None:
        with contextlib.suppress(Exception):  # never lose the quit over a position
            self.save()
