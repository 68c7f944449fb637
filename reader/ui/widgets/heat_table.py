"""The statistics screen's heat map: Textual's table with a cell cursor and an id'd ``enter``.

Cells are Rich texts tinted by the screen; ``enter`` posts
:class:`~textual.widgets.DataTable.CellSelected` (the screen opens the document at the
cell's theme). The binding has an id so that the footer and ``keymap.toml`` know it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class HeatTable(DataTable[Text]):
    """Documents × themes, a cell cursor; ``enter`` opens the cell's document and theme.

    | Key | Action |
    | --- | --- |
    | arrows, page up / page down, home / end | move |
    | enter | open the document at the theme's first passage |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="stats.open",
            tooltip="Open the document at the theme's first passage",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=False)
