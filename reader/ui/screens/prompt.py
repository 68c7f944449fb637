"""A one-line question (search, note): the input, and what was typed in visual order."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from reader.layout import BidiMode
from reader.ui.widgets.bidi_input import BidiInput
from reader.ui.widgets.visual_label import VisualLabel


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; Enter answers it, Escape cancels (``None``)."""

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 80%; max-width: 100; height: auto; padding: 1 2;
        background: $panel; border: tall $accent;
    }
    PromptScreen .prompt--title { text-style: bold; }
    PromptScreen .prompt--context { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self, title: str, value: str = "", context: str = "", mode: BidiMode = BidiMode.APP
    ) -> None:
        super().__init__()
        self.prompt_title = title
        self.value = value
        self.context = context
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Vertical():
            yield VisualLabel(self.prompt_title, self.mode, classes="prompt--title")
            if self.context:
                yield VisualLabel(self.context, self.mode, classes="prompt--context")
            yield BidiInput(self.value, mode=self.mode)

    def on_mount(self) -> None:
        self.query_one(BidiInput).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
