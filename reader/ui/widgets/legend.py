"""The always-visible legend: each theme's digit, colour and name."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.layout import BidiMode
from reader.store import Theme
from reader.ui.visual import visual_text


class Legend(Widget):
    """One line: ``1 ▌arms أسلحة  2 ▌troops …``; the theme ``]``/``[`` follow is marked."""

    DEFAULT_CSS = """
    Legend { height: 1; width: 1fr; padding: 0 1; background: $panel; }
    """

    focused_theme: reactive[str | None] = reactive(None)
    """Key of the theme that the per-theme jumps follow."""

    def __init__(
        self,
        themes: Sequence[Theme],
        mode: BidiMode = BidiMode.APP,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.themes = list(themes)
        self.mode = mode

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for theme in self.themes:
            focused = theme.key == self.focused_theme
            text.append(f" {theme.digit} ", Style(reverse=focused, bold=True))
            text.append("▌", Style(color=theme.color))
            text.append(theme.label_en, Style(color=theme.color, bold=focused))
            text.append(" ")
            text.append_text(visual_text(theme.label_ar, None, self.mode, Style(color=theme.color)))
            text.append("  ")
        return text
