"""The annotation panel: this document's annotations in reading order, as a virtual list.

Each entry shows its themes in their colours, its quote (laid out right to
left by the engine, cut with an ellipsis) and its note. Enter asks the screen
to jump to it. Orphaned annotations — their text is gone from the document —
are listed in a section of their own, since there is nothing to jump to.

A Line API widget, like the library's table: the list and its rows are kept
by :class:`~reader.ui.widgets.annotation_panel_rows.PanelRows` (heights are
known without layout), and an entry is laid out only when it is drawn, so a
document with ten thousand tags opens with a screenful of quotes laid out.
:meth:`AnnotationPanel.show` takes the document's annotations after every
change and redraws only the entries that changed.

Hooks for callers: :meth:`AnnotationPanel.set_filter` (only annotations a
predicate keeps are listed) and :attr:`AnnotationPanel.fields` (functions
adding text to an entry's head, such as its annotator).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from time import perf_counter
from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.timer import Timer

from reader.layout import BidiMode
from reader.store import Annotation, Theme
from reader.ui.theme_keys import UNKNOWN_THEME_COLOR, digit_hint, unknown_keys
from reader.ui.visual import visual_text
from reader.ui.widgets.annotation_panel_rows import EMPTY, PanelRows, changed_ids
from reader.ui.widgets.scrolling import QuietScrollView, set_virtual_size

#: An extra piece of an entry's head (None or empty: nothing), e.g. who made the annotation.
Field = Callable[[Annotation], Text | None]

_ENTRY = "annotation-panel--entry"
_HIGHLIGHTED = "annotation-panel--highlighted"
_HOVER = "annotation-panel--hover"
_DISABLED = "annotation-panel--disabled"

#: The timer that lays out, while the keys rest, the entries a tag at the cursor would
#: scroll into view (it changes nothing on screen).
WARM_TIMER = "panel.warm"
#: Seconds after the frame showing a move before that starts, and seconds of work per turn
#: of the event loop (an entry takes ~0.5 ms: a key pressed meanwhile waits for one turn).
WARM_AFTER = 0.01
WARM_TURN = 0.002
WARM_TURNS = 64
#: Entries kept drawn (by id), the least recently drawn dropped first.
DRAWN_LIMIT = 1024


class AnnotationPanel(QuietScrollView, can_focus=True):
    """Annotations of one document; Enter jumps, Escape goes back to the text.

    | Key | Action |
    | --- | --- |
    | up / down | previous / next annotation |
    | pageup / pagedown, home / end | a screen up / down, first / last |
    | enter | jump to it |
    """

    # The look of Textual's OptionList, which this panel was before it became a virtual list.
    DEFAULT_CSS = """
    AnnotationPanel {
        width: 44; height: 1fr;
        color: $foreground; background: $surface;
        overflow-x: hidden; padding: 0 1;
        border: tall $border-blurred; border-left: tall $panel-lighten-2;
        & > .annotation-panel--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border; border-left: tall $accent;
            background-tint: $foreground 5%;
            & > .annotation-panel--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .annotation-panel--disabled { color: $text-disabled; }
        & > .annotation-panel--hover { background: $block-hover-background; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {_ENTRY, _HIGHLIGHTED, _HOVER, _DISABLED}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Jump", id="panel.jump", tooltip="Jump to this annotation"),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "end(-1)", "First", show=False),
        Binding("end", "end(1)", "Last", show=False),
    ]

    class Jump(Message):
        """The user chose an annotation to go to."""

        def __init__(self, panel: AnnotationPanel, annotation: Annotation) -> None:
            super().__init__()
            self.panel = panel
            self.annotation = annotation

        @property
        def control(self) -> AnnotationPanel:
            return self.panel

    def __init__(
        self,
        themes: Sequence[Theme],
        annotations: Sequence[Annotation] = (),
        mode: BidiMode = BidiMode.APP,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.themes = list(themes)
        self.mode = mode
        self.fields: list[Field] = []
        """Extra pieces of each entry's head, in order; call :meth:`redraw` after changing."""
        self.rows = PanelRows()
        self._highlight: str | None = None
        """The highlighted entry's id (ids survive diffs; indexes do not)."""
        self._hover: int | None = None
        self._drawn: dict[str, tuple[Annotation, list[Text], dict[VisualStyle, list[Strip]]]] = {}
        """Entries laid out at ``_width`` by id, with the object they show and their strips
        drawn in each style asked for; in the order last drawn (:data:`DRAWN_LIMIT`)."""
        self._width = 0
        self._styles: dict[tuple[str, ...], VisualStyle] = {}
        self._warm_at: int | None = None
        self._warm_timer: Timer | None = None
        self.rows.rebuild(annotations)
        # Known before the first layout, so the scrollbar is there from the first frame
        # (else the first entries would be laid out twice: without it, then with it).
        self.set_reactive(ScrollView.virtual_size, Size(0, self.rows.total))

    # --- data in --------------------------------------------------------------------

    def show(self, annotations: Sequence[Annotation], keep: str | None = None) -> None:
        """List ``annotations``, keeping the highlight on ``keep`` (an id) if given.

        Only entries whose annotation changed (a new object) are moved and redrawn. The
        highlight stays on its entry (wherever the change moved it) and is scrolled to.
        """
        previous = self._highlight
        keep = keep or previous
        diff = self.rows.update(annotations)
        if diff.rebuilt:
            self._drawn.clear()
        else:
            for ann_id in changed_ids(diff):
                self._drawn.pop(ann_id, None)
        self._highlight = keep if keep is not None and self.rows.get(keep) else None
        self._hover = None
        # Repaint from the first item that changed down (the rows above did not move), and
        # the entry that lost the highlight; a new total of rows repaints everything.
        if diff.first is None:
            first = None
        elif diff.first >= len(self.rows):  # the last items went
            first = self.rows.total
        else:
            first = self.rows.span(diff.first)[0]
        self._publish(first)
        if previous != self._highlight:
            self._refresh_entry(previous)
        self.scroll_to_highlight()

    def set_filter(self, keep: Callable[[Annotation], bool] | None) -> None:
        """List only the annotations ``keep`` accepts (None: all of them)."""
        self.rows.set_filter(keep)
        self._drawn.clear()
        if self._highlight is not None and self.rows.get(self._highlight) is None:
            self._highlight = None
        self._publish()

    def redraw(self) -> None:
        """Draw every entry again (the fields or the themes changed)."""
        self.rows.restyle()
        self._drawn.clear()
        self._publish()

    def _publish(self, first: int | None = 0) -> None:
        """The rows changed from row ``first`` down (None: none did): a new virtual size (no
        screen layout unless a scrollbar comes or goes), and a repaint of those rows."""
        size = Size(self._width, self.rows.total)
        if set_virtual_size(self, size, repaint=first == 0) or first is None:
            return
        if first == 0:
            self.refresh()
            return
        bottom = int(self.scroll_offset.y) + self.scrollable_content_region.height
        if first < bottom:
            self.refresh_lines(first, bottom - first)

    # --- reading it back ----------------------------------------------------------------

    @property
    def annotations(self) -> list[Annotation]:
        """The listed annotations, in the panel's order (orphaned ones last)."""
        return self.rows.annotations

    @property
    def current(self) -> Annotation | None:
        """The highlighted annotation."""
        return None if self._highlight is None else self.rows.get(self._highlight)

    @property
    def highlighted(self) -> int | None:
        """The highlighted item's index in :attr:`rows`, or None."""
        return None if self._highlight is None else self.rows.index_of(self._highlight)

    def highlight(self, ann_id: str | None) -> None:
        """Highlight the entry of ``ann_id`` (None or not listed: no highlight)."""
        target = ann_id if ann_id is not None and self.rows.get(ann_id) else None
        if target == self._highlight:
            return
        for old_or_new in (self._highlight, target):
            self._refresh_entry(old_or_new)
        self._highlight = target
        self.scroll_to_highlight()

    def entry_lines(self, ann: Annotation) -> list[Text]:
        """An entry's lines as drawn: head, quote (laid out by the engine), note."""
        width = max(8, (self._width or self._text_width()) - 1)
        head = Text(no_wrap=True, overflow="ellipsis", end="")
        for theme in self.themes:
            if theme.key in ann.themes:
                head.append("▌", Style(color=theme.color))
                head.append(f"{theme.label_en} ", Style(color=theme.color, bold=True))
        for key in unknown_keys(ann.themes, self.themes):  # kept, shown as what it is
            head.append("▌", Style(color=UNKNOWN_THEME_COLOR))
            head.append(f"{key}? ", Style(color=UNKNOWN_THEME_COLOR, italic=True))
        if ann.status == "reanchored":
            head.append("(moved)", Style(dim=True, italic=True))
        for extra in self.fields:
            piece = extra(ann)
            if piece:
                head.append_text(piece)
        lines: list[Text] = [head, visual_text(ann.quote, width, self.mode)]
        if ann.note:
            lines.append(visual_text(f"✎ {ann.note}", width, self.mode, Style(italic=True)))
        return lines

    def header_line(self, which: str) -> Text:
        """The line of a header item: the empty list's hint, or the orphaned section's title."""
        if which == EMPTY:
            hint = f"no annotations yet: select a passage, press {digit_hint(self.themes)}"
            return Text(hint, style="dim", end="")
        title = f"orphaned ({self.rows.orphans}): text no longer found"
        return Text(title, style="bold red", end="")

    # --- drawing ----------------------------------------------------------------------

    def _text_width(self) -> int:
        return self.scrollable_content_region.width

    def _check_width(self) -> None:
        """Entries are laid out for one width: a new width draws them again, when shown."""
        width = self._text_width()
        if width != self._width:
            self._width = width
            self._drawn.clear()
            self._publish()

    def on_resize(self, event: events.Resize) -> None:
        self._check_width()
        self.scroll_to_highlight()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self.refresh()

    def _style(self, *components: str) -> VisualStyle:
        style = self._styles.get(components)
        if style is None:
            style = self._styles[components] = self.get_visual_style(_ENTRY, *components)
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        # The first frame comes before the first Resize event: check the width here.
        self._check_width()
        # Focus and hover change the component styles: look them up once per frame.
        self._styles.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width
        found = self.rows.item_at_row(int(self.scroll_offset.y) + y)
        if found is None:
            return Strip.blank(width, self._style().rich_style)
        index, line = found
        item = self.rows.items[index]
        if isinstance(item, str):
            strips = self._draw_lines([self.header_line(item)], self._style(_DISABLED))
        else:
            if item.id == self._highlight:
                state: tuple[str, ...] = (_HIGHLIGHTED,)
            elif index == self._hover:
                state = (_HOVER,)
            else:
                state = ()
            strips = self._entry_strips(item, state)
        return strips[line] if line < len(strips) else Strip.blank(width)

    def _entry_strips(self, ann: Annotation, state: tuple[str, ...]) -> list[Strip]:
        # Taken out and put back last: the entries drawn longest ago go first.
        drawn = self._drawn.pop(ann.id, None)
        if drawn is None or drawn[0] is not ann:
            drawn = (ann, self.entry_lines(ann), {})
        self._drawn[ann.id] = drawn
        if len(self._drawn) > DRAWN_LIMIT:  # a long scroll, a long session
            del self._drawn[next(iter(self._drawn))]
        # Laid out once; drawn once per style: plain, highlighted or hovered (under the
        # entry's own colours, as in OptionList), focused or not.
        style = self._style(*state)
        strips = drawn[2].get(style)
        if strips is None:
            strips = drawn[2][style] = self._draw_lines(drawn[1], style)
        return strips

    def _draw_lines(self, lines: list[Text], style: VisualStyle) -> list[Strip]:
        """Each line one row, as Textual draws it (see :func:`draw_rows`), cut to the width."""
        return draw_rows(lines, self._width, style, self.app.console)

    def _refresh_entry(self, ann_id: str | None) -> None:
        index = None if ann_id is None else self.rows.index_of(ann_id)
        if index is not None:
            first, height = self.rows.span(index)
            self.refresh_lines(first, height)  # virtual rows: ScrollView takes off the scroll

    def warm(self, start: int) -> None:
        """Once the keys rest, lay out and draw the entries a new annotation starting at
        ``start`` (the cursor) would scroll into view, a few per turn of the event loop.

        A tag far from the entries on screen scrolls the panel to ~16 entries never drawn
        (~0.5 ms each): drawn ahead, the tag only draws the new entry. Idle work: it
        changes nothing on screen, and a key pressed meanwhile waits for one batch at most.
        """
        self._warm_at = start
        if self._warm_timer is not None:  # drawing ahead for the last place: stop there
            self._warm_timer.stop()
            self._warm_timer = None
        # Counted from the frame that shows the move, not from the key: a key whose frame
        # takes longer than the delay would have the drawing ahead inside it.
        self.call_after_refresh(self._warm_later, WARM_AFTER)

    def _warm_later(self, delay: float) -> None:
        if self._warm_timer is not None:
            self._warm_timer.stop()
        self._warm_timer = self.set_timer(delay, self._warm_step, name=WARM_TIMER)

    def _cold(self) -> list[Annotation]:
        """The entries a new annotation at :meth:`warm`'s place would scroll into view
        that are not drawn as they would be shown, nearest first."""
        height = self.scrollable_content_region.height
        if self._warm_at is None or not self._width or not height or not self.display:
            return []
        _, row = self.rows.place(self._warm_at)
        top = int(self.scroll_offset.y)
        if top <= row < top + height:  # no scroll: the entries around are on screen
            return []
        style = self._style()
        cold = []
        for ann in self.rows.near(self._warm_at, height, above=row >= top + height):
            drawn = self._drawn.get(ann.id)
            if drawn is None or drawn[0] is not ann or style not in drawn[2]:
                cold.append(ann)
        return cold

    async def _warm_step(self) -> None:
        # The entries are looked up again after each turn: a key may have changed them.
        # Each turn draws one entry at least: a bound, not a loop that could spin.
        for _ in range(WARM_TURNS):
            cold = self._cold()
            if not cold:
                return
            stop = perf_counter() + WARM_TURN
            for ann in cold:
                self._entry_strips(ann, ())
                if perf_counter() > stop:
                    break
            await asyncio.sleep(0)  # a turn of the loop: keys, frames

    def scroll_to_highlight(self) -> None:
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        first, height = self.rows.span(index)
        self.scroll_to_region(
            Region(0, first, max(1, self._text_width()), height),
            animate=False,
            force=True,
            immediate=True,
        )

    # --- keys and mouse -----------------------------------------------------------------

    def _entry_near(self, index: int, step: int) -> Annotation | None:
        """The first entry from item ``index`` on in direction ``step`` (headers skipped)."""
        items = self.rows.items
        while 0 <= index < len(items):
            item = items[index]
            if not isinstance(item, str):
                return item
            index += step
        return None

    def _go(self, ann: Annotation | None) -> None:
        if ann is not None:
            self.highlight(ann.id)

    def action_cursor(self, step: int) -> None:
        index = self.highlighted
        if index is None:  # down from nowhere is the first entry, up the last (as OptionList)
            self.action_end(-step)
        else:
            self._go(self._entry_near(index + step, step))

    def action_page(self, direction: int) -> None:
        index = self.highlighted
        if index is None:
            self.action_end(-direction)
            return
        first, _ = self.rows.span(index)
        row = first + direction * max(1, self.scrollable_content_region.height)
        found = self.rows.item_at_row(max(0, min(row, self.rows.total - 1)))
        if found is not None:
            self._go(
                self._entry_near(found[0], direction) or self._entry_near(found[0], -direction)
            )

    def action_end(self, direction: int) -> None:
        """The first entry (``direction < 0``) or the last."""
        last = len(self.rows.items) - 1
        self._go(self._entry_near(0, 1) if direction < 0 else self._entry_near(last, -1))

    def action_select(self) -> None:
        ann = self.current
        if ann is not None:
            self.post_message(self.Jump(self, ann))

    def _item_at(self, y: int) -> int | None:
        found = self.rows.item_at_row(int(self.scroll_offset.y) + y)
        return None if found is None else found[0]

    def on_click(self, event: events.Click) -> None:
        index = self._item_at(event.y)
        if index is None:
            return
        item = self.rows.items[index]
        if not isinstance(item, str):
            self.highlight(item.id)
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._item_at(event.y))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index == self._hover:
            return
        for old_or_new in (self._hover, index):
            if old_or_new is not None and old_or_new < len(self.rows.items):
                item = self.rows.items[old_or_new]
                if not isinstance(item, str):
                    self._refresh_entry(item.id)
        self._hover = index


def draw_rows(lines: list[Text], width: int, style: VisualStyle, console: Console) -> list[Strip]:
    """``lines`` drawn one row each on ``style``, padded (or cut with an ellipsis) to ``width``.

    What ``Visual.to_strips`` gives for these lines, segment for segment (the styles
    combined the same way, each with its ``offset`` for text selection), without its
    conversion to ``Content`` and its wrapping: the lines are laid out already. That path
    cost ~0.5 ms an entry, and a new annotation scrolls ~16 entries never drawn into view.
    """
    base = style.rich_style
    meta = style.meta
    strips = []
    for y, line in enumerate(lines):
        if line.cell_len > width:
            line = line.copy()
            line.truncate(width, overflow="ellipsis")
        segments = []
        x = 0
        # Text.render leaves the line's own style out when it has no spans.
        own = None if line.spans or not line.style else console.get_style(line.style)
        for segment in line.render(console, end=""):
            text, seg_style = segment.text, segment.style or own
            combined = base + seg_style if seg_style is not None else base
            segments.append(Segment(text, combined + Style.from_meta({**meta, "offset": (x, y)})))
            x += len(text)
        strips.append(Strip(segments).extend_cell_length(width, base))
    return strips
