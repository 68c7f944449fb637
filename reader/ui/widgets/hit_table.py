"""The concordance's list of hits: the library's virtual table, with its own keys.

Only the rows on screen are drawn (a query may have tens of thousands of hits),
and a row's concordance line is laid out the first time it is drawn. ``enter``
opens the document at the hit; the screen handles the rest of the keys.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from reader.ui.widgets.document_table import DocumentTable


class HitTable(DocumentTable):
    """One row per hit; ``enter`` posts :class:`DocumentTable.RowSelected`.

    | Key | Action |
    | --- | --- |
    | enter | open the document at the hit |
    | up / down, pageup / pagedown, home / end | move |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            id="concordance.open",
            tooltip="Open the document at this hit",
        ),
    ]
