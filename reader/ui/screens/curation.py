"""The curation screen: two annotators' tags of one document side by side, curated by keys.

Left, the document with annotator A's tags; right, the same document with B's. The keys
step through the places where they disagree (both views go there) and take A's
passages, B's, both, or neither into the curated store, each decision written at once
and undoable (:class:`reader.curation.Curation`). ``T`` takes every place they agree on.
The status line says where you are, what each annotator gave that place, and what the
curated store holds of it. Everything Arabic goes through the layout engine (the views,
the title, the status line).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from reader.corpus import Document, Span
from reader.curation import BOTH, NEITHER, A, B, Curation, Item
from reader.errors import ReaderError
from reader.layout import BidiMode
from reader.store import Theme
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.visual_label import VisualLabel

_T = TypeVar("_T")


class CurationScreen(Screen[None]):
    """Curate annotator A's and B's tags of one document, by keys alone.

    | Key | Action |
    | --- | --- |
    | j / ↓, k / ↑ | next / previous disagreement |
    | a / b | take A's / B's passages here |
    | t / x | take both / neither |
    | T | take every place the two agree on |
    | u / ctrl+r | undo / redo a decision |
    | escape, q | back |
    """

    DEFAULT_CSS = """
    CurationScreen > .curation--title {
        height: 1; background: $panel; padding: 0 1; text-style: bold;
    }
    CurationScreen > Horizontal { height: 1fr; }
    CurationScreen Vertical { width: 1fr; }
    CurationScreen .curation--who { height: 1; padding: 0 1; background: $boost; }
    CurationScreen DocumentView { width: 1fr; }
    CurationScreen > #curation-status { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "step(1)", "Next", id="curation.next", tooltip="Next disagreement"),
        Binding(
            "k,up", "step(-1)", "Prev", id="curation.previous", tooltip="Previous disagreement"
        ),
        Binding("a", "take('A')", "Take A", id="curation.take_a", tooltip="Take A's passages"),
        Binding("b", "take('B')", "Take B", id="curation.take_b", tooltip="Take B's passages"),
        Binding("t", "take('both')", "Both", id="curation.both", tooltip="Take both"),
        Binding("x", "take('neither')", "Neither", id="curation.neither", tooltip="Take none"),
        Binding(
            "T",
            "agreements",
            "Take agreed",
            id="curation.agreements",
            tooltip="Take every place the two annotators agree on",
        ),
        Binding("u", "history('undo')", "Undo", id="curation.undo", tooltip="Undo a decision"),
        Binding("ctrl+r", "history('redo')", "Redo", id="curation.redo", tooltip="Redo a decision"),
        Binding("escape,q", "close", "Back", id="curation.close", tooltip="Back to the reader"),
    ]

    def __init__(
        self,
        document: Document,
        curation: Curation,
        names: tuple[str, str],
        themes: list[Theme],
        mode: BidiMode = BidiMode.APP,
    ) -> None:
        super().__init__()
        self.document = document
        self.curation = curation
        self.names = names
        self.themes = themes
        self.mode = mode
        self.position = -1
        """Index into :attr:`Curation.disagreements`; -1 before the first."""

    def compose(self) -> ComposeResult:
        a, b = self.names
        target = self.curation.store.root
        yield VisualLabel(
            f"Curating {self.document.title} — A: {a}, B: {b} → {target}",
            self.mode,
            classes="curation--title",
        )
        items = self.curation.items
        with Horizontal():
            for side, name, anns in (
                ("A", a, [x for i in items for x in i.a]),
                ("B", b, [x for i in items for x in i.b]),
            ):
                with Vertical():
                    yield VisualLabel(f"{side} · {name}", self.mode, classes="curation--who")
                    view = DocumentView(self.document, self.themes, anns, self.mode)
                    view.can_focus = False  # the screen has the keys
                    yield view
        yield VisualLabel("", self.mode, id="curation-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.curation.disagreements:
            self.go(0)
        else:
            self.update_status()

    @property
    def views(self) -> list[DocumentView]:
        return list(self.query(DocumentView))

    @property
    def index(self) -> int | None:
        """The item shown (an index into the curation's items), if any."""
        places = self.curation.disagreements
        return places[self.position] if 0 <= self.position < len(places) else None

    def go(self, position: int) -> None:
        self.position = position
        index = self.index
        if index is not None:
            item = self.curation.items[index]
            for view in self.views:
                view.select(Span(item.start, item.end), center=True)
        self.update_status()

    def _given(self, item: Item, side: str) -> str:
        anns = item.a if side == "A" else item.b
        if not anns:
            return "nothing"
        labels = {t.key: t.label_en for t in self.themes}
        return "; ".join(
            f"{', '.join(labels.get(k, k) for k in x.themes)} {x.start}–{x.end}" for x in anns
        )

    def update_status(self) -> None:
        places = self.curation.disagreements
        agreed = len(self.curation.items) - len(places)
        index = self.index
        if index is None:
            text = f"no disagreements: {agreed} places agreed (T takes them)"
        else:
            item = self.curation.items[index]
            taken = self.curation.choice(index)
            text = (
                f"disagreement {self.position + 1}/{len(places)} · "
                f"A: {self._given(item, 'A')} · B: {self._given(item, 'B')} · "
                f"taken: {taken or 'nothing yet'} · {agreed} agreed"
            )
        self.query_one("#curation-status", VisualLabel).text = text

    def _write(self, what: str, change: Callable[[], _T]) -> list[_T]:
        try:
            return [change()]
        except ReaderError as exc:
            self.notify(str(exc), title=f"cannot {what}", severity="error")
            return []

    def action_step(self, step: int) -> None:
        places = self.curation.disagreements
        if not places:
            self.notify("the two annotators agree everywhere here (T takes it all)")
            return
        target = self.position + step
        if not 0 <= target < len(places):
            self.notify("no more disagreements this way")
            return
        self.go(target)

    def action_take(self, choice: str) -> None:
        index = self.index
        if index is None:
            self.notify("no disagreement here: j goes to the next one")
            return
        assert choice in (A, B, BOTH, NEITHER)
        if self._write("curate", lambda: self.curation.decide(index, choice)):
            self.update_status()

    def action_agreements(self) -> None:
        done = self._write("curate", self.curation.take_agreements)
        if done:
            self.notify(f"{done[0]} agreed places taken into the curated store")
            self.update_status()

    def action_history(self, which: str) -> None:
        step = self.curation.undo if which == "undo" else self.curation.redo
        done = self._write(which, step)
        if not done:
            return
        if done[0] is None:
            self.notify(f"nothing to {which}")
            return
        places = self.curation.disagreements
        if done[0].index in places:  # show the place the decision was about
            self.go(places.index(done[0].index))
        else:
            self.update_status()  # an agreement taken with T

    def action_close(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.curation.store.close()
