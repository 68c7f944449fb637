"""A status line: parts side by side, each laid out as a paragraph of its own.

See :func:`reader.ui.visual.visual_parts`: a note in Arabic with a Latin tail keeps
its tail on its own left, whatever the direction of the parts around it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.layout import BidiMode
from reader.ui.visual import Part, visual_parts


class StatusLine(Widget):
    """One line of parts (``parts``), separated by `` · ``."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; }
    """

    parts: reactive[tuple[Part, ...]] = reactive((), layout=False)
    """What to show, in order; a tuple part is texts laid out one by one."""

    def __init__(
        self, mode: BidiMode = BidiMode.APP, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.mode = mode

    def show(self, parts: Sequence[Part]) -> None:
        self.parts = tuple(parts)

    @property
    def text(self) -> str:
        """The parts in logical order, as one string (for tests and logs)."""
        return " · ".join(p if isinstance(p, str) else " ".join(p) for p in self.parts)

    def render(self) -> Text:
        return visual_parts(self.parts, self.size.width, self.mode)
