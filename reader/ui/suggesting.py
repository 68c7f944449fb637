"""Suggestion mode of the reader screen: its keys, its worker, accept and reject.

The screen owns the keys and delegates here; the state (what is open, accepted,
rejected) is pure, in :mod:`reader.ui.suggestions`. Suggestions are computed once
per screen, in a worker thread: a big document takes a second or two, and the
text stays live meanwhile. Accepting goes through the store like a digit key
(so ``u`` undoes it); rejecting is kept in ``<store>/suggestions.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from reader.corpus import Document, Span
from reader.store import Annotation, Store, Theme
from reader.store.model import now_iso
from reader.suggest import Lexicon, Suggestion, suggest_document
from reader.ui.suggestions import Rejections, SuggestionState
from reader.ui.widgets.document_view import DocumentView

_T = TypeVar("_T")

#: Actions that only apply while suggestion mode is on (hidden from the footer otherwise).
MODE_ACTIONS = frozenset({"accept_suggestion", "reject_suggestion", "suggestion"})


def suggestion_bindings() -> list[Binding]:
    """The reader's suggestion keys."""
    return [
        Binding(
            "S",
            "suggestions",
            "Suggest",
            id="reader.suggestions",
            tooltip="Suggestion mode on/off: mark the sentences the theme lexicons suggest",
        ),
        Binding(
            "a",
            "accept_suggestion",
            "Accept",
            id="reader.accept_suggestion",
            tooltip="Accept the suggestion under the cursor: tag it with its themes",
        ),
        Binding(
            "r",
            "reject_suggestion",
            "Reject",
            id="reader.reject_suggestion",
            tooltip="Reject the suggestion under the cursor (remembered in the store)",
        ),
        Binding(
            "greater_than_sign",
            "suggestion(1)",
            "Next sugg.",
            id="reader.next_suggestion",
            tooltip="Next open suggestion",
        ),
        Binding(
            "less_than_sign",
            "suggestion(-1)",
            "Prev sugg.",
            id="reader.previous_suggestion",
            tooltip="Previous open suggestion",
            show=False,
        ),
    ]


class SuggestionsReady(Message):
    """The worker has the document's suggestions (or a one-line reason it failed)."""

    def __init__(
        self, suggestions: Sequence[Suggestion], rejections: Rejections | None, error: str = ""
    ) -> None:
        super().__init__()
        self.suggestions = list(suggestions)
        self.rejections = rejections
        self.error = error


class SuggestionHost(Protocol):
    """What suggestion mode needs of the reader screen (which it must not import)."""

    document: Document
    store: Store
    themes: list[Theme]
    annotations: list[Annotation]

    @property
    def screen(self) -> Screen[object]: ...

    @property
    def view(self) -> DocumentView: ...

    def update_status(self) -> None: ...

    def write(self, what: str, change: Callable[[], _T]) -> list[_T]: ...

    def reload(self, keep: str | None = None) -> None: ...


class SuggestionMode:
    """Suggestion mode for one reader screen."""

    def __init__(self, host: SuggestionHost) -> None:
        self.host = host
        self.on = False
        """Suggestion mode is on: open suggestions are marked, their keys apply."""
        self.computing = False
        self.state: SuggestionState | None = None
        """None until the worker has delivered."""

    # --- on, off, computed --------------------------------------------------------

    def toggle(self) -> None:
        self.on = not self.on
        if self.on and self.state is None and not self.computing:
            self.computing = True
            # Started after the frame that says "computing…": the worker shares the GIL.
            self.host.screen.call_after_refresh(self._compute)
        self.refresh()
        self.host.update_status()
        self.host.screen.refresh_bindings()

    def _compute(self) -> None:
        host = self.host
        document, store = host.document, host.store
        terms = {theme.key: theme.terms for theme in host.themes}

        def compute() -> None:
            # Off the UI thread: stemming every word of a big document takes seconds.
            try:
                found = suggest_document(document, Lexicon(terms))
                rejections = Rejections(store.root, store.annotator, read_only=store.read_only)
            except Exception as exc:  # reported, never swallowed: the mode just stays empty
                host.screen.post_message(SuggestionsReady([], None, f"{type(exc).__name__}: {exc}"))
                return
            host.screen.post_message(SuggestionsReady(found, rejections))

        host.screen.run_worker(
            compute, name="suggest", group="suggest", thread=True, exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    def ready(self, event: SuggestionsReady) -> None:
        """Take the worker's result (on the UI thread)."""
        self.computing = False
        if event.rejections is None:
            self.host.screen.notify(event.error, title="cannot suggest", severity="error")
            self.on = False
            self.host.screen.refresh_bindings()
        else:
            self.state = SuggestionState(self.host.document, event.suggestions, event.rejections)
            if event.rejections.problem:
                self.host.screen.notify(event.rejections.problem, severity="warning", timeout=10)
        self.refresh()
        self.host.update_status()

    def refresh(self) -> None:
        """Recompute what is open against the screen's annotations, and mark it."""
        if self.on and self.state is not None:
            self.state.update(self.host.annotations)
            self.host.view.set_suggestions(self.state.open)
        else:
            self.host.view.set_suggestions([])

    def status(self) -> list[str]:
        """Parts of the status line: the mode, its counts, the suggestion under the cursor."""
        if not self.on:
            return []
        if self.state is None:
            return ["suggestions: computing…"]
        counts = self.state.counts
        parts = [
            f"suggestions: {counts.open} open, {counts.accepted} accepted, "
            f"{counts.rejected} rejected"
        ]
        sugg = self.state.at(self.host.view.selection)
        if sugg is not None:
            labels = {theme.key: theme.label_en for theme in self.host.themes}
            why = "; ".join(
                f"{labels.get(key, key)} ({', '.join(sugg.terms.get(key, ()))})"
                for key in sugg.themes
            )
            parts.append(f"suggested: {why}")
        return parts

    # --- keys ---------------------------------------------------------------------

    def _state(self) -> SuggestionState | None:
        if self.state is None:
            self.host.screen.notify("suggestions are still being computed")
        return self.state

    def _under_cursor(self) -> tuple[SuggestionState, Suggestion] | None:
        state = self._state()
        if state is None:
            return None
        sugg = state.at(self.host.view.selection)
        if sugg is None:
            self.host.screen.notify("no open suggestion under the cursor (> for the next)")
            return None
        return state, sugg

    def accept(self) -> None:
        """Tag the suggestion's sentence with its themes (added to a tag already there)."""
        found = self._under_cursor()
        if found is None:
            return
        _, sugg = found
        host = self.host
        store, doc = host.store, host.document

        def change() -> Annotation:
            # Only this annotator's own tag is extended; another's is never changed.
            existing = store.find_span(doc.rel, sugg.start, sugg.end, store.annotator)
            if existing is None:
                return store.add(doc, sugg.start, sugg.end, list(sugg.themes))
            themes = [*existing.themes, *(t for t in sugg.themes if t not in existing.themes)]
            merged = existing.copy(themes=themes, updated=now_iso())
            store.put(merged)  # one undoable change, the annotation's id kept
            return merged

        done = host.write("accept the suggestion", change)
        if done:
            host.reload(keep=done[0].id)
            self._advance(sugg)

    def reject(self) -> None:
        """Drop the suggestion under the cursor, for this and later sessions."""
        found = self._under_cursor()
        if found is None:
            return
        state, sugg = found
        if self.host.write("reject the suggestion", lambda: state.reject(sugg)):
            self.refresh()
            self.host.update_status()
            self._advance(sugg)

    def _advance(self, done: Suggestion) -> None:
        """After accept or reject, on to the next open suggestion, if there is one."""
        if self.state is not None:
            target = self.state.step(Span(done.start, done.end), 1)
            if target is not None:
                self.go_to(target)

    def step(self, step: int) -> None:
        """To the next (``step > 0``) or previous open suggestion."""
        state = self._state()
        if state is None:
            return
        target = state.step(self.host.view.selection, step)
        if target is None:
            self.host.screen.notify("no more open suggestions this way")
            return
        self.go_to(target)

    def go_to(self, sugg: Suggestion) -> None:
        self.host.view.select(Span(sugg.start, sugg.end), center=True)
        self.host.update_status()
