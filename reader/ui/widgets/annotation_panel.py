"""The annotation panel: this document's annotations in reading order.

Each entry shows its themes in their colours, its quote (laid out right to
left, cut with an ellipsis) and its note. Enter asks the screen to jump to it.
Orphaned annotations — their text is gone from the document — are listed in a
section of their own, since there is nothing to jump to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.layout import BidiMode
from reader.store import Annotation, Theme
from reader.ui.visual import visual_text


class AnnotationPanel(OptionList):
    """Annotations of one document; Enter jumps, Escape goes back to the text.

    | Key | Action |
    | --- | --- |
    | up / down | previous / next annotation |
    | enter | jump to it |
    """

    DEFAULT_CSS = """
    AnnotationPanel { width: 44; height: 1fr; border-left: tall $panel-lighten-2; }
    AnnotationPanel:focus { border-left: tall $accent; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Jump", id="panel.jump", tooltip="Jump to this annotation"),
    ]

    class Jump(Message):
        """The user chose an annotation to go to."""

        def __init__(self, panel: AnnotationPanel, annotation: Annotation) -> None:
            super().__init__()
            self.panel = panel
            self.annotation = annotation

        @property
        def control(self) -> AnnotationPanel:
            return self.panel

    def __init__(
        self,
        themes: Sequence[Theme],
        annotations: Sequence[Annotation] = (),
        mode: BidiMode = BidiMode.APP,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.themes = list(themes)
        self.mode = mode
        self.annotations: list[Annotation] = list(annotations)

    def on_mount(self) -> None:
        self.show(self.annotations)

    def on_resize(self, event: Resize) -> None:
        self.show(self.annotations)

    @property
    def current(self) -> Annotation | None:
        """The highlighted annotation."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return next((a for a in self.annotations if a.id == option.id), None)

    def show(self, annotations: Sequence[Annotation], keep: str | None = None) -> None:
        """List ``annotations``, keeping the highlight on ``keep`` (an id) if given."""
        keep = keep or (self.current.id if self.current else None)
        self.annotations = sorted(annotations, key=lambda a: (a.start, a.end))
        width = max(8, self.scrollable_content_region.width - 1)
        anchored = [a for a in self.annotations if a.status != "orphaned"]
        orphaned = [a for a in self.annotations if a.status == "orphaned"]
        options: list[Option | None] = []
        if not self.annotations:
            options.append(Option(Text("no annotations yet: select a passage, press 1–4",
                                       style="dim"), disabled=True))  # fmt: skip
        options.extend(Option(self._entry(a, width), id=a.id) for a in anchored)
        if orphaned:
            title = Text(f"orphaned ({len(orphaned)}): text no longer found", style="bold red")
            options.append(Option(title, disabled=True))
            options.extend(Option(self._entry(a, width), id=a.id) for a in orphaned)
        self.clear_options()
        self.add_options(options)
        ids = [a.id for a in self.annotations]
        if keep in ids:
            self.highlighted = self.get_option_index(keep)

    def _entry(self, ann: Annotation, width: int) -> Text:
        head = Text(no_wrap=True, overflow="ellipsis", end="")
        for theme in self.themes:
            if theme.key in ann.themes:
                head.append("▌", Style(color=theme.color))
                head.append(f"{theme.label_en} ", Style(color=theme.color, bold=True))
        if ann.status == "reanchored":
            head.append("(moved)", Style(dim=True, italic=True))
        lines: list[Text] = [head, visual_text(ann.quote, width, self.mode)]
        if ann.note:
            lines.append(visual_text(f"✎ {ann.note}", width, self.mode, Style(italic=True)))
        return Text("\n", end="").join(lines)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ann = next((a for a in self.annotations if a.id == event.option.id), None)
        if ann is not None:
            self.post_message(self.Jump(self, ann))
