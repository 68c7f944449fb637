"""The reader screen's keys: its bindings and the order the footer shows them in.

Kept apart from the screen (``reader/ui/screens/reader.py``) so that the screen holds
behaviour; every binding has an id, which ``keymap.toml`` remaps and the help lists.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from reader.ui.ownership import ownership_bindings
from reader.ui.suggesting import suggestion_bindings
from reader.ui.theme_keys import theme_bindings

FOOTER_PRIORITY: tuple[str, ...] = (
    "reader.accept_suggestion",
    "reader.reject_suggestion",
    "reader.next_suggestion",
    "panel.jump",
    "view.next_sentence",
    "view.previous_sentence",
    "reader.theme_*",
    "reader.note",
    "reader.panel",
    "reader.search",
    "reader.undo",
    "reader.next_annotation",
    "reader.copy",
    "reader.delete",
    "reader.concordance",
    "reader.suggestions",
    "reader.redo",
    "view.select_paragraph",
    "reader.back",
)
"""The keys the footer shows first, when not all fit (see KeyFooter)."""


def reader_bindings() -> list[BindingType]:
    """Every key of the reader screen (the document view and the panel add their own)."""
    return [
        *theme_bindings("reader", "toggle_theme", "on the selection"),
        *suggestion_bindings(),
        Binding(
            "m",
            "note",
            "Note",
            id="reader.note",
            tooltip="Note (memo) on your annotation under the cursor",
        ),
        Binding(
            "d",
            "delete",
            "Delete",
            id="reader.delete",
            tooltip="Delete your annotation under the cursor",
        ),
        *ownership_bindings(),
        Binding(
            "y",
            "copy",
            "Copy",
            id="reader.copy",
            tooltip="Copy the passage under the cursor to the clipboard (its text, as stored)",
        ),
        Binding("u", "history('undo')", "Undo", id="reader.undo", tooltip="Undo the last change"),
        Binding(
            "ctrl+r", "history('redo')", "Redo", id="reader.redo", tooltip="Redo what was undone"
        ),
        Binding(
            "right_square_bracket",
            "annotation(1)",
            "Next tag",
            id="reader.next_annotation",
            tooltip="Next annotation",
        ),
        Binding(
            "left_square_bracket",
            "annotation(-1)",
            "Prev tag",
            id="reader.previous_annotation",
            tooltip="Previous annotation",
            show=False,
        ),
        Binding(
            "right_curly_bracket",
            "theme_annotation(1)",
            "Next of theme",
            id="reader.next_of_theme",
            tooltip="Next annotation of the followed theme",
            show=False,
        ),
        Binding(
            "left_curly_bracket",
            "theme_annotation(-1)",
            "Prev of theme",
            id="reader.previous_of_theme",
            show=False,
            tooltip="Previous annotation of the followed theme",
        ),
        Binding(
            "t",
            "follow_theme",
            "Follow theme",
            id="reader.follow_theme",
            show=False,
            tooltip="Choose the theme that } and { follow",
        ),
        Binding(
            "slash",
            "search",
            "Search",
            id="reader.search",
            tooltip="Search (folds Arabic variants)",
        ),
        Binding(
            "n", "hit(1)", "Next hit", id="reader.next_hit", tooltip="Next search hit", show=False
        ),
        Binding(
            "N",
            "hit(-1)",
            "Prev hit",
            id="reader.previous_hit",
            tooltip="Previous search hit",
            show=False,
        ),
        Binding("tab", "panel", "Panel", id="reader.panel", tooltip="To the annotation panel"),
        Binding(
            "f",
            "theme_filter",
            "Filter",
            id="reader.theme_filter",
            tooltip="Show every theme's annotations, or one theme's (panel and text)",
            show=False,
        ),
        Binding(
            "b",
            "boilerplate",
            "Boilerplate",
            id="reader.boilerplate",
            tooltip="Show the scraper's boilerplate as text, or dim it and step over it",
            show=False,
        ),
        Binding("escape", "text", "Text", id="reader.text", tooltip="Back to the text", show=False),
        Binding(
            "c",
            "app.concordance",
            "Concordance",
            id="reader.concordance",
            tooltip="Search every document: each hit in its context",
        ),
        Binding("e", "app.export", "Export", id="reader.export", tooltip="Export annotations"),
        Binding(
            "s", "app.stats", "Stats", id="reader.stats", tooltip="Documents × themes statistics"
        ),
        Binding(
            "x",
            "done",
            "Done",
            id="reader.done",
            tooltip="Mark this document done (again: in progress), as the library shows it",
            show=False,
        ),
        Binding("q", "back", "Library", id="reader.back", tooltip="Back to the library"),
    ]
