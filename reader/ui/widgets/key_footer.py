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

A page shows what fits the screen's width, the most useful keys first: each
screen ranks its keys by binding id (``FOOTER_PRIORITY``, patterns allowed), the
help key ``?`` (every key, remapped ones included) is always kept, and the rest
are left out rather than cut off in the middle of a word. The order does not
depend on the keys either, so a key the user remapped (which Textual moves to the
end of its bindings) keeps its place.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from itertools import groupby

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

# The footer's own pieces (Textual is pinned: see pyproject.toml), to compose only the keys
# that fit.
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

#: What a footer shows of the active bindings: the binding, whether it is enabled, its tooltip.
Shown = tuple[tuple[Binding, bool, str], ...]

#: Pages kept: the reader switches between a handful of sets of keys (text, panel, modes).
PAGES = 6
#: The key that lists every key: always in the footer.
HELP = "app.help"
#: Columns the command palette's key takes at the right end (``^p palette`` and its border).
PALETTE = 14

#: The bindings of one action: the footer shows the first, as Textual's does.
Item = list[tuple[Binding, bool, str]]


def rank(binding: Binding, priority: Sequence[str]) -> int:
    """Where a key comes in the footer: its place in ``priority`` (ids, ``*`` patterns)."""
    if binding.id == HELP:
        return -1
    for number, pattern in enumerate(priority):
        if binding.id is not None and fnmatch.fnmatchcase(binding.id, pattern):
            return number
    return len(priority)


def fit(
    items: Iterable[Item], width: int, priority: Sequence[str], display: dict[str, str]
) -> list[Item]:
    """The items that fit ``width`` columns, the most useful first (the help key kept).

    ``display`` gives each binding's key as shown. An item costs its key, its description
    and the footer's padding; a group of keys (the theme digits) its keys and its label.
    """
    ordered = sorted(items, key=lambda item: rank(item[0][0], priority))  # stable
    blocks: list[list[Item]] = []  # a group of keys (the theme digits) is one block
    for group, members in groupby(ordered, key=lambda item: item[0][0].group):
        block = list(members)
        if group is not None and len(block) > 1:
            blocks.append(block)
        else:
            blocks.extend([item] for item in block)
    kept: list[Item] = []
    used = 0
    for block in blocks:
        first = block[0][0][0]
        if len(block) > 1 and first.group is not None:
            cost = sum(len(display[m[0][0].key]) for m in block) + len(first.group.description) + 3
        else:
            cost = len(display[first.key]) + len(first.description) + 3
        if used + cost <= width or first.id == HELP:
            kept.extend(block)
            used += cost
    return kept


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
        self.width = 0
        """The screen's width it was fitted to."""

    def compose(self) -> ComposeResult:
        # Textual's footer shows nothing until the screen first signals its bindings, then
        # lays itself out again: a second frame. The bindings are known now: show them.
        self.set_reactive(Footer._bindings_ready, True)
        self.shown = shown_keys(self.screen)
        self.width = self.app.size.width
        items: dict[str, Item] = {}
        for binding, enabled, tooltip in self.shown:
            items.setdefault(binding.action, []).append((binding, enabled, tooltip))
        display = {b.key: self.app.get_key_display(b) for b, _, _ in self.shown}
        priority: Sequence[str] = getattr(self.screen, "FOOTER_PRIORITY", ())
        budget = self.app.size.width - (PALETTE if self.show_command_palette else 0)
        kept = fit(items.values(), budget, priority, display)
        # As Textual's Footer.compose, for the kept keys, in their order.
        for group, members in groupby(kept, key=lambda item: item[0][0].group):
            block = list(members)
            if group is not None and len(block) > 1:
                with KeyGroup(classes="-compact" if group.compact else ""):
                    for item in block:
                        binding, enabled, tooltip = item[0]
                        yield FooterKey(
                            binding.key,
                            display[binding.key],
                            "",
                            binding.action,
                            disabled=not enabled,
                            tooltip=tooltip or binding.description,
                            classes="-grouped",
                        ).data_bind(compact=Footer.compact)
                yield FooterLabel(group.description)
                continue
            for item in block:
                binding, enabled, tooltip = item[0]
                yield FooterKey(
                    binding.key,
                    display[binding.key],
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, _ = found
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Never rebuilt: the footer holding it shows another page instead."""


class KeyFooter(Footer):
    """A :class:`Footer` that composes each set of keys once and switches between them.

    A page is made for a set of keys and a width: a resize shows the page fitted to it.
    """

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
        shown, width = shown_keys(screen), self.app.size.width
        current = self.pages[-1]
        if current.shown is None or (current.shown, current.width) == (shown, width):
            return  # not composed yet (it will compose with these keys), or the same keys
        page = next((p for p in self.pages if (p.shown, p.width) == (shown, width)), None)
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

    def on_resize(self) -> None:
        if self.pages:
            self.bindings_changed(self.screen)
