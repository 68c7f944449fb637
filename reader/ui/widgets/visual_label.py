"""A one-line label whose text is laid out by the engine at the label's width."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.layout import BidiMode
from reader.ui.visual import visual_text


class VisualLabel(Widget):
    """One line of possibly right-to-left text, in visual order, cut with an ellipsis."""

    DEFAULT_CSS = """
    VisualLabel { height: 1; width: 1fr; }
    """

    text: reactive[str] = reactive("", layout=False)
    """The logical-order text to show."""

    def __init__(
        self,
        text: str = "",
        mode: BidiMode = BidiMode.APP,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.mode = mode
        self.set_reactive(VisualLabel.text, text)

    def render(self) -> Text:
        return visual_text(self.text, self.size.width, self.mode, pad=True)
