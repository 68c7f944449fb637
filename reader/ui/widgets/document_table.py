"""The library's table: a virtual list that builds and draws only the rows on screen.

A Line API widget, as the document view is. The screen hands over the columns,
the row keys in order and a function giving a row's cells; a row's cells are
asked for (and its title laid out by the engine) the first time it is drawn, so
ten thousand documents list at once and a page or a jump to the end costs one
screenful. The first line is the header; the cursor is a whole row; rows are
striped. Enter, or a click on the cursor's row, posts :class:`RowSelected`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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

#: Blank columns on each side of a cell.
PADDING = 1


@dataclass(frozen=True)
class Column:
    """A column: its key, its header, and its width in cells (padding excluded)."""

    key: str
    label: Text
    width: int


def cell_segments(text: Text, width: int, console: Console) -> list[Segment]:
    """``text`` drawn in exactly ``width`` cells: padded on the side its justify says, or cut."""
    segments = list(text.render(console, end=""))  # the spans' styles, not the text's own
    if text.style:
        segments = list(Segment.apply_style(segments, console.get_style(text.style)))
    length = text.cell_len
    if length > width:
        return list(Segment.adjust_line_length(segments, width))
    pad = width - length
    if not pad:
        return segments
    if text.justify == "right":
        return [Segment(" " * pad), *segments]
    return [*segments, Segment(" " * pad)]


class DocumentTable(ScrollView, can_focus=True):
    """One row per document, drawn only when on screen.

    | Key | Action |
    | --- | --- |
    | enter | open the document |
    | up / down | previous / next row |
    | pageup / pagedown | a screen up / down |
    | ctrl+home, home / ctrl+end, end | first / last row |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-table--header",
        "document-table--even-row",
        "document-table--cursor",
    }
    DEFAULT_CSS = """
    DocumentTable { background: $surface; color: $foreground; height: 1fr; }
    DocumentTable:focus { background-tint: $foreground 5%; }
    DocumentTable > .document-table--header { text-style: bold; background: $panel; }
    DocumentTable:focus > .document-table--header { background-tint: $foreground 5%; }
    DocumentTable > .document-table--even-row { background: $surface-lighten-1 50%; }
    DocumentTable:dark > .document-table--even-row { background: $surface-darken-1 40%; }
    DocumentTable > .document-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    DocumentTable:focus > .document-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="library.open", tooltip="Open the document"),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("ctrl+home,home", "first", "First", show=False),
        Binding("ctrl+end,end", "last", "Last", show=False),
    ]

    class RowSelected(Message):
        """Enter on a row, or a click on the cursor's row."""

        def __init__(self, table: DocumentTable, row_key: str, cursor_row: int) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key
            self.cursor_row = cursor_row

        @property
        def control(self) -> DocumentTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self._keys: list[str] = []
        self._rows: dict[str, int] = {}
        self._cells_of: Callable[[str], Sequence[Text]] = lambda key: ()
        self._cells: dict[str, Sequence[Text]] = {}
        """Cells of the rows asked for so far (drawn, or read by a caller)."""
        self._strips: dict[str, Strip] = {}
        """Drawn rows, before their stripe or cursor style."""
        self._header: Strip | None = None
        self._cursor = 0
        self._styles = (Style(), Style(), Style(), Style())
        """Base, header, even row, cursor: computed once per frame."""

    # --- data in ------------------------------------------------------------------

    def set_rows(
        self,
        columns: Sequence[Column],
        keys: Sequence[str],
        cells_of: Callable[[str], Sequence[Text]],
    ) -> None:
        """Show these rows, in this order; ``cells_of(key)`` gives a row's cells when needed."""
        self.columns = list(columns)
        self._keys = list(keys)
        self._rows = {key: row for row, key in enumerate(self._keys)}
        self._cells_of = cells_of
        self._cells.clear()
        self._strips.clear()
        self._header = None
        self._cursor = max(0, min(self._cursor, len(self._keys) - 1))
        width = sum(column.width + 2 * PADDING for column in self.columns)
        self.virtual_size = Size(width, len(self._keys) + 1)
        self.refresh()

    def refresh_rows(self, keys: Iterable[str]) -> None:
        """Rows whose cells changed: asked for again when next drawn."""
        for key in keys:
            self._cells.pop(key, None)
            self._strips.pop(key, None)
        self.refresh()

    # --- reading it back (the screen and the tests) -----------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def row_keys(self) -> list[str]:
        """The keys of the rows, top to bottom."""
        return list(self._keys)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def get_row_index(self, key: str) -> int:
        """The row showing ``key`` (``KeyError`` when it is not shown)."""
        return self._rows[key]

    def get_row(self, key: str) -> list[Text]:
        """The cells of the row ``key``."""
        if key not in self._rows:  # as get_row_index: only rows that are shown
            raise KeyError(key)
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = self._cells_of(key)
        return list(cells)

    def get_row_at(self, row: int) -> list[Text]:
        return self.get_row(self._keys[row])

    def get_cell(self, key: str, column: str) -> Text:
        return self.get_row(key)[self.column_index(column)]

    def column_index(self, column: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == column)

    def column_width(self, column: str) -> int:
        return self.columns[self.column_index(column)].width

    # --- drawing --------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Component styles are costly to compute: once per frame, not once per line.
        self._styles = (
            self.rich_style,
            self.get_component_rich_style("document-table--header"),
            self.get_component_rich_style("document-table--even-row"),
            self.get_component_rich_style("document-table--cursor"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base, header, even, cursor = self._styles
        if y == 0:  # the header stays on the first line whatever the scroll
            if self._header is None:
                self._header = self._strip([column.label for column in self.columns])
            strip = self._header.apply_style(base + header)
            return strip.crop_extend(scroll_x, scroll_x + width, base + header)
        row = scroll_y + y - 1
        if not 0 <= row < len(self._keys):
            return Strip.blank(width, base)
        key = self._keys[row]
        drawn = self._strips.get(key)
        if drawn is None:
            if len(self._strips) > 4096:  # a long scroll through a big library: start afresh
                self._strips.clear()
            drawn = self._strips[key] = self._strip(self.get_row(key))
        if row == self._cursor:
            style = base + cursor
        elif row % 2 == 0:
            style = base + even
        else:
            style = base
        return drawn.apply_style(style).crop_extend(scroll_x, scroll_x + width, style)

    def _strip(self, cells: Sequence[Text]) -> Strip:
        console = self.app.console
        pad = Segment(" " * PADDING)
        segments: list[Segment] = []
        for column, cell in zip(self.columns, cells, strict=False):
            segments.append(pad)
            segments.extend(cell_segments(cell, column.width, console))
            segments.append(pad)
        return Strip(segments, sum(column.width + 2 * PADDING for column in self.columns))

    # --- the cursor -------------------------------------------------------------------

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on ``row`` (clamped) and bring it on screen."""
        if not self._keys:
            return
        row = max(0, min(row, len(self._keys) - 1))
        previous, self._cursor = self._cursor, row
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if row < top or row >= top + visible:
            target = row if row < top else row - visible + 1
            self.scroll_to(y=target, animate=False, immediate=True)
            self.refresh()
        else:  # only the two rows the cursor left and reached
            self.refresh_lines(previous + 1)
            self.refresh_lines(row + 1)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(row=self._cursor + step)

    def action_page(self, direction: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        self.move_cursor(row=self._cursor + direction * visible)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._keys) - 1)

    def action_select_cursor(self) -> None:
        if self._keys:
            self.post_message(self.RowSelected(self, self._keys[self._cursor], self._cursor))

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y - 1
        if event.y < 1 or not 0 <= row < len(self._keys):
            return
        if row == self._cursor:  # a click on the cursor's row opens it, as DataTable does
            self.action_select_cursor()
        else:
            self.move_cursor(row=row)
