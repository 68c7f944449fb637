"""The concordance: every hit of a query in every document, one line each (KWIC).

The query is matched as the reader's ``/`` matches (folded: بيونج يانج finds
بيونغ يانغ), through the search index (:mod:`reader.search`), in a worker thread
that first brings the index up to date (reading only the files that changed).
Each hit is a line laid out by the engine with the hit in the middle
(:mod:`reader.kwic`). ``enter`` opens the document at the hit; ``space`` marks hits
and a theme's digit tags the sentence of every marked hit (or of the hit under the
cursor): added to the sentences that lack the theme, or taken from all when they
all have it — each change one undoable store write, as in the reader.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from reader.corpus import Document, Entry, Span
from reader.errors import ReaderError
from reader.kwic import context, kwic
from reader.layout import BidiMode
from reader.search import Hit, SearchIndex
from reader.store import Store
from reader.ui.requests import OpenDocument
from reader.ui.theme_keys import theme_bindings
from reader.ui.visual import visual_text
from reader.ui.widgets.bidi_input import BidiInput
from reader.ui.widgets.document_table import PADDING, Column, DocumentTable
from reader.ui.widgets.hit_table import HitTable
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.legend import Legend
from reader.ui.widgets.visual_label import VisualLabel
from reader.wording import plural

#: Columns of the file name: at most, and at least (it gives way to the context first).
FILE_WIDTH, FILE_MIN = 24, 10
#: Columns of the vertical scrollbar.
SCROLLBAR = 2
#: At most this many hits are listed (a one-letter query would list millions).
MAX_HITS = 100_000
#: Documents kept decoded for drawing rows and tagging.
KEEP_DOCUMENTS = 32


def sentence_of(document: Document, offset: int) -> Span:
    """The sentence holding ``offset`` (its paragraph's text when it has none)."""
    paragraph = document.paragraph_at(offset)
    for span in document.sentences(paragraph):
        if span.start <= offset < span.end:
            return span
    return Span(paragraph.start, paragraph.end)


def widths(screen: int, themes: int) -> tuple[int, int]:
    """Columns of the context and of the file name on a screen ``screen`` wide.

    The context keeps at least half the screen (a narrow one gets the file name cut
    first); nothing is left for a horizontal scrollbar.
    """
    fixed = 1 + themes + 4 * 2 * PADDING + SCROLLBAR  # the mark, the themes, paddings
    file_width = max(FILE_MIN, min(FILE_WIDTH, screen - fixed - screen // 2))
    return max(20, screen - fixed - file_width), file_width


class ConcordanceScreen(Screen[None]):
    """Search every document; one line per hit, the hit in the middle.

    | Key | Action |
    | --- | --- |
    | enter (query) | search |
    | enter (list) | open the document at the hit |
    | space | mark / unmark the hit |
    | * | mark every hit / none |
    | 1–9 | toggle that theme on the sentence of each marked hit (or the cursor's) |
    | u | undo the last change |
    | / | back to the query |
    | escape, q | back |
    """

    DEFAULT_CSS = """
    ConcordanceScreen > #concordance-header { height: 1; background: $panel; padding: 0 1; }
    ConcordanceScreen > HitTable { height: 1fr; }
    ConcordanceScreen > #concordance-status { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark", id="concordance.mark", tooltip="Mark or unmark this hit"),
        Binding(
            "asterisk",
            "mark_all",
            "All",
            id="concordance.mark_all",
            tooltip="Mark every hit, or none",
        ),
        *theme_bindings("concordance", "tag", "on the sentence of each marked hit (or this one)"),
        Binding("u", "undo", "Undo", id="concordance.undo", tooltip="Undo the last change"),
        Binding("slash", "query", "Query", id="concordance.query", tooltip="Change the query"),
        Binding("escape,q", "close", "Back", id="concordance.close", tooltip="Back where you were"),
    ]

    FOOTER_PRIORITY: ClassVar[tuple[str, ...]] = (
        "concordance.open",
        "concordance.mark",
        "concordance.theme_*",
        "concordance.query",
        "concordance.undo",
        "concordance.close",
    )
    """The keys the footer shows first, when not all fit (see KeyFooter)."""

    def __init__(
        self,
        store: Store,
        entries: Sequence[Entry],
        index: SearchIndex,
        mode: BidiMode = BidiMode.APP,
        query: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.entries = list(entries)
        self.index = index
        self.mode = mode
        self.themes = list(store.themes)
        self.search_query = query
        self.hits: list[Hit] = []
        self.marked: set[int] = set()
        """Rows (indexes into :attr:`hits`) marked for tagging."""
        self.truncated = False
        self._documents: OrderedDict[str, Document | None] = OrderedDict()

    def compose(self) -> ComposeResult:
        yield VisualLabel("", self.mode, id="concordance-header")
        yield BidiInput(self.search_query, placeholder="search every document", mode=self.mode,
                        input_id="concordance-query")  # fmt: skip
        yield HitTable()
        yield VisualLabel("", self.mode, id="concordance-status")
        yield Legend(self.themes, self.mode)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._header("type a query, enter to search every document")
        if self.search_query.strip():
            self.search(self.search_query)
        else:
            self.query_one(BidiInput).focus()

    @property
    def table(self) -> HitTable:
        return self.query_one(HitTable)

    def _header(self, text: str) -> None:
        self.query_one("#concordance-header", VisualLabel).text = text

    # --- searching ----------------------------------------------------------------

    @on(Input.Submitted, "#concordance-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.search(event.value)

    def search(self, query: str) -> None:
        self.search_query = query
        self._header(f"searching: {query}")
        self._run(query)

    @work(thread=True, exclusive=True, group="concordance", exit_on_error=False)
    def _run(self, query: str) -> tuple[str, list[Hit]]:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            text = f"indexing: {done}/{total} files read (once; then only changed files)"
            self.app.call_from_thread(self._header, text)

        self.index.refresh(self.entries, should_stop=lambda: worker.is_cancelled, progress=progress)
        return query, self.index.search(query, self.entries, refresh=False, limit=MAX_HITS + 1)

    @on(Worker.StateChanged)
    def _searched(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "concordance":
            return
        if event.state == WorkerState.ERROR:
            self._header(f"search failed: {event.worker.error}")
        elif event.state == WorkerState.SUCCESS and isinstance(event.worker.result, tuple):
            query, hits = event.worker.result
            self.truncated = len(hits) > MAX_HITS
            self.show(query, hits[:MAX_HITS])

    def show(self, query: str, hits: list[Hit]) -> None:
        """List ``hits`` of ``query``."""
        self.hits, self.marked = hits, set()
        documents = len({hit.entry.path for hit in hits})
        summary = f"{plural(len(hits), 'hit')} in {plural(documents, 'document')}: {query}"
        if self.truncated:
            summary = f"first {summary} (more not listed)"
        self._header(summary)
        self._rebuild()
        if hits:
            self.table.focus()
        self._status()

    def _rebuild(self) -> None:
        width, file_width = widths(self.size.width, len(self.themes))
        columns = [
            Column("mark", Text(""), 1),
            Column("kwic", Text("hit in context", justify="center"), width),
            Column("tags", Text(""), len(self.themes)),
            Column("file", Text("file"), file_width),
        ]
        self.table.set_rows(
            columns,
            [str(n) for n in range(len(self.hits))],
            lambda key: self._cells(int(key), width, file_width),
        )

    def on_resize(self) -> None:
        if self.hits:
            self._rebuild()

    def _document(self, entry: Entry) -> Document | None:
        """The hit's document, decoded once (None if it can no longer be read)."""
        key = str(entry.path)
        if key in self._documents:
            self._documents.move_to_end(key)
            return self._documents[key]
        document: Document | None = None
        try:
            document = entry.load()
            self.store.sync(document)  # offsets recorded on an older text are moved first
        except ReaderError:
            document = None
        self._documents[key] = document
        if len(self._documents) > KEEP_DOCUMENTS:
            self._documents.popitem(last=False)
        return document

    def _cells(self, row: int, width: int, file_width: int) -> list[Text]:
        hit = self.hits[row]
        document = self._document(hit.entry)
        mark = Text("✓" if row in self.marked else " ", style="bold")
        if document is None or hit.end > len(document.text):
            line = Text("(the file changed or went away)", style="dim")
        else:
            found = context(document.text, hit.start, hit.end, width // 2 + 8)
            line = Text(no_wrap=True, end="")
            for run, is_hit in kwic(found, width, self.mode).runs:
                line.append(run, Style(bold=True, reverse=True) if is_hit else None)
        tags = Text()
        themes = self._themes_on(hit, document)
        for theme in self.themes:
            tags.append("▌" if theme.key in themes else " ", Style(color=theme.color))
        where = visual_text(hit.rel, file_width, self.mode)
        return [mark, line, tags, where]

    def _themes_on(self, hit: Hit, document: Document | None) -> set[str]:
        if document is None:
            return set()
        span = sentence_of(document, hit.start)
        found = self.store.find_span(hit.rel, span.start, span.end)
        return set(found.themes) if found is not None else set()

    def _status(self) -> None:
        parts = []
        if self.hits:
            hit = self.hits[self.table.cursor_row]
            parts.append(f"{hit.rel} · {hit.start}–{hit.end}")
        if self.marked:
            parts.append(f"{len(self.marked)} marked")
        if self.store.read_only:
            parts.append("store read-only")
        self.query_one("#concordance-status", VisualLabel).text = " · ".join(parts)

    # --- keys ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tag":
            return any(t.digit == parameters[0] for t in self.themes)
        return True

    def on_key(self) -> None:
        # The cursor may have moved: keep the status line on its hit.
        self.call_after_refresh(self._status)

    @on(DocumentTable.RowSelected)
    def _open(self, event: DocumentTable.RowSelected) -> None:
        hit = self.hits[int(event.row_key)]
        document = self._document(hit.entry)
        if document is None:
            self.notify(f"{hit.entry.path}: cannot be read", title="cannot open", severity="error")
            return
        self.post_message(OpenDocument(document, Span(hit.start, hit.end), self.search_query))

    def action_mark(self) -> None:
        if not self.hits:
            return
        row = self.table.cursor_row
        self.marked ^= {row}
        self.table.refresh_rows([str(row)])
        self.table.action_cursor(1)
        self._status()

    def action_mark_all(self) -> None:
        self.marked = set() if len(self.marked) == len(self.hits) else set(range(len(self.hits)))
        self.table.refresh_rows(str(n) for n in range(len(self.hits)))
        self._status()

    def action_undo(self) -> None:
        try:
            done = self.store.undo()
        except ReaderError as exc:
            self.notify(str(exc), title="cannot undo", severity="error")
            return
        if not done:
            self.notify("nothing to undo")
        self.table.refresh_rows(str(row) for row in range(len(self.hits)))

    def action_query(self) -> None:
        self.query_one(BidiInput).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_tag(self, digit: str) -> None:
        """Toggle a theme on the sentences of the marked hits (or of the cursor's hit)."""
        theme = next((t for t in self.themes if t.digit == digit), None)
        if theme is None or not self.hits:
            return
        rows = sorted(self.marked) or [self.table.cursor_row]
        sentences: dict[tuple[str, int, int], Document] = {}
        for row in rows:
            hit = self.hits[row]
            document = self._document(hit.entry)
            if document is not None:
                span = sentence_of(document, hit.start)
                sentences.setdefault((hit.rel, span.start, span.end), document)

        def has(key: tuple[str, int, int]) -> bool:
            found = self.store.find_span(*key)
            return found is not None and theme.key in found.themes

        # All have it: take it from all; else give it to those without.
        remove = all(has(key) for key in sentences)
        changed = 0
        try:
            for (rel, start, end), document in sentences.items():
                if has((rel, start, end)) == remove:
                    self.store.toggle_theme(document, start, end, theme.key)
                    changed += 1
        except ReaderError as exc:
            self.notify(str(exc), title="cannot tag", severity="error")
        verb = "removed from" if remove else "added to"
        self.notify(f"{theme.label_en} {verb} {plural(changed, 'sentence')} (u undoes)")
        self.table.refresh_rows(str(row) for row in range(len(self.hits)))
