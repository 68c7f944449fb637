"""Changing a scroll view's virtual size without laying out the whole screen again.

``Widget.virtual_size`` is a reactive with ``layout=True``: every change makes the
screen lay out all its widgets again (~8 ms on the reader screen, more than the
rest of a key press). The document view's height changes whenever a paragraph
laid out for the first time differs from its estimate — on most new screens of
a long document. Only the scrollbar depends on that height, unless the change
makes the scrollbar appear or disappear; then the full layout is kept.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_size(view: ScrollView, size: Size, *, repaint: bool = True) -> bool:
    """Give ``view`` a new virtual size; a new screen layout only when scrollbars change.

    With ``repaint=False`` the caller repaints the rows that changed itself, unless this
    returns True: the view is laid out (or scrolled) again and repainted whole anyway.
    """
    old = view.virtual_size
    if old == size:
        return False
    height = view.container_size.height
    if old.width != size.width or not height or (old.height > height) != (size.height > height):
        view.virtual_size = size
        return True
    view.set_reactive(Widget.virtual_size, size)
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.window_virtual_size = size.height
    scroll_y = view.validate_scroll_y(view.scroll_y)
    moved = scroll_y != view.scroll_y
    view.scroll_y = scroll_y
    if repaint or moved:
        view.refresh()
        return True
    return False
