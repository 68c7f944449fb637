"""Undo and redo: the session's changes, each a before/after pair of one annotation.

A change is ``(doc, before, after)``: an add has no *before*, a delete no
*after*. Undoing applies the inverse change through the store's normal,
durable write path, so an undo survives a crash as surely as a tag does;
only what the change changed is applied, onto the annotation as another
instance may have left it (:mod:`reader.store.rebase`). The history lives in
memory for the session only.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from reader.store.model import Annotation


@dataclass(frozen=True)
class Change:
    """One annotation of one document going from ``before`` to ``after``."""

    doc: str
    before: Annotation | None
    after: Annotation | None

    def inverse(self) -> Change:
        return Change(self.doc, self.after, self.before)

    @property
    def ann_id(self) -> str:
        ann = self.after or self.before
        assert ann is not None
        return ann.id


class History:
    """Two stacks; a new change clears the redo stack."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._undo: deque[Change] = deque(maxlen=limit)  # the oldest fall off the end
        self._redo: deque[Change] = deque(maxlen=limit)

    def record(self, change: Change) -> None:
        self._undo.append(change)
        self._redo.clear()

    def next_undo(self) -> Change | None:
        return self._undo[-1] if self._undo else None

    def next_redo(self) -> Change | None:
        return self._redo[-1] if self._redo else None

    def undone(self) -> None:
        """The change from :meth:`next_undo` was undone."""
        self._redo.append(self._undo.pop())

    def redone(self) -> None:
        """The change from :meth:`next_redo` was applied again."""
        self._undo.append(self._redo.pop())

    def drop(self, which: str) -> None:
        """Forget the change :meth:`next_undo` (``which == "undo"``) or :meth:`next_redo`
        gives: it can no longer be applied."""
        (self._undo if which == "undo" else self._redo).pop()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)
