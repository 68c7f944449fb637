"""The document view's keys: moving the passage cursor and its edges.

Kept apart from the widget so the list of keys reads as a table. Every binding
has an id (``view.*``) for the user's keymap and the help screen.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

VIEW_BINDINGS: list[BindingType] = [
    Binding("down,j", "next_sentence", "Next", id="view.next_sentence", tooltip="Next sentence"),
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
    Binding("pageup", "page(-1)", "Page up", id="view.page_up", tooltip="A screen up", show=False),
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
