"""A footer that builds each set of keys once, and switches between the ones it has built.

Textual's :class:`~textual.widgets.Footer` recomposes (a widget per key, each
styled anew) whenever the screen says its bindings *may* have changed: every
focus change, every ``refresh_bindings``. Painting the library the first time
set that off three times for the same keys (~20 ms of start-up), and in the
reader every move of the focus between the text and the annotation panel
rebuilt twenty keys (~100 ms of CPU on a loaded machine) for the same two sets
of keys, over and over.

This footer holds *pages*: each page is a footer composed once, from the keys
active when it was made, and never rebuilt. When the keys change, the page
showing those keys is shown and the others hidden (a page is made the first
time a set of keys is seen; a few are kept). Keys that did not change rebuild
and switch nothing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

#: What a footer shows of the active bindings: the binding, whether it is enabled, its tooltip.
Shown = tuple[tuple[Binding, bool, str], ...]

#: Pages kept: the reader switches between a handful of sets of keys (text, panel, modes).
PAGES = 6


def shown_keys(screen: Screen[object]) -> Shown:
    """The active bindings of ``screen`` that a footer shows, in order."""
    return tuple(
        (active.binding, active.enabled, active.tooltip)
        for active in screen.active_bindings.values()
        if active.binding.show
    )


class KeyPage(Footer):
    """One set of keys: a footer composed once, at once, from the bindings active then."""

    DEFAULT_CSS = """
    KeyPage { dock: none; width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown: Shown | None = None
        """The keys it was composed with (None until composed)."""

    def compose(self) -> ComposeResult:
        # Textual's footer shows nothing until the screen first signals its bindings, then
        # lays itself out again: a second frame. The bindings are known now: show them.
        self.set_reactive(Footer._bindings_ready, True)
        self.shown = shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Never rebuilt: the footer holding it shows another page instead."""


class KeyFooter(Footer):
    """A :class:`Footer` that composes each set of keys once and switches between them."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[KeyPage] = []
        """Pages made so far, the one shown last."""

    def compose(self) -> ComposeResult:
        # The keys depend on the focus, which Textual gives once the whole screen has
        # composed: give it now (the same widget it would), or the focused widget's keys
        # would come one rebuild later.
        self.set_reactive(Footer._bindings_ready, True)
        if self.screen.focused is None:
            self.screen._update_auto_focus()
        page = KeyPage()
        self.pages = [page]
        yield page

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen or not self.is_attached or not self.pages:
            return
        shown = shown_keys(screen)
        current = self.pages[-1]
        if current.shown is None or current.shown == shown:
            return  # not composed yet (it will compose with these keys), or the same keys
        page = next((p for p in self.pages if p.shown == shown), None)
        if page is None:
            page = KeyPage()
            self.mount(page)
            if len(self.pages) >= PAGES:
                self.pages.pop(0).remove()
        else:
            self.pages.remove(page)
            page.display = True
        current.display = False
        self.pages.append(page)
