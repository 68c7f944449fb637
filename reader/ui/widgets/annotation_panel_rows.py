"""The annotation panel's list, without drawing: its items in order, their rows, and diffs.

Pure (no Textual). The panel lists a document's annotations in reading order,
then, under a header, the orphaned ones; an empty list shows one line saying
how to tag. Each item's height is known without laying anything out (an entry:
its head and its quote, and its note when it has one), so the rows of ten
thousand annotations are counted at once and only the ones on screen are drawn.

:meth:`PanelRows.update` takes the document's annotations as the store gives
them and changes only what changed: an annotation is the same while it is
the same object (the store hands back the objects it holds; an edit makes a
new one), so a tag, an undo or a redo removes and inserts one or two items by
bisection instead of sorting and rebuilding the list. :meth:`PanelRows.rebuild`
is the plain way, kept for many changes at once and as the reference the
tests compare the diffs with.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from reader.store import ORPHANED, Annotation
from reader.ui.identity_diff import identity_diff

EMPTY = "empty"
"""The item shown when no annotation is listed."""
ORPHANS = "orphans"
"""The header of the orphaned section."""

Item = Annotation | str
"""An entry, or one of the header lines :data:`EMPTY` and :data:`ORPHANS`."""
Key = tuple[int, int, int, str, str]
"""Sort key: section (0 entries, 1 orphan header, 2 orphans), start, end, created, id."""

#: More changes than this in one update: sorting everything again is as quick.
DIFF_LIMIT = 256

_HEADER_KEYS: dict[str, Key] = {EMPTY: (0, -1, -1, "", ""), ORPHANS: (1, -1, -1, "", "")}


def entry_height(ann: Annotation) -> int:
    """Rows of an entry: the head (themes), the quote, and the note if there is one."""
    return 3 if ann.note else 2


def sort_key(ann: Annotation) -> Key:
    section = 2 if ann.status == ORPHANED else 0
    return (section, ann.start, ann.end, ann.created, ann.id)


@dataclass
class Diff:
    """What an update changed: annotations that left and came (an edit is both)."""

    removed: list[Annotation] = field(default_factory=list)
    added: list[Annotation] = field(default_factory=list)
    rebuilt: bool = False
    """Everything was sorted again (many changes): every drawn item is stale."""
    first: int | None = None
    """The first item whose place, content or row may have changed (None: no item did)."""

    def __bool__(self) -> bool:
        return bool(self.removed or self.added or self.rebuilt)


class PanelRows:
    """Items in order with their heights, kept sorted under small changes."""

    def __init__(self, height_of: Callable[[Annotation], int] = entry_height) -> None:
        self.height_of = height_of
        self.items: list[Item] = [EMPTY]
        self._keys: list[Key] = [_HEADER_KEYS[EMPTY]]
        self._heights: list[int] = [1]
        self._listing: list[Annotation] = []
        """The annotations last given, as given (the filter not applied)."""
        self._keep: Callable[[Annotation], bool] | None = None
        self._by_id: dict[str, Annotation] = {}
        """The listed ones (the filter applied), by id."""
        self._orphans = 0
        self._ends: list[int] | None = None
        """Running totals of the heights: the row after each item (None: to be summed)."""

    # --- reading ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.items)

    @property
    def annotations(self) -> list[Annotation]:
        """The listed annotations, in the panel's order."""
        return [item for item in self.items if isinstance(item, Annotation)]

    @property
    def orphans(self) -> int:
        return self._orphans

    def get(self, ann_id: str) -> Annotation | None:
        return self._by_id.get(ann_id)

    def index_of(self, ann_id: str) -> int | None:
        """The item listing ``ann_id``, found by bisection (None when not listed)."""
        ann = self._by_id.get(ann_id)
        if ann is None:
            return None
        index = bisect.bisect_left(self._keys, sort_key(ann))
        return index if index < len(self.items) and self.items[index] is ann else None

    def _row_ends(self) -> list[int]:
        # Summed in C after each change (~0.2 ms for 10,000 items); then every lookup is a
        # bisection. Items come and go (a Fenwick tree would have to be rebuilt in Python).
        if self._ends is None:
            self._ends = list(accumulate(self._heights))
        return self._ends

    @property
    def total(self) -> int:
        ends = self._row_ends()
        return ends[-1] if ends else 0

    def item_at_row(self, row: int) -> tuple[int, int] | None:
        """``(item, line within it)`` drawn at ``row``, or None past the end."""
        ends = self._row_ends()
        if not 0 <= row < (ends[-1] if ends else 0):
            return None
        index = bisect.bisect_right(ends, row)
        return index, row - (ends[index - 1] if index else 0)

    def span(self, index: int) -> tuple[int, int]:
        """First row and height of item ``index``."""
        ends = self._row_ends()
        return (ends[index - 1] if index else 0), self._heights[index]

    def place(self, start: int) -> tuple[int, int]:
        """Item index and first row where an annotation starting at ``start`` would be
        listed (before any other starting there: the rows around are the same)."""
        index = bisect.bisect_left(self._keys, (0, start, -1, "", ""))
        ends = self._row_ends()
        return index, (ends[index - 1] if index else 0)

    def near(self, start: int, rows: int, above: bool) -> list[Annotation]:
        """The entries in the ``rows`` rows above (or from) where an annotation starting at
        ``start`` would be listed, nearest first: what the panel shows when it scrolls
        down (up) to a new annotation there, which the scroll puts at its bottom (top)."""
        index, row = self.place(start)
        if above:
            first = self.item_at_row(max(0, row - rows))
            items = self.items[first[0] if first else 0 : index][::-1]
        else:
            last = self.item_at_row(min(self.total, row + rows) - 1)
            items = self.items[index : (last[0] + 1 if last else index)]
        return [item for item in items if isinstance(item, Annotation)]

    # --- changing -----------------------------------------------------------------

    def update(self, annotations: Sequence[Annotation]) -> Diff:
        """List ``annotations`` (those the filter keeps); only the ones that changed move.

        What changed is found by identity against the previous call's listing
        (:mod:`reader.ui.identity_diff`).
        """
        removed, added = identity_diff(self._listing, annotations)
        self._listing = list(annotations)
        if len(removed) + len(added) > DIFF_LIMIT:
            self.rebuild(self._listing)
            return Diff(removed, added, rebuilt=True, first=0)
        keep = self._keep
        by_id = self._by_id
        orphans = self._orphans
        touched: list[int] = []
        for ann in removed:
            if by_id.get(ann.id) is ann:
                del by_id[ann.id]
                touched.append(self._remove(ann))
        for ann in added:
            if keep is None or keep(ann):
                if ann.id in by_id:  # the same id twice in one listing: the last one wins
                    touched.append(self._remove(by_id[ann.id]))
                by_id[ann.id] = ann
                touched.append(self._insert(ann))
        touched += self._fix_headers(recount=orphans != self._orphans)
        if touched:
            self._ends = None
        return Diff(removed, added, first=min(touched) if touched else None)

    def set_filter(self, keep: Callable[[Annotation], bool] | None) -> None:
        """List only the annotations ``keep`` accepts (None: all): sorted again."""
        self._keep = keep
        self.rebuild(self._listing)

    def rebuild(self, annotations: Iterable[Annotation]) -> None:
        """Sort and list ``annotations`` (those the filter keeps) from scratch."""
        self._listing = list(annotations)
        keep = self._keep
        self._by_id = {a.id: a for a in self._listing if keep is None or keep(a)}
        entries = sorted(self._by_id.values(), key=sort_key)
        self.items = list(entries)
        self._keys = [sort_key(ann) for ann in entries]
        self._heights = [self.height_of(ann) for ann in entries]
        self._orphans = sum(1 for ann in entries if ann.status == ORPHANED)
        self._fix_headers()
        self._ends = None

    def restyle(self) -> None:
        """Heights may have changed for every entry (a new ``height_of``)."""
        self._heights = [
            self.height_of(item) if isinstance(item, Annotation) else 1 for item in self.items
        ]
        self._ends = None

    def _insert(self, ann: Annotation) -> int:
        key = sort_key(ann)
        index = bisect.bisect_left(self._keys, key)
        self._keys.insert(index, key)
        self.items.insert(index, ann)
        self._heights.insert(index, self.height_of(ann))
        self._orphans += ann.status == ORPHANED
        return index

    def _remove(self, ann: Annotation) -> int:
        index = bisect.bisect_left(self._keys, sort_key(ann))
        if index < len(self.items) and self.items[index] is ann:
            del self._keys[index], self.items[index], self._heights[index]
            self._orphans -= ann.status == ORPHANED
        return index

    def _fix_headers(self, *, recount: bool = False) -> list[int]:
        """The empty line when nothing is listed; the orphan header above any orphan.

        Returns the items touched: a header that came or went, and the orphan header when
        its count changed (``recount``).
        """
        touched = [
            index
            for index in (
                self._header(EMPTY, not self._by_id),
                self._header(ORPHANS, self._orphans > 0),
            )
            if index is not None
        ]
        if recount and self._orphans:
            touched.append(bisect.bisect_left(self._keys, _HEADER_KEYS[ORPHANS]))
        return touched

    def _header(self, which: str, wanted: bool) -> int | None:
        key = _HEADER_KEYS[which]
        index = bisect.bisect_left(self._keys, key)
        present = index < len(self.items) and self.items[index] == which
        if wanted and not present:
            self._keys.insert(index, key)
            self.items.insert(index, which)
            self._heights.insert(index, 1)
            self._ends = None
            return index
        if present and not wanted:
            del self._keys[index], self.items[index], self._heights[index]
            self._ends = None
            return index
        return None


def changed_ids(diff: Diff) -> set[str]:
    """Ids whose drawn entry is stale after ``diff``."""
    return {ann.id for ann in (*diff.removed, *diff.added)}
