"""Notifications: their text width, and the idle toast rack kept out of the first frames.

Shared by the app (which lays out every notification through the engine) and the
screens (which hide the empty rack when they mount); neither imports the other.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

#: Columns of text in a notification: Textual's toast is 60 wide at most, half the
#: screen on narrow terminals, less its padding and border.
TOAST_TEXT_WIDTH = 44


def hide_idle_toasts(screen: Screen[Any]) -> None:
    """Hide ``screen``'s toast rack while it holds no toast; call it when the screen mounts.

    Textual's rack starts shown and the screen's first resume hides it: a layout and one
    more frame (~20 ms) after the library's first paint. Textual shows it again for the
    next notification (its ``show`` sets the display from the notifications each time).
    """
    for rack in screen.query_children("#textual-toastrack"):
        if not rack.children:
            rack.display = False
