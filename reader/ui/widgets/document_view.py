"""The document view: paragraphs laid out by the engine, a passage cursor, tags in colour.

A Line API widget: only the rows on screen are laid out and drawn. Paragraph
heights start as estimates and become exact when a paragraph is first laid out,
so a twenty-megabyte article opens at once and scrolls smoothly. The cursor and
the tags are painted on the exact cells of their logical ranges through
``VisualLine.column_spans``; a margin on the right carries one mark per theme.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.corpus import Document, Span
from reader.layout import BidiMode, VisualLine, layout_paragraph
from reader.store import Annotation, Theme
from reader.suggest import Suggestion
from reader.ui.navigation import Navigator
from reader.ui.rows import RowIndex
from reader.ui.widgets.painting import (
    SUGGESTION_MARK,
    TAG_MARK,
    line_segments,
    suggestion_style,
    tag_style,
)
from reader.ui.widgets.scrolling import set_virtual_size

#: Rough columns per code point (in tenths), to estimate the height of a paragraph not yet
#: laid out: wrapping at spaces leaves some columns unused.
_ESTIMATE_TENTHS = 11


def _drawn(annotations: list[Annotation]) -> list[tuple[int, int, tuple[str, ...]]]:
    """What of a paragraph's annotations shows on screen: spans and themes."""
    return [(a.start, a.end, tuple(a.themes)) for a in annotations]


class DocumentView(ScrollView, can_focus=True):
    """A document, read right to left, with a sentence cursor.

    | Key | Action |
    | --- | --- |
    | down, j / up, k | next / previous sentence |
    | J, ctrl+down / K, ctrl+up | next / previous paragraph |
    | g, home / G, end | first / last sentence |
    | pageup / pagedown | a screen up / down |
    | p | select the whole paragraph |
    | left / right | move the selection's end by a word, the way the eye sees |
    | shift+left / shift+right | move the selection's start by a word |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"document-view--cursor", "document-view--hit"}
    DEFAULT_CSS = """
    DocumentView { height: 1fr; background: $surface; scrollbar-gutter: stable; }
    DocumentView > .document-view--cursor { background: $accent 60%; text-style: bold; }
    DocumentView > .document-view--hit { text-style: underline bold; color: $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,j", "next_sentence", "Next", id="view.next_sentence", tooltip="Next sentence"
        ),
        Binding(
            "up,k",
            "previous_sentence",
            "Prev",
            id="view.previous_sentence",
            tooltip="Previous sentence",
        ),
        Binding(
            "J,ctrl+down",
            "next_paragraph",
            "Next ¶",
            id="view.next_paragraph",
            tooltip="First sentence of the next paragraph",
            show=False,
        ),
        Binding(
            "K,ctrl+up",
            "previous_paragraph",
            "Prev ¶",
            id="view.previous_paragraph",
            tooltip="First sentence of the previous paragraph",
            show=False,
        ),
        Binding("g,home", "first", "Top", id="view.top", tooltip="First sentence", show=False),
        Binding("G,end", "last", "Bottom", id="view.bottom", tooltip="Last sentence", show=False),
        Binding(
            "pageup", "page(-1)", "Page up", id="view.page_up", tooltip="A screen up", show=False
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            id="view.page_down",
            tooltip="A screen down",
            show=False,
        ),
        Binding(
            "p",
            "select_paragraph",
            "¶",
            id="view.select_paragraph",
            tooltip="Select the whole paragraph",
        ),
        Binding(
            "left",
            "edge('end', 'left')",
            "End ←",
            id="view.end_left",
            show=False,
            tooltip="Move the selection's end a word left (forward in a right-to-left line)",
        ),
        Binding(
            "right",
            "edge('end', 'right')",
            "End →",
            id="view.end_right",
            show=False,
            tooltip="Move the selection's end a word right (backward in a right-to-left line)",
        ),
        Binding(
            "shift+left",
            "edge('start', 'left')",
            "Start ←",
            id="view.start_left",
            show=False,
            tooltip="Move the selection's start a word left",
        ),
        Binding(
            "shift+right",
            "edge('start', 'right')",
            "Start →",
            id="view.start_right",
            show=False,
            tooltip="Move the selection's start a word right",
        ),
    ]

    class SelectionChanged(Message):
        """The passage cursor moved."""

        def __init__(self, view: DocumentView, selection: Span) -> None:
            super().__init__()
            self.view = view
            self.selection = selection

        @property
        def control(self) -> DocumentView:
            return self.view

    def __init__(
        self,
        document: Document,
        themes: Sequence[Theme],
        annotations: Sequence[Annotation] = (),
        mode: BidiMode = BidiMode.APP,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.document = document
        self.themes = list(themes)
        self.mode = mode
        self.navigator = Navigator(document)
        self.selection: Span = self.navigator.first() or Span(0, 0)
        """The passage the keys act on, in document offsets."""
        self.annotations: list[Annotation] = []
        self.hits: list[Span] = []
        self._by_paragraph: dict[int, list[Annotation]] = {}
        self._hits_by_paragraph: dict[int, list[Span]] = {}
        self._suggestions_by_paragraph: dict[int, list[Suggestion]] = {}
        self._suggested: set[tuple[int, int, tuple[str, ...]]] = set()
        self._text_width = 0
        self._lines: dict[int, tuple[VisualLine, ...]] = {}
        self._rows = RowIndex()
        """Paragraph heights (estimates until laid out) and their first rows."""
        self._unsettled = False
        """A height changed since the virtual size was last set."""
        self._drag_anchor: int | None = None
        self._generation = 0
        """Bumped whenever row positions change."""
        self._strips: dict[tuple[int, int], Strip] = {}
        """Drawn lines by (paragraph, line): only the cursor's paragraphs are redrawn on a move."""
        self._base = Style()
        self.set_annotations(annotations)

    # --- data in ------------------------------------------------------------

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Show these annotations (the document's, anchored or re-anchored)."""
        self.annotations = [a for a in annotations if a.status != "orphaned"]
        by_paragraph: dict[int, list[Annotation]] = {}
        for ann in self.annotations:
            for index in self._paragraphs_of(ann.start, ann.end):
                by_paragraph.setdefault(index, []).append(ann)
        # Redraw only the paragraphs whose tags changed: a toggle touches one or two.
        changed = {
            index
            for index in by_paragraph.keys() | self._by_paragraph.keys()
            if _drawn(by_paragraph.get(index, [])) != _drawn(self._by_paragraph.get(index, []))
        }
        self._by_paragraph = by_paragraph
        for key in [k for k in self._strips if k[0] in changed]:
            del self._strips[key]
        self.refresh()

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Underline these search hits."""
        self.hits = list(hits)
        self._hits_by_paragraph = {}
        for hit in self.hits:
            for index in self._paragraphs_of(hit.start, hit.end):
                self._hits_by_paragraph.setdefault(index, []).append(hit)
        self._strips.clear()
        self.refresh()

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Mark these suggested sentences (none: suggestion mode is off)."""
        # A suggestion is a sentence, inside one paragraph: one bisect places it. Thousands
        # are re-marked after every accept or reject; only paragraphs that changed are redrawn.
        starts = self.document.line_starts
        by_paragraph: dict[int, list[Suggestion]] = {}
        for sugg in suggestions:
            by_paragraph.setdefault(bisect.bisect_right(starts, sugg.start) - 1, []).append(sugg)
        drawn = {(s.start, s.end, s.themes) for s in suggestions}
        changed = {bisect.bisect_right(starts, key[0]) - 1 for key in drawn ^ self._suggested}
        self._suggestions_by_paragraph, self._suggested = by_paragraph, drawn
        for key in [k for k in self._strips if k[0] in changed]:
            del self._strips[key]
        self.refresh()

    def _paragraphs_of(self, start: int, end: int) -> range:
        first = self.document.paragraph_at(start).index
        last = self.document.paragraph_at(max(start, end - 1)).index
        return range(first, last + 1)

    # --- rows -----------------------------------------------------------------

    @property
    def text_width(self) -> int:
        """Columns for the text: the view less the theme margin."""
        return self._text_width

    def _margin(self) -> int:
        return len(self.themes) + 1

    def _reset_rows(self, width: int) -> None:
        self._text_width = max(1, width - self._margin())
        self._lines.clear()
        starts = self.document.line_starts
        ends = [*starts[1:], len(self.document.text) + 1]
        # Integer arithmetic: a 20 MB document has some 100,000 paragraphs to estimate.
        scale = self._text_width * 10
        self._rows = RowIndex(
            (length * _ESTIMATE_TENTHS + scale - 1) // scale or 1
            for length in map(operator.sub, ends, starts)
        )
        self._strips.clear()
        self._unsettled = True
        self._settle()

    def _settle(self) -> None:
        """Publish changed heights: a new virtual size, and row positions may have moved."""
        if self._unsettled:
            self._unsettled = False
            self._generation += 1
            set_virtual_size(self, Size(self._text_width + self._margin(), self._rows.total))

    def lines_of(self, index: int) -> tuple[VisualLine, ...]:
        """The laid-out lines of paragraph ``index`` at the current width."""
        lines = self._lines.get(index)
        if lines is None:
            text = self.document.paragraph(index).text
            lines = layout_paragraph(text, self._text_width, self.mode)
            self._lines[index] = lines
            if self._rows.height(index) != len(lines):
                # O(log n); the virtual size is set by the caller, once per batch.
                self._rows.set(index, len(lines))
                self._unsettled = True
        return lines

    def _ensure(self, first: int, last: int) -> None:
        for index in range(max(0, first), min(last, len(self._rows) - 1) + 1):
            self.lines_of(index)
        self._settle()

    def row_of(self, offset: int) -> int:
        """The virtual row drawing ``offset``."""
        paragraph = self.document.paragraph_at(offset)
        self._ensure(paragraph.index, paragraph.index)
        local = offset - paragraph.start
        for number, line in enumerate(self.lines_of(paragraph.index)):
            if local < line.end or number == len(self._lines[paragraph.index]) - 1:
                return self._rows.start(paragraph.index) + number
        return self._rows.start(paragraph.index)

    def line_at_row(self, row: int) -> tuple[int, VisualLine] | None:
        """``(paragraph index, line)`` drawn at virtual ``row``."""
        if not len(self._rows) or not 0 <= row < self._rows.total:
            return None
        index = self._rows.find(row)
        lines = self.lines_of(index)
        self._settle()
        number = row - self._rows.start(index)
        return (index, lines[number]) if number < len(lines) else None

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width or event.size.width
        if max(1, width - self._margin()) != self._text_width or not len(self._rows):
            self._reset_rows(width)
            self.scroll_to_selection(center=True)

    # --- drawing ----------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Lay out what is about to be seen; heights settle in a pass or two.
        for _ in range(3):
            top = int(self.scroll_offset.y) + crop.y
            first = self._rows.find(top)
            last = self._rows.find(top + crop.height) + 1
            before = self._generation
            self._ensure(first, last)
            if self._generation == before:
                break
        # The widget's style is costly to compute: once per frame, not once per line.
        base = self.rich_style
        if base != self._base:
            self._base = base
            self._strips.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._base
        found = self.line_at_row(scroll_y + y)
        if found is None:
            return Strip.blank(width, base)
        index, line = found
        key = (index, scroll_y + y - self._rows.start(index))
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * 1024:  # a long read through a big document: start afresh
                self._strips.clear()
            strip = Strip(self._segments(index, line, base), self._text_width + self._margin())
            self._strips[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _forget(self, span: Span) -> None:
        """Drop the drawn lines of the paragraphs ``span`` touches (the cursor left or came)."""
        paragraphs = set(self._paragraphs_of(span.start, span.end))
        for key in [k for k in self._strips if k[0] in paragraphs]:
            del self._strips[key]

    def _segments(self, index: int, line: VisualLine, base: Style) -> list[Segment]:
        paragraph_start = self.document.line_starts[index]
        lo, hi = paragraph_start + line.start, paragraph_start + line.end
        runs: list[tuple[int, int, Style]] = []
        marks: dict[str, str] = {}
        # Suggestions first: a tag on the same cells paints over them.
        marked: list[tuple[int, int, Sequence[str], str, Callable[[str], Style]]] = [
            (s.start, s.end, s.themes, SUGGESTION_MARK, suggestion_style)
            for s in self._suggestions_by_paragraph.get(index, ())
        ]
        marked += [
            (a.start, a.end, a.themes, TAG_MARK, tag_style)
            for a in self._by_paragraph.get(index, ())
        ]
        for start, end, themes, mark, style_of in marked:
            if start < hi and end > lo:
                marks.update(dict.fromkeys(themes, mark))
                first = next((t for t in self.themes if t.key in themes), None)
                if first is not None:
                    runs.append((start, end, style_of(first.color)))
        hit = self.get_component_rich_style("document-view--hit")
        runs.extend((h.start, h.end, hit) for h in self._hits_by_paragraph.get(index, ()))
        if self.selection.end > self.selection.start:
            runs.append((self.selection.start, self.selection.end, self._cursor_style()))
        margin = [(marks.get(theme.key, " "), theme.color) for theme in self.themes]
        return line_segments(line, paragraph_start, self._text_width, base, runs, margin)

    def _cursor_style(self) -> Style:
        return self.get_component_rich_style("document-view--cursor")

    # --- the cursor -------------------------------------------------------------

    def select(self, span: Span | None, *, center: bool = False) -> None:
        """Move the passage cursor to ``span`` and bring it on screen."""
        if span is None or span == self.selection:
            return
        previous = self.selection
        self._forget(previous)
        self._forget(span)
        self.selection = span
        self.scroll_to_selection(center=center)
        # Repaint only the rows of the old and the new passage (a scroll repaints all).
        for old_or_new in (previous, span):
            top = self.row_of(old_or_new.start)
            bottom = self.row_of(max(old_or_new.start, old_or_new.end - 1))
            self.refresh_lines(top, bottom - top + 1)
        self.post_message(self.SelectionChanged(self, span))

    def scroll_to_selection(self, *, center: bool = False) -> None:
        if not len(self._rows) or self.size.height == 0:
            return
        top = self.row_of(self.selection.start)
        bottom = self.row_of(max(self.selection.start, self.selection.end - 1))
        height = min(bottom - top + 1, self.size.height)
        self.scroll_to_region(
            Region(0, top, 1, height), animate=False, center=center, immediate=True
        )

    def _rtl_at(self, offset: int) -> bool:
        paragraph = self.document.paragraph_at(offset)
        lines = self.lines_of(paragraph.index) if len(self._rows) else ()
        self._settle()
        return lines[0].rtl if lines else True

    def action_next_sentence(self) -> None:
        self.select(self.navigator.next_sentence(self.selection.start))

    def action_previous_sentence(self) -> None:
        self.select(self.navigator.previous_sentence(self.selection.start))

    def action_next_paragraph(self) -> None:
        self.select(self.navigator.next_paragraph(self.selection.start))

    def action_previous_paragraph(self) -> None:
        self.select(self.navigator.previous_paragraph(self.selection.start))

    def action_first(self) -> None:
        self.select(self.navigator.first())

    def action_last(self) -> None:
        self.select(self.navigator.last())

    def action_page(self, direction: int) -> None:
        row = self.row_of(self.selection.start) + direction * max(1, self.size.height - 1)
        row = max(0, min(row, self._rows.total - 1))
        found = self.line_at_row(row)
        if found is not None:
            index, line = found
            offset = self.document.paragraph(index).start + line.start
            self.select(self.navigator.sentence_at(offset))

    def action_select_paragraph(self) -> None:
        self.select(self.navigator.whole_paragraph(self.selection.start))

    def action_edge(self, edge: str, direction: str) -> None:
        # Arrow keys follow the eye: in a right-to-left line, left is forward.
        rtl = self._rtl_at(self.selection.start)
        step = 1 if (direction == "left") == rtl else -1
        self.select(self.navigator.move_edge(self.selection, edge, step))

    # --- mouse ------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The document offset drawn at widget coordinates ``(x, y)``."""
        found = self.line_at_row(int(self.scroll_offset.y) + y)
        if found is None:
            return None
        index, line = found
        local = line.offset_at(x + int(self.scroll_offset.x))
        return None if local is None else self.document.paragraph(index).start + local

    def on_mouse_down(self, event: MouseDown) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self._drag_anchor = offset
        self.capture_mouse()
        self.select(self.navigator.sentence_at(offset))

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._drag_anchor is None or not event.button:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is None or offset == self._drag_anchor:
            return
        lo, hi = sorted((self._drag_anchor, offset))
        first = self.navigator.word_at(lo)
        last = self.navigator.word_at(hi)
        self.select(Span(first.start if first else lo, last.end if last else hi + 1))

    def on_mouse_up(self, event: MouseUp) -> None:
        self._drag_anchor = None
        self.release_mouse()
