"""The help screen: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


@dataclass
class KeyHelp:
    """One action of a screen, with every key bound to it."""

    node: DOMNode
    binding: Binding
    keys: list[str] = field(default_factory=list)


def screen_keys(app: App[None], screen: Screen[object]) -> list[KeyHelp]:
    """The enabled bindings of ``screen`` and its focused widget, one per binding id.

    Only bindings with an id are the app's own (and remappable); Textual's generic
    ones (focus cycling, copy, horizontal paging) are left out.
    """
    found: dict[str, KeyHelp] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or binding.system or not binding.id:
            continue
        name = binding.id
        entry = found.setdefault(name, KeyHelp(active.node, binding))
        key = app.get_key_display(binding)
        if key not in entry.keys:
            entry.keys.append(key)
    return list(found.values())


class HelpScreen(ModalScreen[None]):
    """Keys of the screen below, taken from its live bindings (so remapped keys show)."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 110; height: 90%; background: $panel; border: tall $accent;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark,f1",
            "close",
            "Close",
            id="help.close",
            tooltip="Back to where you were",
        ),
    ]

    def __init__(self, keys: Sequence[KeyHelp]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action", no_wrap=True)
        table.add_column("what it does")
        table.add_column("id", style="dim", no_wrap=True)
        for entry in self.keys:
            binding = entry.binding
            table.add_row(" ".join(entry.keys), binding.description, binding.tooltip, binding.id)
        with VerticalScroll():
            yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
