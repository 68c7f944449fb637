"""Whose annotation is whose, in the reader: the panel's annotator column and filter, the
status line's owner, and the keys for another annotator's annotation.

The store enforces ownership (:meth:`reader.store.Store.toggle_theme` acts on your own
annotation; ``set_note`` and ``delete`` refuse another's); this helper makes it visible
and gives the explicit way: ``E`` asks for the change in a dialog that says whose
annotation it is and that the change is recorded on it, then calls
:meth:`~reader.store.Store.edit`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from reader.corpus import Document
from reader.layout import BidiMode
from reader.store import ORPHANED, Annotation, Store, Theme
from reader.ui.requests import Curate, EditAnnotation
from reader.ui.theme_keys import theme_labels
from reader.ui.visual import Part, visual_text
from reader.ui.widgets.annotation_panel import AnnotationPanel
from reader.ui.widgets.document_view import DocumentView

_T = TypeVar("_T")

#: Columns an annotator's name may take in a panel entry's head.
NAME_WIDTH = 20

#: How the panel marks annotations: yours plain, others' in this colour.
OTHERS = Style(color="#e0a030", italic=True)
MINE = Style(dim=True)


def ownership_bindings() -> list[Binding]:
    """The reader's keys about whose annotation is whose."""
    return [
        Binding(
            "E",
            "edit_other",
            "Edit other's",
            id="reader.edit_other",
            tooltip="Edit another annotator's annotation under the cursor "
            "(asks first; your change is recorded on it)",
        ),
        Binding(
            "w",
            "whose",
            "Whose",
            id="reader.whose",
            tooltip="Show everyone's annotations, yours, or one annotator's (panel and text)",
            show=False,  # in the help (?) and the palette: the footer is full
        ),
        Binding(
            "C",
            "curate",
            "Curate",
            id="reader.curate",
            tooltip="Curate two annotators' tags of this document side by side",
            show=False,
        ),
        Binding(
            "A",
            "app.agreement",
            "Agreement",
            id="reader.agreement",
            tooltip="Agreement between the annotators (α, κ, F1, u-α)",
            show=False,
        ),
    ]


def annotator_field(me: str, mode: BidiMode = BidiMode.APP) -> Callable[[Annotation], Text | None]:
    """The panel entry's owner: ``· you`` or ``· alice``, and who else edited it.

    Names come from the store's records: drawn by the layout engine (an Arabic name in
    visual order, control characters as placeholders), never written raw.
    """

    def field(ann: Annotation) -> Text:
        mine = ann.annotator == me
        piece = Text(" · ", style=MINE, end="")
        if mine:
            piece.append("you", MINE)
        else:
            piece.append_text(visual_text(ann.annotator, NAME_WIDTH, mode, OTHERS))
        editors = list(dict.fromkeys(e["by"] for e in ann.edits))
        if editors:
            piece.append(" ✎ ", MINE)
            piece.append_text(visual_text(", ".join(editors), NAME_WIDTH, mode, MINE))
        return piece

    return field


def owner_status(ann: Annotation, me: str, themes: Sequence[Theme]) -> Part:
    """The status line's part about the annotation under the cursor (a name laid out alone)."""
    labels = ", ".join(theme_labels(ann.themes, themes))  # an unknown key as "key?"
    if ann.annotator == me:
        return f"tagged by you: {labels}"
    return (
        "tagged by",
        f"{ann.annotator}:",
        f"{labels} (not yours: keys make your own; E edits it)",
    )


class PanelFilter:
    """Which annotators the panel lists: everyone, you, or one other annotator."""

    def __init__(self, me: str) -> None:
        self.me = me
        self.who: str | None = None
        """None: everyone."""

    def cycle(self, annotators: Sequence[str]) -> None:
        """Everyone → you → each other annotator (by name) → everyone."""
        order: list[str | None] = [None, self.me]
        order += sorted(set(annotators) - {self.me})
        at = order.index(self.who) if self.who in order else 0
        self.who = order[(at + 1) % len(order)]

    @property
    def keep(self) -> Callable[[Annotation], bool] | None:
        who = self.who
        return None if who is None else (lambda ann: ann.annotator == who)

    @property
    def label(self) -> str:
        if self.who is None:
            return "everyone's"
        return "yours" if self.who == self.me else f"{self.who}'s"


class OwnershipHost(Protocol):
    """What the ownership keys need of the reader screen (which they must not import)."""

    document: Document
    store: Store
    themes: list[Theme]
    annotations: list[Annotation]

    @property
    def view(self) -> DocumentView: ...

    @property
    def panel(self) -> AnnotationPanel: ...

    @property
    def focused(self) -> Widget | None: ...

    def update_status(self) -> None: ...

    def apply_filters(self) -> None: ...

    def write(self, what: str, change: Callable[[], _T]) -> list[_T]: ...

    def reload(self, keep: str | None = None) -> None: ...

    def notify(self, message: str) -> None: ...

    def post_message(self, message: Message) -> bool: ...


class Ownership:
    """The reader's ownership keys and the panel's annotator column, for one screen."""

    def __init__(self, host: OwnershipHost) -> None:
        self.host = host
        self.me = host.store.annotator
        self.filter = PanelFilter(self.me)

    def setup(self, panel: AnnotationPanel) -> None:
        """Give the panel its annotator column (before its first frame)."""
        panel.fields.append(annotator_field(self.me, panel.mode))

    def status(self, ann: Annotation | None) -> list[Part]:
        parts = [] if ann is None else [owner_status(ann, self.me, self.host.themes)]
        if self.filter.who is not None:
            parts.append(f"only {self.filter.label} (w)")
        return parts

    def others_under_cursor(self) -> Annotation | None:
        """Another annotator's annotation: the panel's highlighted one, else on the selection."""
        host = self.host
        if host.focused is host.panel and host.panel.current is not None:
            current = host.panel.current
            return None if current.annotator == self.me else current
        sel = host.view.selection
        theirs = [a for a in host.annotations if a.annotator != self.me and a.status != ORPHANED]
        exact = next((a for a in theirs if (a.start, a.end) == (sel.start, sel.end)), None)
        return exact or next((a for a in theirs if a.start <= sel.start < a.end), None)

    def refuse_others(self, ann: Annotation, what: str) -> bool:
        """True (and say why) when ``ann`` is not yours: plain keys do not change it."""
        if ann.annotator == self.me:
            return False
        self.host.notify(f"{ann.annotator}'s annotation: your keys do not {what} it; E edits it")
        return True

    def edit_other(self) -> None:
        """``E``: ask how to change another's annotation, then edit it (recorded, undoable)."""
        host = self.host
        ann = self.others_under_cursor()
        if ann is None:
            host.notify("no other annotator's annotation under the cursor")
            return

        def save(result: tuple[list[str], str] | None) -> None:
            if result is None:
                return
            themes, note = result
            done = host.write("edit", lambda: host.store.edit(ann.id, themes=themes, note=note))
            if done:
                host.reload(keep=ann.id)
                host.notify(f"{ann.annotator}'s annotation edited; your change is recorded on it")

        host.post_message(EditAnnotation(ann, host.themes, save))

    def curate(self) -> None:
        """``C``: two annotators' tags of this document side by side, into the curated store."""
        self.host.post_message(Curate(self.host.document))

    def cycle_filter(self) -> None:
        """``w``: the panel and the view show everyone's annotations, yours, or one
        annotator's."""
        host = self.host
        self.filter.cycle([a.annotator for a in host.annotations])
        host.apply_filters()
        host.notify(f"showing {self.filter.label} annotations")
