"""The document view: paragraphs laid out by the engine, a passage cursor, tags in colour.

A Line API widget: only the rows on screen are laid out and drawn. Paragraph
heights start as estimates and become exact when a paragraph is first laid out,
so a twenty-megabyte article opens at once and scrolls smoothly. The cursor and
the tags are painted on the exact cells of their logical ranges through
``VisualLine.column_spans``; a margin on the right carries one mark per theme.
Scraper boilerplate (:mod:`reader.boilerplate`) is dimmed and the sentence keys step
over it, until :meth:`DocumentView.show_boilerplate` shows it as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from reader.boilerplate import Boilerplate
from reader.corpus import Document, Span
from reader.layout import BidiMode, VisualLine
from reader.store import Annotation, Theme
from reader.suggest import Suggestion
from reader.ui.navigation import Navigator
from reader.ui.widgets.document_keys import VIEW_BINDINGS
from reader.ui.widgets.document_marks import Marks
from reader.ui.widgets.document_rows import DocumentRows
from reader.ui.widgets.painting import line_segments
from reader.ui.widgets.scrolling import QuietScrollView, set_virtual_size


class DocumentView(QuietScrollView, can_focus=True):
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

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-view--cursor",
        "document-view--hit",
        "document-view--boilerplate",
    }
    DEFAULT_CSS = """
    DocumentView { height: 1fr; background: $surface; scrollbar-gutter: stable; }
    DocumentView > .document-view--cursor { background: $accent 60%; text-style: bold; }
    DocumentView > .document-view--hit { text-style: underline bold; color: $warning; }
    DocumentView > .document-view--boilerplate { color: $text-disabled; }
    """
    BINDINGS: ClassVar[list[BindingType]] = VIEW_BINDINGS

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
        self.boilerplate = Boilerplate.of(document)
        """Which paragraphs are scraper boilerplate (found as they are looked at)."""
        self.boilerplate_shown = False
        """False: boilerplate is dimmed and stepped over; True: it is text like the rest."""
        self.navigator = Navigator(document, self._skipped)
        self.selection: Span = self.navigator.first() or Span(0, 0)
        """The passage the keys act on, in document offsets."""
        self.marks = Marks(document, self.themes)
        """Tags, suggestions and search hits, by paragraph."""
        self.rows = DocumentRows(document, mode)
        """The laid-out lines and the row of each paragraph at the current width."""
        self._drag_anchor: int | None = None
        self._generation = 0
        """Bumped whenever row positions change."""
        self._strips: dict[tuple[int, int], Strip] = {}
        """Drawn lines by (paragraph, line): only the cursor's paragraphs are redrawn on a move."""
        self._base = Style()
        self.on_select: Callable[[Span], None] | None = None
        """Called at once when the selection moves, so that what shows it (the status line)
        is drawn in the same frame: :class:`SelectionChanged`, posted as well, reaches the
        screen through two queues and may miss the frame (one more frame, ~20 ms later)."""
        self._styles = (Style(), Style(), Style(), Style())
        """The widget's base, hit, cursor and boilerplate styles, read once per frame."""
        self.set_annotations(annotations)

    # --- data in ------------------------------------------------------------

    @property
    def annotations(self) -> list[Annotation]:
        return self.marks.annotations

    @property
    def hits(self) -> list[Span]:
        return self.marks.hits

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Show these annotations (the document's, anchored or re-anchored)."""
        paragraphs = self.marks.set_annotations(annotations)
        spans = self.marks.changed_spans
        if spans is None or len(paragraphs) > 64:
            self._repaint_paragraphs(paragraphs)
        else:
            # A toggle, an undo: only the lines of the passage, not its whole paragraph
            # (a long paragraph is a screenful of lines, each one painted afresh).
            self._repaint_spans(spans)

    def _skipped(self, index: int) -> bool:
        return not self.boilerplate_shown and index in self.boilerplate

    def show_boilerplate(self, shown: bool) -> None:
        """Boilerplate as text (``shown``), or dimmed and stepped over by the keys."""
        if shown != self.boilerplate_shown:
            self.boilerplate_shown = shown
            self._strips.clear()
            self.refresh()

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Underline these search hits."""
        self.marks.set_hits(hits)
        self._strips.clear()
        self.refresh()

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Mark these suggested sentences (none: suggestion mode is off)."""
        self._repaint_paragraphs(self.marks.set_suggestions(suggestions))

    def _repaint_paragraphs(self, paragraphs: set[int]) -> None:
        """Draw these paragraphs afresh; repaint the rows of those on screen, not the screen."""
        self._forget_paragraphs(paragraphs)
        if not len(self.rows) or not self.size.height or len(paragraphs) > 64:
            self.refresh()
            return
        top = int(self.scroll_offset.y)
        first = self.rows.paragraph_at(top)
        last = self.rows.paragraph_at(top + self.size.height)
        for index in paragraphs:
            if first <= index <= last:  # laid out: it is on screen
                start = self.rows.start(index)
                self.refresh_lines(start, self.rows.start(index + 1) - start)

    def _repaint_spans(self, spans: Sequence[tuple[int, int]]) -> None:
        """Draw afresh the lines holding part of these ``(start, end)`` ranges, and repaint
        the rows of those on screen: a line's drawing depends only on what overlaps it
        (:meth:`Marks.paint`)."""
        if not len(self.rows) or not self.size.height:
            self._repaint_paragraphs({i for s, e in spans for i in self.marks.paragraphs_of(s, e)})
            return
        top = int(self.scroll_offset.y)
        bottom = top + self.size.height
        starts = self.document.line_starts
        rows: set[int] = set()
        for start, end in spans:
            for index in self.marks.paragraphs_of(start, end):
                lines = self.rows.laid_out.get(index)
                if lines is None:  # never drawn at this width: nothing of it is kept
                    continue
                base, first = starts[index], self.rows.start(index)
                for number, line in enumerate(lines):
                    if start < base + line.end and end > base + line.start:  # as paint() tests
                        self._strips.pop((index, number), None)
                        if top <= first + number < bottom:
                            rows.add(first + number)
        for row in sorted(rows):
            self.refresh_lines(row)

    def _forget_paragraphs(self, paragraphs: set[int] | range) -> None:
        """Drop the drawn lines of these paragraphs: they are drawn afresh when next seen."""
        for key in [k for k in self._strips if k[0] in paragraphs]:
            del self._strips[key]

    # --- rows -----------------------------------------------------------------

    @property
    def text_width(self) -> int:
        """Columns for the text: the view less the theme margin."""
        return self.rows.width

    def _margin(self) -> int:
        return len(self.themes) + 1

    def _reset_rows(self, width: int) -> None:
        self.rows.reset(width - self._margin())
        self._strips.clear()
        self._settle()

    def _settle(self) -> None:
        """Publish changed heights: a new virtual size, and row positions may have moved."""
        first = self.rows.settled()
        if first is None:
            return
        self._generation += 1
        size = Size(self.rows.width + self._margin(), self.rows.total)
        top, height = int(self.scroll_offset.y), self.size.height
        if set_virtual_size(self, size, repaint=not height) or not height:
            return  # repainted whole
        # Rows above the first paragraph whose height changed have not moved: their lines
        # stay (paragraphs laid out below the screen, as a scroll brings them, move none).
        moved = max(top, self.rows.start(first))
        if moved < top + height:
            self.refresh_lines(moved, top + height - moved)

    def lines_of(self, index: int) -> tuple[VisualLine, ...]:
        """The laid-out lines of paragraph ``index`` at the current width."""
        return self.rows.lines_of(index)  # the virtual size is set by the caller, once per batch

    def _ensure(self, first: int, last: int) -> None:
        self.rows.ensure(first, last)
        self._settle()

    def row_of(self, offset: int) -> int:
        """The virtual row drawing ``offset``."""
        row = self.rows.row_of(offset)
        self._settle()
        return row

    def line_at_row(self, row: int) -> tuple[int, VisualLine] | None:
        """``(paragraph index, line)`` drawn at virtual ``row``."""
        found = self.rows.line_at(row)
        self._settle()
        return found

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width or event.size.width
        if max(1, width - self._margin()) != self.rows.width or not len(self.rows):
            self._reset_rows(width)
            self.scroll_to_selection(center=True)

    # --- drawing ----------------------------------------------------------------

    def _lay_out(self, top: int, height: int) -> bool:
        """Lay out the paragraphs drawn on rows ``[top, top + height)``; whether rows moved."""
        first = self.rows.paragraph_at(top)
        last = self.rows.paragraph_at(top + height) + 1
        before = self._generation
        self._ensure(first, last)
        return self._generation != before

    def render_lines(self, crop: Region) -> list[Strip]:
        # Lay out what is about to be seen; heights settle in a pass or two.
        for _ in range(3):
            if not self._lay_out(int(self.scroll_offset.y) + crop.y, crop.height):
                break
        # Styles are costly to compute: once per frame, not once per line (the cursor's and
        # the hits' cost ~0.1 ms each, twice a line on a new screen).
        styles = (
            self.rich_style,
            self.get_component_rich_style("document-view--hit"),
            self._cursor_style(),
            self.rich_style + self.get_component_rich_style("document-view--boilerplate"),
        )
        if styles != self._styles:
            self._base, self._styles = styles[0], styles
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
        key = (index, scroll_y + y - self.rows.start(index))
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * 1024:  # a long read through a big document: start afresh
                self._strips.clear()
            strip = Strip(self._segments(index, line, base), self.rows.width + self._margin())
            self._strips[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _forget(self, span: Span) -> None:
        """Drop the drawn lines of the paragraphs ``span`` touches (the cursor left or came)."""
        self._forget_paragraphs(self.marks.paragraphs_of(span.start, span.end))

    def _segments(self, index: int, line: VisualLine, base: Style) -> list[Segment]:
        paragraph_start = self.document.line_starts[index]
        lo, hi = paragraph_start + line.start, paragraph_start + line.end
        _, hit, cursor, dimmed = self._styles
        if self._skipped(index):
            base = dimmed
        runs, margin = self.marks.paint(index, lo, hi, hit)
        if self.selection.end > self.selection.start:
            runs.append((self.selection.start, self.selection.end, cursor))
        return line_segments(line, paragraph_start, self.rows.width, base, runs, margin)

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
        if self.on_select is not None:
            self.on_select(span)
        if not len(self.rows):  # not laid out yet: the first resize scrolls to it
            self.post_message(self.SelectionChanged(self, span))
            return
        self.scroll_to_selection(center=center)
        # Repaint only the rows of the old and the new passage (a scroll repaints all).
        for old_or_new in (previous, span):
            top = self.row_of(old_or_new.start)
            bottom = self.row_of(max(old_or_new.start, old_or_new.end - 1))
            self.refresh_lines(top, bottom - top + 1)
        self.post_message(self.SelectionChanged(self, span))

    def scroll_to_selection(self, *, center: bool = False) -> None:
        """Bring the selection on screen; ``center``: to the middle, unless it is in the
        middle half already (a jump a few lines on then scrolls nothing and repaints two
        passages, not the screen: a scroll repaints every row)."""
        if not len(self.rows) or self.size.height == 0:
            return
        if center and self._in_middle_half():
            return
        # The paragraphs that come on screen are laid out here, before the frame: a height
        # found while rendering would change the scrollbar and cost one more frame. Their
        # heights may move the selection's rows: then scroll again (a pass or two).
        for _ in range(3):
            top = self.row_of(self.selection.start)
            bottom = self.row_of(max(self.selection.start, self.selection.end - 1))
            height = min(bottom - top + 1, self.size.height)
            self.scroll_to_region(
                Region(0, top, 1, height), animate=False, center=center, immediate=True
            )
            if not self._lay_out(int(self.scroll_offset.y), self.size.height):
                break

    def _in_middle_half(self) -> bool:
        top = self.row_of(self.selection.start)
        bottom = self.row_of(max(self.selection.start, self.selection.end - 1))
        first, height = int(self.scroll_offset.y), self.size.height
        return first + height // 4 <= top and bottom < first + height - height // 4

    def _rtl_at(self, offset: int) -> bool:
        paragraph = self.document.paragraph_at(offset)
        lines = self.lines_of(paragraph.index) if len(self.rows) else ()
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
        row = max(0, min(row, self.rows.total - 1))
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
