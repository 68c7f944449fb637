"""The library's table: a DataTable whose Enter is named, remappable and in the help."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class DocumentTable(DataTable[Text]):
    """One row per document; Enter posts ``RowSelected`` as a DataTable does.

    | Key | Action |
    | --- | --- |
    | enter | open the document |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="library.open", tooltip="Open the document"),
    ]
