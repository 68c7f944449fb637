"""What the reader shows: its annotation panel and its document view filtered together.

Two filters, each a key: ``w`` (whose annotations: everyone's, yours, one annotator's —
:class:`reader.ui.ownership.PanelFilter`) and ``f`` (which theme: all, or one theme at a
time, :class:`ThemeFilter`). The panel lists, and the view paints, only the annotations
both keep; ``]``/``[`` and ``tab`` move among those (:func:`step_from`, :func:`first_from`).
The store is never filtered: a key still acts on the passage under the cursor as stored.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter

from reader.store import Annotation, Theme

Keep = Callable[[Annotation], bool]

#: Where an annotation is, for bisecting the store's listing (reading order).
_position = attrgetter("start", "end")


class ThemeFilter:
    """Which theme the reader shows: every one (None), or one theme's annotations."""

    def __init__(self) -> None:
        self.key: str | None = None

    def cycle(self, themes: Sequence[Theme]) -> None:
        """All → each theme in turn (by digit order) → all."""
        order: list[str | None] = [None, *(t.key for t in themes)]
        at = order.index(self.key) if self.key in order else 0
        self.key = order[(at + 1) % len(order)]

    @property
    def keep(self) -> Keep | None:
        key = self.key
        return None if key is None else (lambda ann: key in ann.themes)

    def label(self, themes: Sequence[Theme]) -> str:
        if self.key is None:
            return "every theme"
        theme = next((t for t in themes if t.key == self.key), None)
        return theme.label_en if theme is not None else self.key


def both(*keeps: Keep | None) -> Keep | None:
    """One predicate keeping what every given one keeps (None: keep everything)."""
    wanted = [keep for keep in keeps if keep is not None]
    if not wanted:
        return None
    if len(wanted) == 1:
        return wanted[0]
    return lambda ann: all(keep(ann) for keep in wanted)


def kept(annotations: list[Annotation], keep: Keep | None) -> list[Annotation]:
    """``annotations`` (reading order) that ``keep`` keeps; the same list when no filter."""
    return annotations if keep is None else [a for a in annotations if keep(a)]


def step_from(
    ordered: list[Annotation], here: tuple[int, int], step: int, wanted: Keep
) -> Annotation | None:
    """The next (``step > 0``) or previous annotation from the span ``here`` that is placed
    (not orphaned) and wanted. ``ordered`` is in reading order, as the store lists them: a
    bisection, then a walk to the first one wanted."""
    if step > 0:
        first = bisect.bisect_right(ordered, here, key=_position)
        candidates: Iterable[Annotation] = itertools.islice(ordered, first, None)
    else:
        first = bisect.bisect_left(ordered, here, key=_position)
        candidates = reversed(ordered[:first])
    return next((a for a in candidates if a.status != "orphaned" and wanted(a)), None)


def first_from(ordered: list[Annotation], start: int) -> Annotation | None:
    """The first placed annotation of ``ordered`` (reading order) starting at or after
    ``start``."""
    after = bisect.bisect_left(ordered, start, key=attrgetter("start"))
    return next((a for a in itertools.islice(ordered, after, None) if a.status != "orphaned"), None)
