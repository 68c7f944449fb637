"""The library: every document with its title, date, size and tag counts per theme.

The list shows every path at once; titles, dates and problems come from the
library index (:mod:`reader.index`), cached ones first, then in batches read by
a worker thread, so ten thousand files never freeze the screen. Files that
cannot be read are listed with their one-line reason instead of being hidden.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.arabic import find_all
from reader.corpus import Document, Entry, Problem
from reader.errors import ReaderError
from reader.index import Batch, IndexRecord, LibraryIndex
from reader.layout import BidiMode
from reader.reading import ReadingLog, State
from reader.store import Store
from reader.ui.library_rows import LibraryItem, cells, plan
from reader.ui.requests import OpenDocument, StoreProblems
from reader.ui.toasts import hide_idle_toasts
from reader.ui.visual import Part
from reader.ui.widgets.bidi_input import BidiInput
from reader.ui.widgets.document_table import Column, DocumentTable
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.legend import Legend
from reader.ui.widgets.status_line import StatusLine
from reader.wording import plural

SORTS = ("name", "date", "tags")
#: Seconds after mounting during which the screen lays out without waiting (see on_idle).
SETTLING = 0.3


class LibraryScreen(Screen[None]):
    """Choose a document to read.

    | Key | Action |
    | --- | --- |
    | enter | open the document |
    | o | sort by name, date, or number of tags |
    | / | filter by title or file name |
    | escape | back from the filter to the list |
    | e | export annotations |
    | s | statistics |
    """

    DEFAULT_CSS = """
    LibraryScreen > #library-header { height: 1; background: $panel; padding: 0 1; }
    LibraryScreen > BidiInput { display: none; }
    LibraryScreen > BidiInput.-active { display: block; }
    LibraryScreen > DocumentTable { height: 1fr; }
    LibraryScreen > #library-empty { height: 1fr; padding: 1 2; display: none; }
    LibraryScreen.-empty > #library-empty { display: block; }
    LibraryScreen.-empty > DocumentTable { display: none; }
    """

    EMPTY = (
        "No documents here.\n\n"
        "Start reader with the files or folders to read: reader PATH… "
        "(without a path it opens the seeds/ folder of the current directory).\n"
        "Text files (.txt, .text, .md or no suffix) in UTF-8, UTF-16 or an Arabic code page.\n\n"
        "q quits."
    )
    """What the library says when it has nothing to list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "cycle_sort", "Sort", id="library.sort", tooltip="Sort by name, date or tags"),
        Binding(
            "x",
            "toggle_done",
            "Done",
            id="library.done",
            tooltip="Mark the document done (again: in progress)",
        ),
        Binding(
            "slash", "filter", "Filter", id="library.filter", tooltip="Filter by title or file"
        ),
        Binding(
            "escape",
            "close_filter",
            "List",
            id="library.list",
            show=False,
            tooltip="Back from the filter to the list",
        ),
        Binding(
            "c",
            "app.concordance",
            "Concordance",
            id="library.concordance",
            tooltip="Search every document: each hit in its context",
        ),
        Binding("e", "app.export", "Export", id="library.export", tooltip="Export annotations"),
        Binding(
            "s", "app.stats", "Stats", id="library.stats", tooltip="Documents × themes statistics"
        ),
        Binding(
            "A",
            "app.agreement",
            "Agreement",
            id="library.agreement",
            tooltip="Agreement between the annotators (α, κ, F1, u-α)",
        ),
        Binding("q", "app.quit", "Quit", id="library.quit", tooltip="Quit the app"),
    ]

    AUTO_FOCUS = "DocumentTable"

    FOOTER_PRIORITY: ClassVar[tuple[str, ...]] = (
        "library.open",
        "library.filter",
        "library.sort",
        "library.concordance",
        "library.done",
        "library.export",
        "library.stats",
        "library.quit",
    )
    """The keys the footer shows first, when not all fit (see KeyFooter)."""

    sort_by: reactive[str] = reactive("name")
    """Current order of the list: one of :data:`SORTS`."""

    def __init__(
        self,
        entries: list[Entry],
        problems: list[Problem],
        store: Store,
        index: LibraryIndex,
        mode: BidiMode = BidiMode.APP,
        reading: ReadingLog | None = None,
    ) -> None:
        super().__init__()
        self.reading = reading
        """Where the analyst is in each document (untouched, in progress, done)."""
        self.entries = entries
        self.store = store
        self.mode = mode
        self.index = index
        self.items: list[LibraryItem] = [
            LibraryItem(entry.rel, str(entry.path), entry) for entry in entries
        ]
        self._by_rel = {item.rel: item for item in self.items}
        self.items += [LibraryItem(str(p.path), str(p.path), problem=p.reason) for p in problems]
        self._item_of = {item.rel: item for item in self.items}
        """Every row by its key, unreadable files included."""
        self.filter_text = ""
        self.loaded = False
        self._order_stale = False
        self._columns: list[Column] = []
        """The columns of the last build (they depend on the width)."""
        self._shown = False
        """The screen has been shown once (its next resume is a return to it)."""
        self._settling_until = 0.0
        """Until then (monotonic), the screen lays out at once when asked (see on_idle)."""

    def compose(self) -> ComposeResult:
        yield StatusLine(self.mode, id="library-header")
        yield BidiInput(placeholder="filter: title or file", mode=self.mode, id="library-filter")
        yield DocumentTable()
        yield Static(self.EMPTY, id="library-empty")
        yield Legend(list(self.store.themes), self.mode)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._settling_until = time.monotonic() + SETTLING
        hide_idle_toasts(self)
        self._show_cached()
        self.load_documents()

    def on_idle(self, event: events.Idle) -> None:
        # The widgets' layout requests from their own mounting reach the screen after its
        # first layout, and Textual lays out again on its next update tick (1/60 s later):
        # the library would be complete ~20 ms after its first frame. At start-up, lay out
        # at once (Textual's own handler runs next and finds nothing left to do); later
        # requests keep Textual's batching.
        if (
            self._layout_required
            and time.monotonic() < self._settling_until
            and self.is_current
            and not self.app._batch_count
        ):
            self._on_timer_update()

    def _show_cached(self) -> None:
        """Show what the index already knows in the first frame, not one batch later.

        No stat here: the scan that follows corrects any file changed since it was cached.
        """
        known = False
        for item in self._by_rel.values():
            record = self.index.record(item.path)
            if record is not None:
                known = self._take(item, record) or known
        if known:
            self.loaded = True
            self.refresh_counts()

    @staticmethod
    def _take(item: LibraryItem, record: IndexRecord) -> bool:
        """Put ``record`` in ``item``; whether anything shown changed."""
        shown = (record.title, record.day, record.size, record.problem, record.warnings)
        current = (item.title, item.date, item.size, item.problem, item.warnings)
        if item.indexed and shown == current:
            return False
        item.title, item.date, item.size, item.problem, item.warnings = shown
        item.indexed = True
        return True

    @work(thread=True, exclusive=True, group="library-load")
    def load_documents(self) -> None:
        """Fill titles, dates and problems from the index, cached ones first, in batches."""
        worker = get_current_worker()
        self.index.scan(
            self.entries,
            on_update=lambda batch: self.app.call_from_thread(self.show_records, batch),
            should_stop=lambda: worker.is_cancelled,
        )

    def show_records(self, batch: Batch) -> None:
        changed: list[LibraryItem] = []
        for entry, record in batch:
            item = self._by_rel.get(entry.rel)
            if item is not None and self._take(item, record):
                changed.append(item)
        if not changed and self.loaded:  # the cached records shown at mount, confirmed
            return
        # Rebuilding the table costs ~1 s per 10,000 rows: once for the first batch
        # (every cached record on a warm start), then only the rows a batch changed;
        # the order (date sort, unreadable files last) is settled once the scan ends.
        if not self.loaded or len(changed) * 4 > len(self.items):
            self.loaded = True
            self.refresh_counts()
        else:
            self._order_stale = True
            self._update_rows(changed)

    def _update_rows(self, items: list[LibraryItem]) -> None:
        self.query_one(DocumentTable).refresh_rows(item.rel for item in items)

    @on(Worker.StateChanged)
    def _worker_done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "library-load" and event.state == WorkerState.SUCCESS:
            if not self.loaded:  # nothing cached, nothing read: no documents at all
                self.loaded = True
                self.refresh_counts()
            if self._order_stale:
                self._order_stale = False
                self.rebuild()
            return
        if worker.group != "library-open":
            return
        if event.state == WorkerState.SUCCESS and isinstance(worker.result, Document):
            self._show_document(worker.result)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, ReaderError) else repr(error)
            self.notify(message, title="cannot open", severity="error")

    def on_screen_resume(self) -> None:
        # Back from the reader (tags may have changed); the first resume is the first show,
        # counted already by the first build.
        if self.loaded and self._shown:
            self.refresh_counts()
        self._shown = True

    def refresh_counts(self) -> None:
        """Each document's tags per theme (the store may have changed): at once where the
        store knows them without reading a file, the others by a worker, shown when counted."""
        rels = [item.rel for item in self.items if item.entry is not None]
        known, unknown = self.store.known_counts(rels)
        for item in self.items:
            counted = known.get(item.rel)
            if counted is not None:
                item.counts = counted
        self.rebuild()
        if unknown:
            self.count_tags(unknown)

    @work(thread=True, exclusive=True, group="library-counts")
    def count_tags(self, rels: list[str]) -> None:
        """Read the annotation files the store has no counts of (one document at a time)."""
        worker = get_current_worker()
        found: dict[str, Counter[str]] = {}
        for rel in rels:
            if worker.is_cancelled:
                break
            try:
                found[rel] = self.store.count_and_release(rel)
            except ReaderError:
                continue  # unreadable: the store's problems say why
        self.store.save_cache()
        self.app.call_from_thread(self._counted, found)

    def _counted(self, found: dict[str, Counter[str]]) -> None:
        for item in self.items:
            if item.rel in found:
                item.counts = found[item.rel]
        self.rebuild()
        self.post_message(StoreProblems())  # damaged files found while counting

    def on_resize(self) -> None:
        # The first resize usually follows the first build at the same width: nothing to do.
        if self.loaded and plan(self.size.width, list(self.store.themes)) != self._columns:
            self.rebuild()

    def watch_sort_by(self, old: str, new: str) -> None:
        if self.loaded and old != new:  # not when the reactive is first read
            self.rebuild()

    def visible_items(self) -> list[LibraryItem]:
        query = self.filter_text.strip()
        items = [
            item
            for item in self.items
            if not query or query.lower() in item.rel.lower() or find_all(item.title, query)
        ]
        if self.sort_by == "date":
            items.sort(key=lambda i: (i.date is None, -(i.date.toordinal() if i.date else 0)))
        elif self.sort_by == "tags":
            items.sort(key=lambda i: -i.total)
        else:
            items.sort(key=lambda i: i.rel)
        # Unreadable files stay at the end whatever the order: they are not documents.
        return [i for i in items if not i.problem] + [i for i in items if i.problem]

    def rebuild(self) -> None:
        table = self.query_one(DocumentTable)
        themes = list(self.store.themes)
        self._columns = plan(self.size.width, themes)
        # Cells are made when a row is first drawn: only a screenful of titles is laid out.
        items = self._item_of
        keys = [item.rel for item in self.visible_items()]
        table.set_rows(self._columns, keys, lambda key: self._cells(items[key]))
        self.set_class(not self.items, "-empty")
        shown = table.row_count
        readable = sum(1 for item in self.items if not item.problem)
        unreadable = len(self.items) - readable
        parts: list[Part]
        if self.filter_text:
            shown_readable = sum(1 for key in table.row_keys if not items[key].problem)
            parts = [f"{shown_readable} of {plural(readable, 'document')} shown"]
            if unreadable:
                parts.append(f"{shown - shown_readable} of {unreadable} unreadable")
            parts.append(("filter:", self.filter_text))  # Arabic: a paragraph of its own
        else:
            parts = [plural(readable, "document")]
            if unreadable:
                parts.append(f"{unreadable} unreadable")
        if self.reading is not None:
            states = Counter(self.reading.state(item.rel) for item in self.items if item.entry)
            said = [f"{states[s]} {s}" for s in (State.DONE, State.IN_PROGRESS) if states[s]]
            if said:
                parts.append(", ".join(said))
        parts.append(f"sorted by {self.sort_by}")
        self.query_one("#library-header", StatusLine).show(parts)

    def _cells(self, item: LibraryItem) -> list[Text]:
        reading = self.reading
        state = reading.state(item.rel) if reading is not None else None
        return cells(item, self._columns, list(self.store.themes), state, self.mode)

    # --- actions ------------------------------------------------------------

    def action_toggle_done(self) -> None:
        table = self.query_one(DocumentTable)
        if self.reading is None or not table.row_count:
            return
        item = self._item_of[table.row_keys[table.cursor_row]]
        if item.entry is None or item.problem:
            return
        done = self.reading.toggle_done(item.rel)
        self.reading.save()
        table.refresh_rows([item.rel])
        self.rebuild()  # the header's counts
        self.notify(f"{item.rel}: {'done' if done else 'in progress'}")

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]

    def action_filter(self) -> None:
        box = self.query_one(BidiInput)
        box.add_class("-active")
        box.focus()

    def action_close_filter(self) -> None:
        """From the filter box back to the list, the box hidden and the filter kept; in the
        list, a second escape clears the filter."""
        box = self.query_one(BidiInput)
        if box.has_class("-active"):
            box.remove_class("-active")
        elif box.value:
            box.value = ""  # Input.Changed rebuilds the list unfiltered
        self.query_one(DocumentTable).focus()

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        if self.loaded:
            self.rebuild()

    @on(Input.Submitted)
    def _filter_submitted(self) -> None:
        self.query_one(BidiInput).remove_class("-active")
        self.query_one(DocumentTable).focus()

    @on(DocumentTable.RowSelected)
    def _open(self, event: DocumentTable.RowSelected) -> None:
        item = self._item_of.get(event.row_key)
        if item is None:
            return
        if item.entry is None or item.problem:
            self.notify(f"{item.path}: {item.problem}", title="cannot open", severity="error")
            return
        self.open_entry(item.entry)

    @work(thread=True, exclusive=True, group="library-open")
    def open_entry(self, entry: Entry) -> Document:
        return entry.load()

    def _show_document(self, document: Document) -> None:
        self.post_message(OpenDocument(document))
        if document.warnings:  # opened all the same: say what was replaced
            self.notify("; ".join(document.warnings), title=document.rel, severity="warning")
