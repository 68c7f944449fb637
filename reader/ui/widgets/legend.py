"""The always-visible legend: each theme's digit and names, drawn as its tags are."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.layout import BidiMode
from reader.store import Theme
from reader.ui.visual import visual_text
from reader.ui.widgets.painting import tag_style


class Legend(Widget):
    """One line: ``1 Arms الأسلحة  2 Troops …``, each name white on its theme's tint."""

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
        # Both names when they fit; on a narrow screen the English ones only, so that every
        # theme's digit stays in sight.
        full = self._line(arabic=True)
        if full.cell_len <= self.content_region.width or not self.content_region.width:
            return full
        return self._line(arabic=False)

    def _line(self, *, arabic: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for theme in self.themes:
            focused = theme.key == self.focused_theme
            text.append(f" {theme.digit or '·'} ", Style(reverse=focused, bold=True))
            # The names as a tag looks in the text: white on the theme's tint, which is
            # legible whatever the panel's grey (the theme's colour on it was not).
            label = tag_style(theme.color) + Style(bold=focused)
            text.append(f" {theme.label_en} ", label)
            if arabic:
                text.append_text(visual_text(theme.label_ar, None, self.mode, label))
                text.append(" ", label)
            text.append("  " if arabic else " ")
        return text
