"""A footer that is rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` recomposes (a widget per key, each
styled anew) whenever the screen says its bindings *may* have changed: every
focus change, every ``refresh_bindings``. Painting the library the first time
set that off three times for the same keys (~20 ms of start-up). This one
compares the keys it would show with the ones it shows, and skips the rebuild
when they are the same; a rebuild already asked for is not asked for twice.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

#: What a footer shows of the active bindings: the binding, whether it is enabled, its tooltip.
Shown = tuple[tuple[Binding, bool, str], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """The active bindings of ``screen`` that a footer shows, in order."""
    return tuple(
        (active.binding, active.enabled, active.tooltip)
        for active in screen.active_bindings.values()
        if active.binding.show
    )


class KeyFooter(Footer):
    """A :class:`Footer` that recomposes only when the keys it would show differ."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        """The keys of the last compose that showed any (None: nothing shown yet)."""
        self._pending = False
        """A recompose is scheduled and has not run yet."""

    def compose(self) -> ComposeResult:
        self._pending = False
        # Textual's footer shows nothing until the screen first signals its bindings,
        # then lays itself out again: a second frame (~15 ms) after the first paint.
        # The screen's bindings are known when it composes, so show them at once; the
        # signal then finds the same keys and rebuilds nothing.
        # The keys depend on the focus, which Textual gives once the whole screen has
        # composed: give it now (the same widget it would), or the focused widget's keys
        # would come one rebuild later.
        self.set_reactive(Footer._bindings_ready, True)
        if self.screen.focused is None:
            self.screen._update_auto_focus()
        shown = shown_keys(self.screen)
        composed = False
        for child in super().compose():
            composed = True
            yield child
        self._shown = shown if composed else None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self.is_attached:
            if self._pending or (self._shown is not None and shown_keys(screen) == self._shown):
                return
            self._pending = bool(screen.app.app_focus)
        super().bindings_changed(screen)
