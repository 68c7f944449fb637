"""What the document view paints over the text: tags, suggestions, search hits.

Each kind is kept by paragraph, so drawing a line looks at its paragraph only,
and a change reports the paragraphs whose drawing changed (a toggle touches one
or two; thousands of suggestions are re-marked after every accept). Turning the
marks of one line into styled runs and margin marks is :meth:`Marks.paint`;
painting them on cells is :mod:`reader.ui.widgets.painting`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from rich.style import Style

from reader.corpus import Document, Span
from reader.store import Annotation, Theme
from reader.suggest import Suggestion
from reader.ui.identity_diff import identity_diff
from reader.ui.theme_keys import UNKNOWN_THEME_COLOR
from reader.ui.widgets.painting import SUGGESTION_MARK, TAG_MARK, suggestion_style, tag_style

#: A painted run: ``(start, end, style)`` in document offsets.
Run = tuple[int, int, Style]


def _paint_order(ann: Annotation) -> tuple[int, int, str, str]:
    """The order a paragraph's tags are painted in (later on top): reading order."""
    return (ann.start, ann.end, ann.created, ann.id)


def _span(sugg: Suggestion) -> tuple[int, int]:
    return (sugg.start, sugg.end)


#: More changed annotations than this in one update: the paragraphs are listed afresh.
DIFF_LIMIT = 256


class Marks:
    """The tags, suggestions and hits of one document, by paragraph."""

    def __init__(self, document: Document, themes: Sequence[Theme]) -> None:
        self.document = document
        self.themes = list(themes)
        self._listing: list[Annotation] = []
        """The annotations last given, as given."""
        self.hits: list[Span] = []
        self.by_paragraph: dict[int, list[Annotation]] = {}
        """Each paragraph's tags, in paint order (:func:`_paint_order`)."""
        self.hits_by_paragraph: dict[int, list[Span]] = {}
        self.suggestions_by_paragraph: dict[int, list[Suggestion]] = {}
        self._suggested: list[Suggestion] = []
        """The suggestions last marked, as given."""
        self.changed_spans: list[tuple[int, int]] | None = None
        """The ``(start, end)`` of the tags the last :meth:`set_annotations` put or took away
        (None: every paragraph was listed afresh): the lines to draw again are those."""

    def paragraphs_of(self, start: int, end: int) -> range:
        """The paragraphs ``[start, end)`` touches."""
        # Bisection on the line starts, without making Paragraph objects (a copy of the text).
        starts = self.document.line_starts
        last_paragraph = len(starts) - 1
        first = min(max(bisect.bisect_right(starts, start) - 1, 0), last_paragraph)
        last = min(max(bisect.bisect_right(starts, max(start, end - 1)) - 1, 0), last_paragraph)
        return range(first, last + 1)

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations shown (orphaned ones have no place in the text)."""
        return [a for a in self._listing if a.status != "orphaned"]

    def set_annotations(self, annotations: Sequence[Annotation]) -> set[int]:
        """Show these annotations; returns the paragraphs whose tags changed.

        A diff by object identity against the previous listing (:mod:`reader.ui.identity_diff`):
        a tag, an undo or a redo moves one annotation, in the one or two paragraphs it covers.
        """
        removed, added = identity_diff(self._listing, annotations)
        self._listing = list(annotations)
        if len(removed) + len(added) > DIFF_LIMIT:
            self.changed_spans = None
            return self._list_afresh()
        self.changed_spans = [
            (ann.start, ann.end) for ann in (*removed, *added) if ann.status != "orphaned"
        ]
        changed: set[int] = set()
        for ann in removed:
            if ann.status == "orphaned":
                continue
            for index in self.paragraphs_of(ann.start, ann.end):
                tags = self.by_paragraph.get(index, [])
                where = bisect.bisect_left(tags, _paint_order(ann), key=_paint_order)
                if where < len(tags) and tags[where] is ann:
                    del tags[where]
                    if not tags:
                        del self.by_paragraph[index]
                changed.add(index)
        for ann in added:
            if ann.status == "orphaned":
                continue
            for index in self.paragraphs_of(ann.start, ann.end):
                tags = self.by_paragraph.setdefault(index, [])
                bisect.insort(tags, ann, key=_paint_order)
                changed.add(index)
        return changed

    def tag_under(self, selection: Span, owner: str | None = None) -> Annotation | None:
        """The tag on exactly ``selection``, else the first (in reading order) holding its start;
        of each, ``owner``'s before another annotator's when ``owner`` is given.

        Every tag holding an offset covers that offset's paragraph: one paragraph's list is
        looked at, not the document's.
        """
        index = self.paragraphs_of(selection.start, selection.start + 1)[0]
        tags = self.by_paragraph.get(index, ())
        exact = (selection.start, selection.end)
        # Best first: exact and owner's, exact, holding and owner's, holding.
        found: list[Annotation | None] = [None, None, None, None]
        for ann in tags:
            if (ann.start, ann.end) == exact:
                rank = 1
            elif ann.start <= selection.start < ann.end:
                rank = 3
            else:
                continue
            if owner is not None and ann.annotator == owner:
                rank -= 1
            if found[rank] is None:
                found[rank] = ann
                if rank == 0 or (rank == 1 and owner is None):
                    break
        return next((ann for ann in found if ann is not None), None)

    def _list_afresh(self) -> set[int]:
        """Every paragraph's tags listed again; the changed ones are all that had or have any."""
        by_paragraph: dict[int, list[Annotation]] = {}
        # The hot loop of opening a document with ten thousand tags: locals, one bisection
        # per end (paragraphs_of, inlined).
        starts = self.document.line_starts
        last_paragraph = len(starts) - 1
        find = bisect.bisect_right
        for ann in sorted(self.annotations, key=_paint_order):
            start = ann.start
            first = min(max(find(starts, start) - 1, 0), last_paragraph)
            last = min(max(find(starts, max(start, ann.end - 1)) - 1, 0), last_paragraph)
            for index in range(first, last + 1):
                tags = by_paragraph.get(index)
                if tags is None:
                    by_paragraph[index] = [ann]
                else:
                    tags.append(ann)
        changed = set(by_paragraph) | set(self.by_paragraph)
        self.by_paragraph = by_paragraph
        return changed

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Underline these search hits (every paragraph is redrawn)."""
        self.hits = list(hits)
        self.hits_by_paragraph = {}
        for hit in self.hits:
            for index in self.paragraphs_of(hit.start, hit.end):
                self.hits_by_paragraph.setdefault(index, []).append(hit)

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> set[int]:
        """Mark these suggested sentences; returns the paragraphs whose marks changed.

        By identity against the previous call, as the tags: an accept or a reject changes
        one suggestion among thousands (:class:`~reader.ui.suggestions.SuggestionState`
        keeps the objects of those that did not change).
        """
        removed, added = identity_diff(self._suggested, suggestions)
        self._suggested = list(suggestions)
        starts = self.document.line_starts
        changed: set[int] = set()
        for sugg in removed:
            index = bisect.bisect_right(starts, sugg.start) - 1
            marked = self.suggestions_by_paragraph.get(index, [])
            for k, held in enumerate(marked):
                if held is sugg:
                    del marked[k]
                    break
            if not marked:
                self.suggestions_by_paragraph.pop(index, None)
            changed.add(index)
        for sugg in added:
            # A suggestion is a sentence, inside one paragraph: one bisect places it.
            index = bisect.bisect_right(starts, sugg.start) - 1
            marked = self.suggestions_by_paragraph.setdefault(index, [])
            bisect.insort(marked, sugg, key=_span)
            changed.add(index)
        return changed

    def paint(
        self, index: int, lo: int, hi: int, hit: Style
    ) -> tuple[list[Run], list[tuple[str, str]]]:
        """Runs and margin of a line of paragraph ``index`` holding ``[lo, hi)``.

        Suggestions first, so that a tag on the same cells paints over them; hits last.
        The margin is a ``(mark, colour)`` per theme.
        """
        runs: list[Run] = []
        marks: dict[str, str] = {}
        marked: list[tuple[int, int, Sequence[str], str, Callable[[str], Style]]] = [
            (s.start, s.end, s.themes, SUGGESTION_MARK, suggestion_style)
            for s in self.suggestions_by_paragraph.get(index, ())
        ]
        marked += [
            (a.start, a.end, a.themes, TAG_MARK, tag_style)
            for a in self.by_paragraph.get(index, ())
        ]
        for start, end, themes, mark, style_of in marked:
            if start < hi and end > lo:
                marks.update(dict.fromkeys(themes, mark))
                first = next((t for t in self.themes if t.key in themes), None)
                # Only keys the theme set does not know (an import's): grey, never hidden.
                runs.append((start, end, style_of(first.color if first else UNKNOWN_THEME_COLOR)))
        runs.extend((h.start, h.end, hit) for h in self.hits_by_paragraph.get(index, ()))
        margin = [(marks.get(theme.key, " "), theme.color) for theme in self.themes]
        return runs, margin
