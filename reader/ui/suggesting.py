"""Suggestion mode of the reader screen: its keys, its worker, accept and reject.

The screen owns the keys and delegates here; the state (what is open, accepted,
rejected) is pure, in :mod:`reader.ui.suggestions`. Suggestions are computed in a
worker thread, in two steps, and the text stays live meanwhile:

1. **at once** — the lexicon with what is already in memory: the light stemmer
   (and the lemma dictionary, once some earlier ``S`` has loaded it) and the model
   last learned for this store in this session;
2. **then** — the lemma dictionary is loaded (0.3–0.8 s, once per process), the
   store's examples are gathered and the model is reused or trained
   (:func:`reader.learn_store.learned_model`), and the suggestions are replaced.

Accepting goes through the store like a digit key (so ``u`` undoes it); rejecting
is kept in ``<store>/suggestions.json``. Each accept or reject schedules a new
learning step :data:`RELEARN_DELAY` seconds later (a burst of decisions is one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Protocol, TypeVar

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from reader.corpus import Document, Span
from reader.lemmas import load as load_lemmas
from reader.lemmas import loaded as loaded_lemmas
from reader.store import Annotation, Store, Theme
from reader.store.model import now_iso
from reader.suggest import Lexicon, Suggestion, suggest_document
from reader.ui.suggestions import Rejections, SuggestionState
from reader.ui.widgets.document_view import DocumentView

_T = TypeVar("_T")

#: Actions that only apply while suggestion mode is on (hidden from the footer otherwise).
MODE_ACTIONS = frozenset(
    {"accept_suggestion", "reject_suggestion", "suggestion", "suggestion_order"}
)
#: Seconds between S and the start of the worker (about the time the first frame takes).
START_DELAY = 0.05
#: Seconds after the last accept or reject before the model learns from them.
RELEARN_DELAY = 2.0
#: The names of those timers (a bench timing keys can tell them from the keys' own work).
START_TIMER = "suggestions.start"
RELEARN_TIMER = "suggestions.relearn"


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
        Binding(
            "o",
            "suggestion_order",
            "Order",
            id="reader.suggestion_order",
            tooltip="> and < in reading order, or the most uncertain suggestion first",
        ),
    ]


class SuggestionsReady(Message):
    """The worker has the document's suggestions (or a one-line reason it failed)."""

    def __init__(
        self,
        suggestions: Sequence[Suggestion] | None,
        rejections: Rejections | None,
        error: str = "",
        *,
        final: bool = True,
        generation: int = 0,
    ) -> None:
        super().__init__()
        self.generation = generation
        """Which computation this is: a result older than the latest one is dropped."""
        self.suggestions = None if suggestions is None else list(suggestions)
        """None when this step failed (``error`` says why)."""
        self.rejections = rejections
        self.error = error
        self.final = final
        """False for the first, quick step: a learning step follows."""


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
        self.learning = False
        """A learning step is running or scheduled."""
        self.uncertain_first = False
        """``>`` and ``<`` go by uncertainty instead of reading order."""
        self.state: SuggestionState | None = None
        """None until the worker has delivered."""
        self.rejections: Rejections | None = None
        self._relearn: Timer | None = None
        self._generation = 0

    # --- on, off, computed --------------------------------------------------------

    def toggle(self) -> None:
        self.on = not self.on
        if self.on and self.state is None and not self.computing:
            self.computing = self.learning = True
            # Started once the frame that says "computing…" is out: the worker shares the
            # GIL, and started after the refresh (not the frame) it held that frame back
            # (S → first frame 137–308 ms against 53–126 ms this way, seed, load 3.5).
            self.host.screen.set_timer(START_DELAY, partial(self._compute, True), name=START_TIMER)
        self.refresh()
        self.host.update_status()
        self.host.screen.refresh_bindings()

    def _compute(self, first: bool) -> None:
        host = self.host
        document, store = host.document, host.store
        terms = {theme.key: theme.terms for theme in host.themes}
        self._generation += 1
        generation = self._generation

        def post(
            found: Sequence[Suggestion] | None,
            rejections: Rejections | None,
            error: str = "",
            final: bool = True,
        ) -> None:
            host.screen.post_message(
                SuggestionsReady(found, rejections, error, final=final, generation=generation)
            )

        def compute() -> None:
            # Off the UI thread: stemming a big document, the dictionary, training.
            from reader.learn_store import learned_model, remembered

            if first:
                try:
                    model = remembered(store.root)
                    found = suggest_document(document, Lexicon(terms, loaded_lemmas()), model=model)
                    rejections = Rejections(store.root, store.annotator, read_only=store.read_only)
                except Exception as exc:  # reported, never swallowed: the mode stays empty
                    post(None, None, f"{type(exc).__name__}: {exc}")
                    return
                post(found, rejections, final=False)  # ready() starts the learning step
                return
            try:
                lexicon = Lexicon(terms, load_lemmas())
                model = learned_model(store.root, lexicon, [document], write=not store.read_only)
                found = suggest_document(document, lexicon, model=model)
            except Exception as exc:  # the quick suggestions stay; learning is reported
                post(None, None, f"{type(exc).__name__}: {exc}")
                return
            post(found, None)

        host.screen.run_worker(
            compute, name="suggest", group="suggest", thread=True, exit_on_error=False
        )

    def decided(self) -> None:
        """An accept or reject: learn from it once the analyst pauses."""
        if self._relearn is not None:
            self._relearn.stop()
        self.learning = True
        self._relearn = self.host.screen.set_timer(
            RELEARN_DELAY, self._learn_again, name=RELEARN_TIMER
        )
        self.host.update_status()

    def _learn_again(self) -> None:
        self._relearn = None
        self._compute(False)

    def ready(self, event: SuggestionsReady) -> None:
        """Take the worker's result (on the UI thread)."""
        screen = self.host.screen
        if event.generation != self._generation:
            return  # a later computation has started: its result will come
        self.computing = False
        if event.final and self._relearn is None:
            self.learning = False
        if event.rejections is not None and self.rejections is None:
            self.rejections = event.rejections
            if event.rejections.problem:
                screen.notify(event.rejections.problem, severity="warning", timeout=10)
        if event.suggestions is None:
            if self.state is None:
                screen.notify(event.error, title="cannot suggest", severity="error")
                self.on = False
                screen.refresh_bindings()
            else:
                screen.notify(event.error, title="cannot learn", severity="warning")
        elif self.rejections is not None:
            self.state = SuggestionState(self.host.document, event.suggestions, self.rejections)
        if not event.final and event.suggestions is not None:
            # The learning step starts once the quick suggestions are on screen: started at
            # once, it would hold the interpreter while they are being drawn.
            screen.call_after_refresh(self._compute, False)
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
            f"{counts.rejected} rejected" + (" (learning…)" if self.learning else "")
        ]
        if self.uncertain_first:
            parts.append("> most uncertain first")
        sugg = self.state.at(self.host.view.selection)
        if sugg is not None:
            labels = {theme.key: theme.label_en for theme in self.host.themes}
            why = "; ".join(
                f"{labels.get(key, key)} {sugg.scores.get(key, 0):.2f}"
                + (f" ({', '.join(sugg.terms[key])})" if sugg.terms.get(key) else "")
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
            self.decided()

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
            self.decided()

    def _advance(self, done: Suggestion) -> None:
        """After accept or reject, on to the next open suggestion, if there is one."""
        if self.state is not None:
            here = Span(done.start, done.end)
            target = self.state.step(here, 1, uncertain=self.uncertain_first)
            if target is not None:
                self.go_to(target)

    def step(self, step: int) -> None:
        """To the next (``step > 0``) or previous open suggestion."""
        state = self._state()
        if state is None:
            return
        target = state.step(self.host.view.selection, step, uncertain=self.uncertain_first)
        if target is None:
            self.host.screen.notify("no more open suggestions this way")
            return
        self.go_to(target)

    def toggle_order(self) -> None:
        """``>``/``<`` in reading order, or the most uncertain suggestion first."""
        self.uncertain_first = not self.uncertain_first
        self.host.screen.notify(
            "> takes the most uncertain suggestion first"
            if self.uncertain_first
            else "> follows the reading order"
        )
        self.host.update_status()

    def go_to(self, sugg: Suggestion) -> None:
        self.host.view.select(Span(sugg.start, sugg.end), center=True)
        self.host.update_status()
