"""The footer: the screen's keys drawn by one widget, redrawn when they change.

Textual's :class:`~textual.widgets.Footer` is a container of one widget per key
(``FooterKey``), each mounted and styled, and it recomposes them whenever the
screen says its bindings *may* have changed: every focus change and every
``refresh_bindings``. Twenty keys cost ~40 ms of CPU to build — a tenth of the
reader's start-up, most of a focus change between the text and the panel, and
most of ``S``'s first frame, whose mode brings keys of its own. This footer is
one widget with the Line API: the keys are kept as a list of items, computed
again when the bindings signal a change (and drawn again only if they differ),
and drawn as one line of segments.

It looks exactly like Textual's footer (same theme variables, the same
paddings and margins, compact binding groups such as the digits' "Tag", the
command palette key at the right behind a thin bar) and behaves like it: a
click on a key presses it (a disabled one rings the bell), and the key under the
mouse is highlighted and gives its tooltip.

It shows what fits the screen's width, the most useful keys first: each screen
ranks its keys by binding id (``FOOTER_PRIORITY``, patterns allowed), the help
key ``?`` (every key, remapped ones included) is always kept, and the rest are
left out rather than cut off in the middle of a word. The order does not depend
on the keys either, so a key the user remapped (which Textual moves to the end of
its bindings) keeps its place.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

#: What a footer shows of the active bindings: the binding, whether it is enabled, its tooltip.
Shown = tuple[tuple[Binding, bool, str], ...]

#: The bar before the command palette key (Textual's ``vkey`` border, left side).
PALETTE_BAR = "▏"
#: The key that lists every key: always in the footer.
HELP = "app.help"
#: Columns left to the command palette's key at the right end (``^p palette`` and its border).
PALETTE = 14

#: The bindings of one action: the footer shows the first, as Textual's does.
Bindings = list[tuple[Binding, bool, str]]


def rank(binding: Binding, priority: Sequence[str]) -> int:
    """Where a key comes in the footer: its place in ``priority`` (ids, ``*`` patterns)."""
    if binding.id == HELP:
        return -1
    for number, pattern in enumerate(priority):
        if binding.id is not None and fnmatch.fnmatchcase(binding.id, pattern):
            return number
    return len(priority)


def fit(
    actions: Iterable[Bindings], width: int, priority: Sequence[str], display: dict[str, str]
) -> list[Bindings]:
    """The actions that fit ``width`` columns, the most useful first (the help key kept).

    ``display`` gives each binding's key as shown. An action costs its key, its description
    and the footer's padding; a group of keys (the theme digits) its keys and its label.
    """
    ordered = sorted(actions, key=lambda action: rank(action[0][0], priority))  # stable
    blocks: list[list[Bindings]] = []  # a group of keys (the theme digits) is one block
    for group, members in groupby(ordered, key=lambda action: action[0][0].group):
        block = list(members)
        if group is not None and len(block) > 1:
            blocks.append(block)
        else:
            blocks.extend([action] for action in block)
    kept: list[Bindings] = []
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


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of cells: its text and the name of its style (see :meth:`KeyFooter._styles`)."""

    text: str
    style: str


@dataclass(frozen=True, slots=True)
class Item:
    """What the footer draws in a row: a key (clickable) or a group's label, as pieces."""

    pieces: tuple[Piece, ...]
    key: str = ""
    """The key a click presses ("" for a label or a margin)."""
    enabled: bool = True
    tooltip: str = ""
    display: str = ""
    """The key as shown."""
    description: str = ""
    """What it does as shown ("" for a grouped key)."""

    @property
    def width(self) -> int:
        return sum(len(piece.text) for piece in self.pieces)


def _key(
    binding: Binding, display: str, enabled: bool, tooltip: str, compact: bool, description: str
) -> Item:
    """One key as Textual's ``FooterKey`` draws it (``compact``: its compact paddings)."""
    on = "" if enabled else "-dim"
    if not description:
        pieces: tuple[Piece, ...] = (Piece(display, "key" + on),)
    elif compact:
        pieces = (Piece(display, "key" + on), Piece(" " + description, "description" + on))
    else:
        pieces = (Piece(f" {display} ", "key" + on), Piece(description + " ", "description" + on))
    return Item(pieces, binding.key, enabled, tooltip, display, description)


def layout(screen: Screen[object], shown: Shown, width: int) -> tuple[list[Item], Item | None]:
    """The footer's items for ``shown`` that fit ``width`` (as Textual's ``Footer.compose``
    draws them, for the keys :func:`fit` keeps), and the palette key."""
    app = screen.app
    actions: dict[str, Bindings] = {}
    for binding, enabled, tooltip in shown:
        actions.setdefault(binding.action, []).append((binding, enabled, tooltip))
    display = {binding.key: app.get_key_display(binding) for binding, _, _ in shown}
    priority: Sequence[str] = getattr(screen, "FOOTER_PRIORITY", ())
    palette = _palette(screen)
    kept = fit(actions.values(), width - (PALETTE if palette else 0), priority, display)
    items: list[Item] = []
    space = Piece(" ", "space")  # a margin or a padding: the background alone
    for group, runs in groupby(kept, lambda run: run[0][0].group):
        block = list(runs)
        if group is not None and len(block) > 1:
            if group.compact:
                items.append(Item((space,)))  # the group's left padding
            for run in block:
                binding, enabled, tooltip = run[0]
                # A grouped key shows the key alone; the group's label says what they do.
                key = _key(binding, display[binding.key], enabled, "", False, "")
                item = replace(key, tooltip=tooltip or binding.description)
                if not group.compact:  # a grouped key's margins (0 1), collapsed between keys
                    item = replace(item, pieces=(space, *item.pieces))
                items.append(item)
            items.append(Item((space,)))  # the last key's margin, or the compact group's
            items.append(Item((Piece(group.description, "label"), space)))
        else:
            for run in block:
                binding, enabled, tooltip = run[0]
                description = binding.description
                items.append(
                    _key(binding, display[binding.key], enabled, tooltip, False, description)
                )
    return items, palette


def _palette(screen: Screen[object]) -> Item | None:
    """The command palette's key, drawn at the right end behind a thin bar."""
    app = screen.app
    if not app.ENABLE_COMMAND_PALETTE:
        return None
    active = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    if active is None:
        return None
    binding = active.binding
    key = _key(binding, app.get_key_display(binding), active.enabled, "", True, binding.description)
    return replace(
        key,
        pieces=(Piece(PALETTE_BAR, "bar"), *key.pieces, Piece(" ", "padding")),
        tooltip=binding.tooltip or binding.description,
    )


class KeyFooter(Widget):
    """The screen's keys in one line; a key's item is pressed by a click."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--label",
        "key-footer--hover",
        "key-footer--bar",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        pointer: pointer;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--label {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            background: $block-hover-background;
        }
        & > .key-footer--bar {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown: Shown | None = None
        """The keys drawn (None until first drawn)."""
        self.fitted = 0
        """The screen width they were fitted to."""
        self.items: list[Item] = []
        self.palette: Item | None = None
        self.hovered: Item | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """The screen's keys may have changed: draw again if they did."""
        if screen is self.screen and self.is_attached and self._update():
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.shown is not None and self._update():
            self.refresh()

    def _update(self) -> bool:
        shown, width = shown_keys(self.screen), self.app.size.width
        if (shown, width) == (self.shown, self.fitted):
            return False
        self.shown, self.fitted = shown, width
        self.items, self.palette = layout(self.screen, shown, width)
        self.hovered = None
        return True

    # --- drawing --------------------------------------------------------------------

    def _styles(self) -> dict[str, Style]:
        base = self.rich_style
        key = base + self.get_component_rich_style("key-footer--key")
        description = base + self.get_component_rich_style("key-footer--description")
        dim = Style(dim=True)
        return {
            "space": Style(bgcolor=base.bgcolor),
            "padding": Style(bgcolor=base.bgcolor),
            "key": key,
            "description": description,
            "key-dim": base + dim + self.get_component_rich_style("key-footer--key"),
            "description-dim": base
            + dim
            + self.get_component_rich_style("key-footer--description"),
            "label": base + self.get_component_rich_style("key-footer--label"),
            "bar": self.get_component_rich_style("key-footer--bar"),
        }

    def _keys_width(self) -> int:
        return self.size.width - (self.palette.width if self.palette is not None else 0)

    def _placed(self) -> Iterator[tuple[int, Item]]:
        """Each item with its first column on screen (the palette's key last)."""
        x = 0
        for item in self.items:
            yield x, item
            x += item.width
        if self.palette is not None:
            yield self._keys_width(), self.palette

    def render_line(self, y: int) -> Strip:
        if self.shown is None:
            self._update()
        styles = self._styles()
        width = self.size.width
        keys_width = max(0, self._keys_width())
        keys = Strip(list(self._segments(self.items, styles)))
        keys = keys.crop(0, keys_width)
        keys = keys.extend_cell_length(keys_width, styles["space"])
        if self.palette is None:
            return keys
        palette = Strip(list(self._segments([self.palette], styles)))
        return Strip.join([keys, palette]).crop(0, width)

    def _segments(self, items: list[Item], styles: dict[str, Style]) -> Iterator[Segment]:
        # A hovered key's own cells (not its margins) take the hover background.
        hover = Style(bgcolor=self.get_component_rich_style("key-footer--hover").bgcolor)
        for item in items:
            hovered = item is self.hovered
            for piece in item.pieces:
                style = styles[piece.style]
                if hovered and piece.style not in ("bar", "space"):
                    style += hover
                yield Segment(piece.text, style)

    def keys_on_screen(self) -> list[tuple[Item, int, int]]:
        """Each key drawn (the palette's included), with its first column and the one after
        its last (a key hidden under the palette's, the help key on a tiny screen, left out)."""
        keys_width = self._keys_width()
        found = []
        for x, item in self._placed():
            right = x + item.width
            if item.key and (item is self.palette or right <= keys_width):
                found.append((item, x, right))
        return found

    # --- the mouse ------------------------------------------------------------------

    def _item_at(self, column: int) -> Item | None:
        keys_width = self._keys_width()
        for x, item in self._placed():
            if item is not self.palette and column >= keys_width:
                continue
            if x <= column < x + item.width:
                return item if item.key else None
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event.x)
        if item is not self.hovered:
            self.hovered = item
            self.tooltip = item.tooltip or None if item is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
