"""Rejected suggestions: ``<store>/suggestions.json``.

A rejection keeps a sentence quiet in later sessions (the app and ``reader
suggest`` both skip it) and is a negative example for the themes it was
suggested for (:mod:`reader.learn`). Pure core: no Textual.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.corpus import Document
from reader.errors import StoreError
from reader.store.lock import LOCK_FILE, StoreLock
from reader.store.model import now_iso
from reader.store.storage import atomic_write
from reader.suggest import Suggestion

__all__ = ["REJECTIONS_FILE", "Rejected", "Rejections"]

REJECTIONS_FILE = "suggestions.json"
REJECTIONS_FORMAT = "reader-suggestions"
REJECTIONS_SCHEMA = 1

_Key = tuple[str, str, int, int]
"""(document rel, text sha256, start, end): a rejection holds for this text only."""


def _key_of(record: Any) -> _Key | None:
    if not isinstance(record, dict):
        return None
    doc, sha, start, end = (record.get(k) for k in ("doc", "sha256", "start", "end"))
    if not (isinstance(doc, str) and isinstance(sha, str)):
        return None
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        return None
    return (doc, sha, start, end)


@dataclass(frozen=True)
class Rejected:
    """One understood rejection: where, for which themes, and the sentence."""

    doc: str
    sha256: str
    start: int
    end: int
    themes: tuple[str, ...]
    quote: str


class Rejections:
    """The rejected suggestions of a store: ``<store>/suggestions.json``.

    The file is ``{"format": "reader-suggestions", "schema": 1, "rejected": [record…]}``,
    a record per rejection (doc, sha256, start, end, themes, quote, annotator, rejected).
    Each rejection is one transaction under the store's lock: re-read the file (another
    instance may have added to it), append, write atomically (temp, fsync, replace). Records
    this program does not understand are kept as they are. A damaged file is reported in
    :attr:`problem` and never overwritten.
    """

    def __init__(self, root: Path, annotator: str = "", *, read_only: bool = False) -> None:
        self.root = root
        self.path = root / REJECTIONS_FILE
        self.annotator = annotator
        self.read_only = read_only
        self.problem: str | None = None
        """One line when the file cannot be used (damaged, unreadable)."""
        self._records: list[Any] = []
        self._keys: set[_Key] = set()
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._records, self._keys = [], set()
            return
        except OSError as exc:
            self._damaged(exc.strerror or str(exc))
            return
        try:
            data = json.loads(raw)
            records = data["rejected"]
            if data.get("format") != REJECTIONS_FORMAT or not isinstance(records, list):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self._damaged("not a valid suggestions file")
            return
        self._records = records
        self._keys = {key for key in map(_key_of, records) if key is not None}

    def _damaged(self, why: str) -> None:
        self.read_only = True
        self.problem = f"{self.path}: {why}; rejections are not saved"

    def is_rejected(self, doc: Document, start: int, end: int) -> bool:
        return (doc.rel, doc.sha256, start, end) in self._keys

    def records(self) -> Iterator[Rejected]:
        """Every rejection this program understands (records it does not are skipped)."""
        for record in self._records:
            key = _key_of(record)
            if key is None:
                continue
            themes = record.get("themes")
            quote = record.get("quote")
            yield Rejected(
                *key,
                themes=tuple(t for t in themes if isinstance(t, str))
                if isinstance(themes, list)
                else (),
                quote=quote if isinstance(quote, str) else "",
            )

    def spans(self, doc: Document) -> set[tuple[int, int]]:
        """The rejected ``(start, end)`` of this document's text."""
        rel, sha = doc.rel, doc.sha256
        return {(start, end) for r, s, start, end in self._keys if (r, s) == (rel, sha)}

    def reject(self, doc: Document, suggestion: Suggestion) -> None:
        """Remember ``suggestion`` as rejected; durable on return.

        Raises:
            StoreError: the store or this file is read-only, the lock is busy, or the
                write failed; nothing is written then.
        """
        if self.read_only:
            why = self.problem or "the store is read-only"
            raise StoreError(f"{why}; nothing written", self.path)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store: {exc.strerror}", self.root) from None
        record = {
            "doc": doc.rel,
            "sha256": doc.sha256,
            "start": suggestion.start,
            "end": suggestion.end,
            "themes": list(suggestion.themes),
            "quote": doc.text[suggestion.start : suggestion.end],
            "annotator": self.annotator,
            "rejected": now_iso(),
        }
        with StoreLock(self.root / LOCK_FILE):
            self._load()  # another instance may have rejected something meanwhile
            if self.read_only:
                raise StoreError(f"{self.problem}; nothing written", self.path)
            body = {
                "format": REJECTIONS_FORMAT,
                "schema": REJECTIONS_SCHEMA,
                "rejected": [*self._records, record],
            }
            payload = json.dumps(body, ensure_ascii=False, indent=1).encode() + b"\n"
            atomic_write(self.path, payload, backup=False)
        self._records.append(record)
        key = _key_of(record)
        assert key is not None
        self._keys.add(key)
