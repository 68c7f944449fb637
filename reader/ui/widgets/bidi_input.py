"""Text input for Arabic: Textual's Input, with what was typed shown in visual order.

Textual's ``Input`` keeps and shows the logical order, which scrambles mixed and
right-to-left text on screen. The preview line under it is laid out by the
engine, so the user sees the words as they will read them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from reader.layout import BidiMode
from reader.ui.widgets.visual_label import VisualLabel


class BidiInput(Vertical):
    """An ``Input`` and, under it, its value drawn in visual order.

    The inner input's ``Changed`` and ``Submitted`` messages bubble up unchanged.
    """

    DEFAULT_CSS = """
    BidiInput { height: auto; }
    BidiInput > Input { width: 1fr; }
    BidiInput > .bidi-input--preview { height: 1; padding: 0 2; color: $text-muted; }
    """

    def __init__(
        self,
        value: str = "",
        placeholder: str = "",
        mode: BidiMode = BidiMode.APP,
        *,
        id: str | None = None,
        input_id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._input_id = input_id
        """The inner Input's id, for screens that query or listen to it by id."""
        self._value = value
        self._placeholder = placeholder
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield Input(
            self._value, placeholder=self._placeholder, select_on_focus=False, id=self._input_id
        )
        yield VisualLabel(self._value, self.mode, classes="bidi-input--preview")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, value: str) -> None:
        self.input.value = value

    @property
    def preview(self) -> VisualLabel:
        return self.query_one(VisualLabel)

    def focus(self, scroll_visible: bool = True) -> BidiInput:
        self.input.focus(scroll_visible)
        return self

    def on_input_changed(self, event: Input.Changed) -> None:
        self.preview.text = event.value
