"""Changing a scroll view's virtual size without laying out the whole screen again.

``Widget.virtual_size`` is a reactive with ``layout=True``: every change makes the
screen lay out all its widgets again (~8 ms on the reader screen, more than the
rest of a key press). The document view's height changes whenever a paragraph
laid out for the first time differs from its estimate — on most new screens of
a long document. Only the scrollbar depends on that height, unless the change
makes the scrollbar appear or disappear; then the full layout is kept.

:func:`move_thumb` moves a scroll bar's thumb without repainting the bar when it would
be drawn the same (a scroll of a few rows in a long document). A
:class:`QuietScrollView` restyled (focus, classes) repaints its scroll bars only when
their colours change.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
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
        move_thumb(view.vertical_scrollbar, virtual_size=size.height)
    scroll_y = view.validate_scroll_y(view.scroll_y)
    moved = scroll_y != view.scroll_y
    view.scroll_y = scroll_y
    if repaint or moved:
        view.refresh()
        return True
    return False


def move_thumb(
    bar: ScrollBar, *, position: float | None = None, virtual_size: int | None = None
) -> None:
    """Give ``bar`` a new position or virtual size; repaint it only if it is then drawn
    differently.

    Textual repaints a scroll bar whenever either changes, every row of it through the
    compositor. In a long document a scroll of a few rows, or a paragraph's height found
    on its first layout, moves the thumb by far less than the eighth of a cell it is drawn
    to: the bar would be drawn the same.
    """
    old = (bar.position, bar.window_virtual_size)
    new = (
        old[0] if position is None else bar.validate_position(position),
        old[1] if virtual_size is None else virtual_size,
    )
    if new == old:
        return
    if _thumb(bar, *new) == _thumb(bar, *old):
        # Kept for the next paint and for dragging, without a repaint now.
        bar.set_reactive(ScrollBar.position, new[0])
        bar.set_reactive(ScrollBar.window_virtual_size, new[1])
    else:
        bar.position, bar.window_virtual_size = new


def _thumb(bar: ScrollBar, position: float, virtual: int) -> list[Segment]:
    """What ``bar`` draws (as :meth:`ScrollBar._render_bar` asks its renderer)."""
    window = bar.window_size if bar.window_size < virtual else 0
    drawn = bar.renderer.render_bar(
        size=bar.size.height if bar.vertical else bar.size.width,
        virtual_size=ceil(virtual),
        window_size=ceil(window),
        position=position,
        thickness=bar.thickness,
        vertical=bar.vertical,
    )
    return drawn.segments


class QuietScrollView(ScrollView):
    """A :class:`ScrollView` that scrolls without drawing again the lines it still shows.

    Textual draws every row of a scroll view again after a scroll: each line through the
    widget's ``render_line`` and its styles (~30 µs a row before the compositor). The lines
    it drew last (``Widget._styles_cache``, by screen row) are still right once moved by
    the scroll: they are moved, and only the rows that come on screen, or were marked to
    be drawn again, are drawn. The whole view is still repainted on screen. The vertical
    scroll bar is repainted only when its thumb is drawn differently (:func:`move_thumb`),
    or its colours change (:meth:`update_node_styles`).
    """

    def update_node_styles(self, animate: bool = True) -> None:
        """Restyle the view (focus, blur, a class) without repainting scroll bars drawn the same.

        Textual sets every rule again on a restyle, and setting a scroll bar colour repaints
        the bars even when the colour is the one they have. Each bar reports that repaint on
        its own idle turn, which comes after the frame the restyle asked for: a second frame,
        a 1/60 s slot later, with only the bars in it (every ``tab`` and ``escape``).
        """
        bars = [
            bar for bar in (self._vertical_scrollbar, self._horizontal_scrollbar) if bar is not None
        ]
        look = self._bar_look()
        waiting = [bar._repaint_required for bar in bars]
        super().update_node_styles(animate)
        if self._bar_look() == look:
            for bar, was in zip(bars, waiting, strict=True):
                bar._repaint_required = was

    def _bar_look(self) -> tuple[Any, ...]:
        """What a scroll bar's colours are made of (as :meth:`ScrollBar.render` reads them)."""
        styles = self.styles
        return (
            styles.scrollbar_color,
            styles.scrollbar_color_hover,
            styles.scrollbar_color_active,
            styles.scrollbar_background,
            styles.scrollbar_background_hover,
            styles.scrollbar_background_active,
            styles.scrollbar_corner_color,
            self.background_colors[0],  # under a translucent bar: the view's own not included
        )

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self.show_vertical_scrollbar:
            move_thumb(self.vertical_scrollbar, position=new_value)
        rows = round(new_value) - round(old_value)
        if rows:
            self._scroll_lines(rows)

    def _scroll_lines(self, rows: int) -> None:
        """Repaint the view scrolled ``rows`` down (up if negative), its drawn lines moved."""
        cache = self._styles_cache
        drawn, dirty = cache._cache, cache._dirty_lines
        # The cache's rows: border and padding (drawn the same whatever the scroll), then
        # the content's rows from ``gutter.top`` on.
        top, height = self.styles.gutter.top, self.size.height
        moved: dict[int, Strip] = {}
        for y, strip in drawn.items():
            if y in dirty:
                continue
            if not top <= y < top + height:
                moved[y] = strip
            elif top <= y - rows < top + height:
                moved[y - rows] = strip
        self.refresh(self.size.region)  # every row on screen (and in the cache) is dirty
        if cache._cache is drawn:
            cache._cache = moved
            dirty.difference_update(moved)
