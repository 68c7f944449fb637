"""The reader: one document, a passage cursor, keys that tag, a panel of annotations.

The screen is the only part that talks to the store: widgets post what the
user did, the screen records it and hands the widgets fresh annotations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from reader.arabic import find_all
from reader.corpus import Document, Span
from reader.errors import ReaderError, StoreError
from reader.layout import BidiMode
from reader.reading import ReadingLog, State
from reader.store import Annotation, Store
from reader.ui.filters import Keep, ThemeFilter, both, first_from, kept, step_from
from reader.ui.ownership import Ownership
from reader.ui.reader_keys import FOOTER_PRIORITY, reader_bindings
from reader.ui.requests import Ask
from reader.ui.suggesting import MODE_ACTIONS, SuggestionMode, SuggestionsReady
from reader.ui.theme_keys import digit_hint
from reader.ui.visual import Part
from reader.ui.widgets.annotation_panel import AnnotationPanel
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.legend import Legend
from reader.ui.widgets.status_line import StatusLine
from reader.ui.widgets.visual_label import VisualLabel
from reader.wording import plural

_T = TypeVar("_T")
#: Below this many columns the annotation panel is hidden until tab shows it.
NARROW = 100

#: Seconds the cursor rests before its position is saved (leaving saves it at once).
SAVE_AFTER = 2.0
#: That timer's name (a bench timing keys can tell it from the keys' own work).
SAVE_TIMER = "reading.save"

#: Documents up to this many characters are searched at once; longer ones in a worker.
SEARCH_INLINE_CHARS = 1_000_000


class ReaderScreen(Screen[None]):
    """Read one document and tag its passages.

    | Key | Action |
    | --- | --- |
    | 1–9 | toggle the theme with that digit on the selection |
    | m / d | note on / delete your annotation under the cursor |
    | E | edit another annotator's annotation (asks first; the change is recorded) |
    | w / f | show everyone's annotations, yours or one annotator's / one theme's |
    | C / A | curate two annotators' tags side by side / their agreement |
    | u / ctrl+r | undo / redo |
    | ] / [ | next / previous annotation |
    | } / { , t | next / previous annotation of the followed theme; t picks the theme |
    | / , n / N | search; next / previous hit |
    | S , a / r , > / < , o | suggestions; accept / reject; next / previous; > by uncertainty |
    | tab / escape | to the annotation panel / back to the text |
    | b | scraper boilerplate shown as text / dimmed and stepped over |
    | q | back to the library |
    """

    DEFAULT_CSS = """
    ReaderScreen > #reader-title { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    ReaderScreen > Horizontal { height: 1fr; }
    ReaderScreen > #reader-status { height: 1; background: $panel; padding: 0 1; }
    ReaderScreen.-narrow AnnotationPanel { display: none; width: 1fr; }
    ReaderScreen.-narrow.-panel AnnotationPanel { display: block; }
    ReaderScreen.-narrow.-panel DocumentView { display: none; }
    """

    FOOTER_PRIORITY: ClassVar[tuple[str, ...]] = FOOTER_PRIORITY
    """The keys the footer shows first, when not all fit (see KeyFooter)."""
    BINDINGS: ClassVar[list[BindingType]] = reader_bindings()

    def __init__(
        self,
        document: Document,
        store: Store,
        mode: BidiMode = BidiMode.APP,
        *,
        standalone: bool = False,
        at: Span | None = None,
        query: str = "",
        theme: str | None = None,
        reading: ReadingLog | None = None,
    ) -> None:
        super().__init__()
        self.reading = reading
        """Where the analyst stopped in each document: this one reopens there."""
        self._save_timer: Timer | None = None
        self.panel_open = False
        """tab showed the panel (escape, enter not yet back): on a narrow screen, instead
        of the text."""
        self.start_at = at
        """Where the cursor starts (the sentence holding it), else the first sentence."""
        self.start_query = query
        """A search to run at once (the concordance opens a document on one of its hits)."""
        self.document = document
        self.store = store
        self.mode = mode
        self.standalone = standalone
        """Opened by ``reader open``: ``q`` quits instead of going back to the library."""
        self.themes = list(store.themes)
        self.annotations: list[Annotation] = store.sync(document)
        self.theme_filter = ThemeFilter()
        """``f``: the theme the panel and the view show (with ``w``'s annotator filter)."""
        if not store.is_writable(document.rel):  # a damaged store file: nothing written,
            self.reading = None  # the reading position included
        self.hits: list[Span] = []
        self.hit_index = -1
        keys = [t.key for t in self.themes]
        self.followed = theme if theme in keys else (keys[0] if keys else "")
        """The theme ``}``/``{`` follow (marked in the legend)."""
        self.suggesting = SuggestionMode(self)
        self.ownership = Ownership(self)

    def compose(self) -> ComposeResult:
        doc = self.document
        heading = doc.title + (f"  ·  {doc.date.isoformat()}" if doc.date else "")
        yield VisualLabel(heading, self.mode, id="reader-title")
        with Horizontal():
            yield DocumentView(doc, self.themes, self.shown, self.mode, id="document")
            panel = AnnotationPanel(self.themes, self.annotations, self.mode, id="panel")
            self.ownership.setup(panel)
            yield panel
        yield StatusLine(self.mode, id="reader-status")
        legend = Legend(self.themes, self.mode)
        legend.focused_theme = self.followed
        yield legend
        yield KeyFooter()

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    @property
    def panel(self) -> AnnotationPanel:
        return self.query_one(AnnotationPanel)

    def on_mount(self) -> None:
        self.view.focus()
        # The status line follows the cursor in the frame that shows the move.
        self.view.on_select = self._selected
        resume = None
        if self.start_at is None and self.reading is not None:  # where it was left
            resume = self.reading.offset(self.document.rel, len(self.document.text))
        start = self.start_at.start if self.start_at is not None else resume
        if start is not None:
            self.view.select(self.view.navigator.sentence_at(start), center=True)
        if self.reading is not None:  # opened: in progress from now on (unless done)
            self.reading.seen(self.document.rel, self.view.selection.start)
            self._save_timer = self.set_timer(SAVE_AFTER, self.save_reading)
        if self.start_query.strip():
            self.search(self.start_query)
            at = self.start_at.start if self.start_at is not None else -1
            self.hit_index = next(
                (i for i, hit in enumerate(self.hits) if hit.start == at), self.hit_index
            )
        self.update_status()

    def on_resize(self, event: events.Resize) -> None:
        # Below NARROW columns the panel would leave the text too narrow to read: it is
        # hidden, and tab shows it instead of the text (escape or enter back).
        self.set_class(event.size.width < NARROW, "-narrow")
        self._show_panel(self.panel_open)

    # --- state ------------------------------------------------------------------

    def _selected(self, span: Span) -> None:
        self.update_status()
        # A tag here would scroll the panel to the entries around it: drawn while idle.
        self.panel.warm(span.start)
        if self.reading is not None:
            self.reading.seen(self.document.rel, span.start)
            # Saved once the cursor rests, not at every key (a file write each).
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(SAVE_AFTER, self.save_reading, name=SAVE_TIMER)

    def save_reading(self) -> None:
        """Write the reading position now (leaving, or the cursor has rested)."""
        if self.reading is not None and not self.reading.save() and self.reading.error:
            self.notify(self.reading.error, title="reading position", severity="warning")

    def on_unmount(self) -> None:
        self.save_reading()

    def reload(self, keep: str | None = None) -> None:
        """Read this document's annotations again and redraw what shows them."""
        self.annotations = self.store.annotations(self.document.rel)
        self.view.set_annotations(self.shown)
        self.suggesting.refresh()
        self.update_status()
        # A diff: only the entries that changed are moved and drawn again, in this frame.
        self.panel.show(self.annotations, keep)

    def under_cursor(self) -> Annotation | None:
        """The annotation on the selection's exact span, else the first holding its start;
        yours before another annotator's."""
        if self.focused is self.panel and self.panel.current is not None:
            return self.panel.current
        # The view keeps the tags by paragraph: one paragraph's are looked at, not all of them.
        return self.view.marks.tag_under(self.view.selection, self.store.annotator)

    def update_status(self) -> None:
        sel = self.view.selection
        paragraph = self.document.paragraph_at(sel.start)
        parts: list[Part] = [f"paragraph {paragraph.index + 1}/{self.document.paragraph_count}"]
        ann = self.under_cursor()
        parts.extend(self.ownership.status(ann))
        if self.theme_filter.key is not None:
            parts.append(f"only {self.theme_filter.label(self.themes)} (f)")
        if ann is not None and ann.note:
            parts.append(("note:", ann.note))  # its own paragraph: its own direction
        parts.extend(self.suggesting.status())
        if self.hits:
            parts.append(f"hit {self.hit_index + 1}/{len(self.hits)}")
        if self.view.boilerplate_shown:
            parts.append("boilerplate shown (b)")
        if self.store.read_only:
            parts.append("store read-only")
        if self.reading is not None and self.reading.state(self.document.rel) is State.DONE:
            parts.append("done")
        self.query_one("#reader-status", StatusLine).show(parts)

    def write(self, what: str, change: Callable[[], _T]) -> list[_T]:
        """Run one store change: ``[result]``, or ``[]`` when the store refused it.

        A refusal (read-only store or folder, damaged file, disk full) becomes a
        notification, never a crash: the store says it in a StoreError; an OSError it
        did not foresee is said the same way, in one line, and the app goes on.
        """
        try:
            return [change()]
        except ReaderError as exc:
            self.notify(str(exc), title=f"cannot {what}", severity="error")
        except OSError as exc:
            error = StoreError(exc.strerror or str(exc), exc.filename or self.store.root)
            self.notify(str(error), title=f"cannot {what}", severity="error")
        return []

    # --- tagging ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_theme":
            return any(t.digit == parameters[0] for t in self.themes)
        if action in MODE_ACTIONS:
            return self.suggesting.on
        return True

    def action_toggle_theme(self, digit: str) -> None:
        theme = next((t for t in self.themes if t.digit == digit), None)
        sel = self.view.selection
        if theme is None or sel.end <= sel.start:
            return
        done = self.write(
            "tag", lambda: self.store.toggle_theme(self.document, sel.start, sel.end, theme.key)
        )
        if done:
            self.reload(keep=done[0].id if done[0] else None)

    def action_note(self) -> None:
        ann = self.under_cursor()
        if ann is None:
            hint = digit_hint(self.themes)
            self.notify(f"no annotation under the cursor: tag the passage first ({hint})")
            return
        if self.ownership.refuse_others(ann, "change the note of"):
            return

        def save(note: str | None) -> None:
            if note is not None and self.write(
                "save the note", lambda: self.store.set_note(ann.id, note.strip())
            ):
                self.reload(keep=ann.id)

        self.post_message(Ask("Note (memo) on this passage", save, ann.note, ann.quote))

    def action_delete(self) -> None:
        ann = self.under_cursor()
        if ann is None:
            self.notify("no annotation under the cursor")
            return
        if self.ownership.refuse_others(ann, "delete"):
            return
        if self.write("delete", lambda: self.store.delete(ann.id)):
            self.reload()
            self.notify("annotation deleted (u to undo)")

    def action_copy(self) -> None:
        """The passage's logical text to the clipboard, through the terminal (OSC 52).

        Copying the screen with the mouse gives what is drawn: presentation forms in visual
        order, no longer the words. In the panel: the highlighted annotation's quote.
        """
        if self.focused is self.panel and self.panel.current is not None:
            text = self.panel.current.quote
        else:
            sel = self.view.selection
            text = self.document.text[sel.start : sel.end]
        if not text:
            self.notify("nothing to copy: the cursor holds no text")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"copied {plural(len(text), 'character')} to the clipboard")

    def action_history(self, which: str) -> None:
        """Undo (``which == "undo"``) or redo the last change."""
        step = self.store.undo if which == "undo" else self.store.redo
        done = self.write(which, step)
        if done:
            self.reload()
            if not done[0]:
                self.notify(f"nothing to {which}")

    def action_edit_other(self) -> None:
        self.ownership.edit_other()

    @property
    def keep(self) -> Keep | None:
        """What the panel and the view show: the annotator (``w``) and theme (``f``) filters."""
        return both(self.ownership.filter.keep, self.theme_filter.keep)

    @property
    def shown(self) -> list[Annotation]:
        """The annotations the filters keep, in reading order (all of them unfiltered)."""
        return kept(self.annotations, self.keep)

    def apply_filters(self) -> None:
        """Show what the filters keep, in the panel and in the view."""
        self.panel.set_filter(self.keep)
        self.view.set_annotations(self.shown)
        self.update_status()

    def action_theme_filter(self) -> None:
        """``f``: every theme → one theme at a time → every theme again."""
        self.theme_filter.cycle(self.themes)
        self.apply_filters()
        self.notify(f"showing {self.theme_filter.label(self.themes)}")

    def action_whose(self) -> None:
        self.ownership.cycle_filter()

    def action_curate(self) -> None:
        self.ownership.curate()

    # --- moving between annotations and hits -----------------------------------------

    def _jump(self, wanted: Callable[[Annotation], bool], step: int) -> None:
        """To the next (``step > 0``) or previous annotation in reading order that is wanted."""
        sel = self.view.selection
        target = step_from(self.shown, (sel.start, sel.end), step, wanted)  # what is shown
        if target is None:
            self.notify("no more annotations this way")
            return
        self.go_to(target)

    def go_to(self, ann: Annotation) -> None:
        self.view.select(Span(ann.start, ann.end), center=True)
        self.update_status()

    def action_annotation(self, step: int) -> None:
        self._jump(lambda a: True, step)

    def action_theme_annotation(self, step: int) -> None:
        self._jump(lambda a: self.followed in a.themes, step)

    def action_follow_theme(self) -> None:
        keys = [t.key for t in self.themes]
        if not keys:
            return
        index = keys.index(self.followed) if self.followed in keys else -1
        self.followed = keys[(index + 1) % len(keys)]
        self.query_one(Legend).focused_theme = self.followed

    def action_search(self) -> None:
        self.post_message(Ask("Search", self.search))

    def search(self, query: str | None) -> None:
        """Find ``query`` (folded) and go to the first hit at or after the cursor.

        Folding a long document costs seconds the first time (3.5 s at 20 M
        characters), so beyond :data:`SEARCH_INLINE_CHARS` it runs in a worker.
        """
        if query is None:
            return
        if not query.strip():
            self._searched(query, [])
        elif len(self.document.text) <= SEARCH_INLINE_CHARS:
            self._searched(query, find_all(self.document.text, query))
        else:
            self.notify(f"searching: {query}")
            self._search_in_worker(query)

    @work(thread=True, exclusive=True, group="search")
    def _search_in_worker(self, query: str) -> None:
        hits = find_all(self.document.text, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._searched, query, hits)

    def _searched(self, query: str, hits: list[Span]) -> None:
        self.hits = hits
        self.view.set_hits(self.hits)
        if not self.hits:
            self.hit_index = -1
            self.notify(f"not found: {query}" if query.strip() else "search cleared")
            self.update_status()
            return
        start = self.view.selection.start
        self.hit_index = next((i for i, h in enumerate(self.hits) if h.start >= start), 0)
        self._show_hit()

    def action_hit(self, step: int) -> None:
        if not self.hits:
            self.notify("no search: press / first")
            return
        self.hit_index = (self.hit_index + step) % len(self.hits)
        self._show_hit()

    def _show_hit(self) -> None:
        hit = self.hits[self.hit_index]
        self.view.select(self.view.navigator.sentence_at(hit.start), center=True)
        self.update_status()

    # --- suggestions (reader/ui/suggesting.py) ----------------------------------------

    def action_suggestions(self) -> None:
        self.suggesting.toggle()

    def action_accept_suggestion(self) -> None:
        self.suggesting.accept()

    def action_reject_suggestion(self) -> None:
        self.suggesting.reject()

    def action_suggestion(self, step: int) -> None:
        self.suggesting.step(step)

    def action_suggestion_order(self) -> None:
        self.suggesting.toggle_order()

    @on(SuggestionsReady)
    def _suggested(self, event: SuggestionsReady) -> None:
        self.suggesting.ready(event)

    # --- focus and screens ----------------------------------------------------------

    def action_panel(self) -> None:
        # Open the panel on the annotation under the cursor, else the next one in reading order.
        ann = self.under_cursor() or first_from(self.shown, self.view.selection.start)
        if ann is not None:
            self.panel.highlight(ann.id)
        self._show_panel(True)
        self.panel.focus()

    def action_text(self) -> None:
        if self.focused is self.view and self.hits:
            self.hits, self.hit_index = [], -1
            self.view.set_hits([])
            self.update_status()
        self._show_panel(False)
        self.view.focus()

    def _show_panel(self, shown: bool) -> None:
        """On a narrow screen, the panel (``shown``) or the text: the ``-panel`` class.

        Set only while ``-narrow``: it changes nothing on a wide screen, and a class
        change on the screen restyles every node (Textual), a frame's worth of work on
        each ``tab`` and ``escape``."""
        self.panel_open = shown
        self.set_class(shown and self.has_class("-narrow"), "-panel")

    @on(AnnotationPanel.Jump)
    def _jump_to(self, event: AnnotationPanel.Jump) -> None:
        if event.annotation.status == "orphaned":
            self.notify("orphaned: its text is no longer in the document")
            return
        self.go_to(event.annotation)
        self._show_panel(False)
        self.view.focus()

    def action_boilerplate(self) -> None:
        """Scraper boilerplate shown as text, or dimmed and stepped over (the default)."""
        view = self.view
        view.show_boilerplate(not view.boilerplate_shown)
        self.update_status()
        self.notify("boilerplate shown as text" if view.boilerplate_shown else "boilerplate dimmed")

    def action_done(self) -> None:
        """Mark the document done (or in progress again), as the library shows it."""
        if self.reading is None:
            return
        done = self.reading.toggle_done(self.document.rel, self.view.selection.start)
        self.save_reading()
        self.update_status()
        self.notify("document done" if done else "document in progress again")

    def action_back(self) -> None:
        self.save_reading()
        if self.standalone:
            self.app.exit()
        else:
            self.dismiss(None)
