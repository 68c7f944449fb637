"""Suggestion mode's state: which suggestions of a document are open, and the rejected ones.

Pure (no Textual): the reader screen computes the document's suggestions
(:class:`~reader.suggest.Suggestion`) in a worker, then asks :class:`SuggestionState`
which are still open against the document's annotations. Nothing here is remembered
about accepted suggestions: a suggestion is *accepted* while the annotation on its exact
span carries all its themes, so undoing the accept brings it back by itself. Rejections
are the one thing kept, in ``<store>/suggestions.json`` (:class:`Rejections`), so a
rejected sentence stays quiet in later sessions.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reader.corpus import Document, Span
from reader.rejections import REJECTIONS_FILE, Rejections
from reader.store import ORPHANED, Annotation
from reader.suggest import Suggestion
from reader.ui.identity_diff import identity_diff

__all__ = ["REJECTIONS_FILE", "Counts", "Rejections", "SuggestionState"]


def _span_of(item: Suggestion) -> tuple[int, int]:
    return (item.start, item.end)


@dataclass(frozen=True)
class Counts:
    open: int
    accepted: int
    rejected: int


class SuggestionState:
    """The suggestions of one document, split into open, accepted and rejected.

    An open suggestion's ``themes`` are only those its span does not carry yet, so
    accepting it adds exactly them and the margin shows what accepting would add.

    Kept up to date by difference: :meth:`update` compares the annotations with the
    previous call's by object identity (:mod:`reader.ui.identity_diff`) and looks again
    only at the suggestions on the spans of the annotations that changed, and of
    rejections made since; an accept or a reject among thousands of suggestions touches
    one. :attr:`open` keeps its objects while they stay open as they are, so the document
    view can compare it by identity in turn.
    """

    def __init__(
        self, document: Document, suggestions: Sequence[Suggestion], rejections: Rejections
    ) -> None:
        self.document = document
        self.suggestions = sorted(suggestions, key=_span_of)
        self.rejections = rejections
        self.open: list[Suggestion] = []
        """Open suggestions in reading order, themes reduced to the missing ones."""
        self._spans: list[tuple[int, int]] = []
        self.counts = Counts(0, 0, 0)
        self._at_span: dict[tuple[int, int], list[int]] = {}
        for number, sugg in enumerate(self.suggestions):
            self._at_span.setdefault(_span_of(sugg), []).append(number)
        self._shown: list[Suggestion | None] = [None] * len(self.suggestions)
        """What each suggestion shows while open (None: accepted or rejected)."""
        self._status: list[str] = [""] * len(self.suggestions)
        self._listing: list[Annotation] | None = None
        """The annotations of the last update (None: never updated)."""
        self._on_span: dict[tuple[int, int], list[Annotation]] = {}
        self._rejected: set[tuple[int, int]] = set()

    def update(self, annotations: Sequence[Annotation]) -> None:
        """Recompute what is open against the document's current annotations."""
        rejected = self.rejections.spans(self.document)
        spans = {span for span in rejected ^ self._rejected if span in self._at_span}
        self._rejected = rejected
        first = self._listing is None
        if self._listing is None:
            removed: list[Annotation] = []
            added = list(annotations)
        else:
            removed, added = identity_diff(self._listing, annotations)
        self._listing = list(annotations)
        for ann in removed:
            if ann.status != ORPHANED:
                span = (ann.start, ann.end)
                there = self._on_span.get(span, [])
                for k, held in enumerate(there):
                    if held is ann:
                        del there[k]
                        break
                if not there:
                    self._on_span.pop(span, None)
                spans.add(span)
        for ann in added:
            if ann.status != ORPHANED:
                span = (ann.start, ann.end)
                self._on_span.setdefault(span, []).append(ann)
                spans.add(span)
        if first or len(spans) > len(self._at_span) // 4:  # all, or most of them: in order
            self._recompute_all()
        else:
            for span in spans:
                for number in self._at_span.get(span, ()):
                    self._recompute(number)
        self.counts = Counts(
            len(self.open),
            self._status.count("accepted"),
            self._status.count("rejected"),
        )

    def reject(self, suggestion: Suggestion) -> None:
        """Reject ``suggestion`` for good (durable on return), and close it.

        Raises:
            StoreError: as :meth:`Rejections.reject`; nothing changes then.
        """
        self.rejections.reject(self.document, suggestion)
        if self._listing is not None:
            self.update(self._listing)

    def _judge(self, sugg: Suggestion, shown: Suggestion | None) -> tuple[str, Suggestion | None]:
        """Its status and what it shows while open (the object shown now, if still right)."""
        span = _span_of(sugg)
        if span in self._rejected:
            return "rejected", None
        there = self._on_span.get(span)
        if not there:  # the usual case: nothing on it yet
            return "open", sugg
        on_it = {key for ann in there for key in ann.themes}
        missing = tuple(t for t in sugg.themes if t not in on_it)
        if not missing:
            return "accepted", None
        if len(missing) == len(sugg.themes):
            return "open", sugg
        if shown is not None and shown.themes == missing:
            return "open", shown
        return "open", replace(sugg, themes=missing)

    def _recompute_all(self) -> None:
        opened: list[Suggestion] = []
        for number, sugg in enumerate(self.suggestions):
            status, shown = self._judge(sugg, self._shown[number])
            self._status[number], self._shown[number] = status, shown
            if shown is not None:
                opened.append(shown)
        self.open = opened
        self._spans = [_span_of(s) for s in opened]

    def _recompute(self, number: int) -> None:
        before = self._shown[number]
        status, shown = self._judge(self.suggestions[number], before)
        self._status[number] = status
        if shown is before:
            return
        self._shown[number] = shown
        span = _span_of(self.suggestions[number])
        if before is not None:
            where = bisect.bisect_left(self._spans, span)
            while self.open[where] is not before:
                where += 1
            del self.open[where], self._spans[where]
        if shown is not None:
            where = bisect.bisect_right(self._spans, span)
            self.open.insert(where, shown)
            self._spans.insert(where, span)

    def at(self, selection: Span) -> Suggestion | None:
        """The open suggestion on exactly ``selection``, else the one holding its start.

        Suggestions are sentences: they never overlap, so at most one holds an offset.
        """
        here = (selection.start, selection.end)
        index = bisect.bisect_left(self._spans, here)
        if index < len(self._spans) and self._spans[index] == here:
            return self.open[index]
        index = bisect.bisect_right(self._spans, (selection.start, sys.maxsize)) - 1
        if index >= 0 and self.open[index].start <= selection.start < self.open[index].end:
            return self.open[index]
        return None

    def step(self, selection: Span, step: int, *, uncertain: bool = False) -> Suggestion | None:
        """The next (``step > 0``) or previous open suggestion from ``selection``.

        In reading order; or, with ``uncertain``, in order of uncertainty (the one
        closest to the threshold first, ties in reading order): from the suggestion
        under the selection to the next less certain one, from elsewhere to the first.
        """
        if uncertain:
            return self._step_uncertain(selection, step)
        here = (selection.start, selection.end)
        if step > 0:
            index = bisect.bisect_right(self._spans, here)
            return self.open[index] if index < len(self.open) else None
        index = bisect.bisect_left(self._spans, here) - 1
        return self.open[index] if index >= 0 else None

    def _step_uncertain(self, selection: Span, step: int) -> Suggestion | None:
        # Sorted on each press (a few ms for thousands): the open list changes by difference.
        ranked = sorted(self.open, key=lambda s: (s.uncertainty, s.start))
        if not ranked:
            return None
        current = self.at(selection)
        if current is None:
            return ranked[0] if step > 0 else ranked[-1]
        index = next(i for i, s in enumerate(ranked) if s is current) + (1 if step > 0 else -1)
        return ranked[index] if 0 <= index < len(ranked) else None
