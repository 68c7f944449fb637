"""Editing another annotator's annotation: the explicit way, with a confirmation.

Opened by ``E`` in the reader on an annotation that is not yours. The dialog says
whose it is and that your change will be recorded on it (who, when, what); the digit
keys toggle its themes, ``m`` changes its note, Enter saves (the confirmation) and
Escape leaves it as it was. It answers ``(themes, note)`` or None; the reader screen
calls :meth:`reader.store.Store.edit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.layout import BidiMode
from reader.store import Annotation, Theme
from reader.ui.requests import Ask
from reader.ui.widgets.visual_label import VisualLabel

Edited = tuple[list[str], str]


class EditOtherScreen(ModalScreen[Edited | None]):
    """Change another annotator's annotation; Enter saves (recorded), Escape cancels.

    | Key | Action |
    | --- | --- |
    | 1–9 | toggle the theme with that digit |
    | m | change the note |
    | enter | save: the change is recorded on the annotation |
    | escape | cancel |
    """

    DEFAULT_CSS = """
    EditOtherScreen { align: center middle; }
    EditOtherScreen > Vertical {
        width: 80%; max-width: 100; height: auto; padding: 1 2;
        background: $panel; border: tall $warning;
    }
    EditOtherScreen .edit--title { text-style: bold; }
    EditOtherScreen .edit--quote, EditOtherScreen .edit--warning { color: $text-muted; }
    EditOtherScreen #edit-themes { height: auto; margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(d, f"theme('{d}')", f"theme {d}", id=f"edit_other.theme_{d}", show=False)
            for d in "123456789"
        ),
        Binding("m", "note", "Note", id="edit_other.note", tooltip="Change the note"),
        Binding(
            "enter", "save", "Save", id="edit_other.save", tooltip="Save: recorded as your edit"
        ),
        Binding("escape", "cancel", "Cancel", id="edit_other.cancel", tooltip="Leave it as it was"),
    ]

    def __init__(
        self,
        annotation: Annotation,
        themes: Sequence[Theme],
        editor: str,
        mode: BidiMode = BidiMode.APP,
    ) -> None:
        super().__init__()
        self.annotation = annotation
        self.theme_list = list(themes)
        self.editor = editor
        self.mode = mode
        self.chosen: list[str] = list(annotation.themes)
        self.note = annotation.note

    def compose(self) -> ComposeResult:
        owner = self.annotation.annotator
        with Vertical():
            yield VisualLabel(
                f"Edit {owner}'s annotation, as {self.editor}", self.mode, classes="edit--title"
            )
            yield VisualLabel(self.annotation.quote, self.mode, classes="edit--quote")
            yield Static(id="edit-themes")
            yield VisualLabel("", self.mode, id="edit-note")
            yield VisualLabel(
                f"It stays {owner}'s; your change is recorded on it (who, when, what).",
                self.mode,
                classes="edit--warning",
            )
            yield VisualLabel(
                "1–9 toggle a theme · m note · Enter saves · Escape cancels",
                self.mode,
                classes="edit--warning",
            )

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        line = Text(end="")
        for theme in self.theme_list:
            on = theme.key in self.chosen
            style = Style(color=theme.color, bold=True) if on else Style(dim=True)
            line.append(f"{theme.digit} {'■' if on else '□'} {theme.label_en}   ", style)
        self.query_one("#edit-themes", Static).update(line)
        note = f"note: {self.note}" if self.note else "no note"
        self.query_one("#edit-note", VisualLabel).text = note

    def action_theme(self, digit: str) -> None:
        theme = next((t for t in self.theme_list if t.digit == digit), None)
        if theme is None:
            return
        if theme.key in self.chosen:
            self.chosen.remove(theme.key)
        else:
            self.chosen.append(theme.key)
        self._show()

    def action_note(self) -> None:
        def keep(note: str | None) -> None:
            if note is not None:
                self.note = note.strip()
                self._show()

        quote = self.annotation.quote
        self.post_message(Ask("Note (memo) on this passage", keep, self.note, quote))

    def action_save(self) -> None:
        if not self.chosen:
            self.notify("an annotation needs at least one theme (1–9)", severity="warning")
            return
        self.dismiss((list(self.chosen), self.note))

    def action_cancel(self) -> None:
        self.dismiss(None)
