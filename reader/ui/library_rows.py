"""What a row of the library shows, and which columns fit the screen.

A row is a :class:`LibraryItem`: a readable document (its title, date, size, tag
counts per theme, reading state) or a path with the reason it cannot be read.
:func:`plan` chooses the columns for a width so that the title keeps a readable
share: on a narrow screen the file name shrinks, the theme columns show their
digit instead of their name, then the size and the date go, then the file name
(:data:`MIN_TITLE`). :func:`cells` gives a row's cells for the chosen columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rich.style import Style
from rich.text import Text

from reader.corpus import Entry
from reader.layout import BidiMode
from reader.reading import State
from reader.store import Theme
from reader.ui.visual import visual_text
from reader.ui.widgets.document_table import PADDING, Column

#: The state column: each reading state's mark and style.
STATE_MARKS = {
    State.DONE: ("✓", Style(color="green", bold=True)),
    State.IN_PROGRESS: ("◐", Style(color="yellow")),
    State.UNTOUCHED: ("·", Style(dim=True)),
}
#: Columns of the file name, and the least it is shrunk to before it goes.
FILE_WIDTH, FILE_MIN = 22, 12
#: Columns the title keeps before other columns give way.
MIN_TITLE = 24
#: Columns the table cannot use: the vertical scrollbar.
SCROLLBAR = 2


@dataclass
class LibraryItem:
    """One row: a readable document, or a path with the reason it cannot be read."""

    rel: str
    path: str
    entry: Entry | None = None
    title: str = ""
    date: date | None = None
    size: int = 0
    problem: str = ""
    warnings: tuple[str, ...] = ()
    """Decoding warnings (invalid bytes replaced): the file opens, flagged ⚠."""
    counts: Counter[str] = field(default_factory=Counter)
    indexed: bool = False
    """Title, date and size are known (the index has been read for this file)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def plan(width: int, themes: Sequence[Theme]) -> list[Column]:
    """The columns for a table ``width`` wide, the title taking what the others leave."""
    compact = False
    file_width: int | None = FILE_WIDTH
    drop: set[str] = set()
    for step in ("file", "themes", "size", "date", "file_name", None):
        columns = _columns(themes, compact, file_width, drop)
        used = sum(c.width + 2 * PADDING for c in columns) + 2 * PADDING + SCROLLBAR
        if width - used >= MIN_TITLE or step is None:
            break
        if step == "file":
            file_width = FILE_MIN
        elif step == "themes":
            compact = True
        elif step == "file_name":
            file_width = None
        else:
            drop.add(step)
    title = Column("title", Text("title", justify="right"), max(MIN_TITLE // 2, width - used))
    return [columns[0], title, *columns[1:]]


def _columns(
    themes: Sequence[Theme], compact: bool, file_width: int | None, drop: set[str]
) -> list[Column]:
    columns = [Column("state", Text(""), 1)]
    if "date" not in drop:
        columns.append(Column("date", Text("date"), 10))
    if "size" not in drop:
        columns.append(Column("size", Text("size", justify="right"), 9))
    for theme in themes:
        style = Style(color=theme.color, bold=True)
        if compact:  # the theme's digit heads it; the legend says which theme that is
            header = Text(theme.digit or "·", style=style, justify="right")
            columns.append(Column(f"theme:{theme.key}", header, 3))
        else:
            label = Text(theme.label_en, style=style)
            columns.append(Column(f"theme:{theme.key}", label, max(len(theme.label_en), 3)))
    if file_width is not None:
        columns.append(Column("file", Text("file"), file_width))
    return columns


def cells(
    item: LibraryItem,
    columns: Sequence[Column],
    themes: Sequence[Theme],
    state: State | None,
    mode: BidiMode,
) -> list[Text]:
    """The row of ``item`` in ``columns`` (``state``: None when positions are not kept)."""
    width = {column.key: column.width for column in columns}
    shown: dict[str, Text] = {}
    if item.entry is not None and not item.problem and state is not None:
        mark, style = STATE_MARKS[state]
        shown["state"] = Text(mark, style=style)
    problem = Style(color="red") if item.problem else Style()
    if "file" in width:
        shown["file"] = visual_text(item.rel, width["file"], mode, problem)
    if item.problem:
        shown["title"] = visual_text(item.problem, width["title"], mode, problem, pad=True)
    elif not item.indexed:
        shown["title"] = Text("…", style="dim", justify="right")
    else:
        # A file opened with invalid bytes replaced is flagged, not refused.
        title = f"⚠ {item.title}" if item.warnings else item.title
        flag = Style(color="yellow") if item.warnings else Style()
        shown["title"] = visual_text(title, width["title"], mode, flag, pad=True)
        shown["date"] = Text(item.date.isoformat() if item.date else "—")
        shown["size"] = Text(human_size(item.size), justify="right")
        for theme in themes:
            count = item.counts.get(theme.key, 0)
            style = Style(color=theme.color, bold=True) if count else Style(dim=True)
            text = str(count) if count else "·"
            shown[f"theme:{theme.key}"] = Text(text, style=style, justify="right")
    return [shown.get(column.key, Text("")) for column in columns]
