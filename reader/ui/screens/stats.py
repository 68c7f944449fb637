"""The statistics screen: a documents × themes heat map, per-theme bars, co-occurrence.

Pushed by the library and reader screens on ``s``. The figures are those of
``reader stats`` (:func:`reader.export.stats.compute`), computed in a worker
thread because they read every document's text. Every document of the library is
a row, those without a tag too (``0``). The heat map is a table with a cell cursor:
``enter`` on a cell opens that document at the theme's first passage, following the
theme (``}`` then goes to its next one). Titles and theme labels are drawn through
the layout engine (:func:`reader.ui.visual.visual_text`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static
from textual.worker import Worker, WorkerState

from reader.corpus import Document, Entry, Span
from reader.errors import ReaderError
from reader.export.gather import gather, with_untagged
from reader.export.html import css_color
from reader.export.sources import Corpus
from reader.export.stats import ALL, Stats, compute, passages_line, percent
from reader.layout import BidiMode
from reader.store import ORPHANED, Store, ThemeSet
from reader.ui.requests import OpenDocument
from reader.ui.visual import visual_text
from reader.ui.widgets.heat_table import HeatTable
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.legend import Legend

#: Columns of a document's title, at most and at least (a narrow screen gives way).
TITLE_WIDTH, TITLE_MIN = 32, 16
#: Columns of a count-and-share cell: "12 34.5%".
CELL_WIDTH = 10
BAR_WIDTH = 30
#: The heat map's row key of the totals.
TOTAL = "\0total"
_COLD = ColorTriplet(40, 40, 48)
"""The heat map's colour for nothing: a dark grey that every theme colour stands out from."""


def heat(color: str, share: float) -> Style:
    """Background from cold grey (0) to the theme's full colour (1)."""
    hot = Color.parse(css_color(color)).get_truecolor()
    t = max(0.0, min(1.0, share))
    mixed = ColorTriplet(*(round(c + (h - c) * t) for c, h in zip(_COLD, hot, strict=True)))
    text = "black" if t > 0.6 else "white"
    return Style(bgcolor=Color.from_triplet(mixed), color=text)


def heat_cells(
    stats: Stats, themes: ThemeSet, doc: str, widths: Mapping[str, int] | None = None
) -> list[Text]:
    """One document's row of the heat map: a cell per theme, tinted by its share (the
    whole cell: ``widths`` are the columns' widths)."""
    peak = max((stats.share(d, k) or 0.0 for d in stats.docs for k in stats.themes), default=0.0)
    cells = []
    for key in stats.themes:
        theme = themes.get(key)
        share = stats.share(doc, key)
        text = f"{stats.count(doc, key)} {percent(share)}"
        # Scaled to the largest share so a corpus of long documents still shows contrast.
        style = heat(theme.color if theme else "grey", (share or 0) / peak if peak else 0)
        width = (widths or {}).get(key, CELL_WIDTH)
        cells.append(Text(text.rjust(width), style=style))
    return cells


def theme_bars(stats: Stats, themes: ThemeSet, mode: BidiMode, width: int = 80) -> Group:
    """One line per theme: its label, a bar of its passages, the count and the share covered."""
    top = max((stats.theme_total(k) for k in stats.themes), default=0) or 1
    label_width = 28 if width >= 80 else 16
    bar_width = max(5, min(BAR_WIDTH, width - label_width - 24))
    lines: list[RenderableType] = [Text("Passages per theme", style="bold")]
    for key in stats.themes:
        theme = themes.get(key)
        label = f"{theme.label_en} — {theme.label_ar}" if theme else key
        count = stats.theme_total(key)
        filled = round(bar_width * count / top)
        line = Text(no_wrap=True)
        line.append_text(visual_text(label, label_width, mode, pad=True))
        line.append(" ")
        line.append("█" * filled, style=css_color(theme.color) if theme else "grey50")
        line.append(" " * (bar_width - filled))
        line.append(f" {count:>5}  {percent(stats.theme_share(key)):>6}")
        lines.append(line)
    return Group(*lines)


def pairs(stats: Stats, themes: ThemeSet) -> Group:
    """Themes given to the same passages, most frequent first."""
    lines: list[RenderableType] = [Text("Themes on the same passages", style="bold")]
    for (a, b), n in stats.cooccurrence.items():
        names = [(t.label_en if (t := themes.get(k)) else k) for k in (a, b)]
        lines.append(Text(f"{names[0]} + {names[1]}: {n}"))
    if not stats.cooccurrence:
        lines.append(Text("none"))
    return Group(*lines)


class StatsScreen(Screen[None]):
    """Where the themes fall: heat map of documents × themes, bars per theme, co-occurrence.

    Construct as ``StatsScreen(store, entries=None, mode=BidiMode.APP)``:

    - ``store``: the app's :class:`~reader.store.Store`.
    - ``entries``: the library's corpus entries (every document is listed, titles and
      text lengths for the shares); without them the default corpus is looked in.
    - ``mode``: the app's bidi mode for titles and labels.

    | Key | Action |
    | --- | --- |
    | arrows, page up/down | move in the heat map |
    | enter | open the document at the theme's first passage |
    | escape, q | back |
    """

    DEFAULT_CSS = """
    StatsScreen #stats-status { padding: 0 1; color: $text-muted; width: 1fr; }
    StatsScreen #stats-heat { height: 2fr; }
    StatsScreen VerticalScroll { height: 1fr; padding: 0 1; }
    StatsScreen Static { margin-top: 1; width: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="stats.close", tooltip="Back to where you were"),
    ]
    FOOTER_PRIORITY: ClassVar[tuple[str, ...]] = ("stats.open", "stats.close")
    """The keys the footer shows first, when not all fit (see KeyFooter)."""

    def __init__(
        self,
        store: Store,
        entries: Sequence[Entry] | None = None,
        mode: BidiMode = BidiMode.APP,
    ) -> None:
        super().__init__()
        self.store = store
        self.entries = entries
        self.mode = mode
        self.stats: Stats | None = None
        """The figures once computed (for tests and for a future export of them)."""
        self.corpus: Corpus | None = None

    def compose(self) -> ComposeResult:
        yield Label("Computing statistics…", id="stats-status")
        yield HeatTable(id="stats-heat")
        with VerticalScroll():
            yield Static(id="stats-bars")
            yield Static(id="stats-pairs")
        yield Legend(list(self.store.themes), self.mode)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._compute()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _compute(self) -> Stats:
        corpus = Corpus.for_app(self.entries)
        data = with_untagged(gather(self.store, corpus), corpus)
        self.corpus = corpus
        return compute(data)

    @property
    def table(self) -> HeatTable:
        return self.query_one(HeatTable)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "stats":
            return
        status = self.query_one("#stats-status", Label)
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            status.update(visual_text(f"Statistics failed: {error}", None, self.mode))
        elif event.state == WorkerState.SUCCESS:
            stats = event.worker.result
            assert isinstance(stats, Stats)
            self.stats = stats
            status.update(
                f"{passages_line(stats)}; {stats.orphaned} orphaned; all themes cover "
                f"{percent(stats.theme_share())} of the documents' text"
            )
            self._fill(stats)
            width = self.size.width
            themes = self.store.themes
            self.query_one("#stats-bars", Static).update(
                theme_bars(stats, themes, self.mode, width)
            )
            self.query_one("#stats-pairs", Static).update(pairs(stats, themes))
            self.table.focus()
            self.table.move_cursor(column=1)  # on the first theme

    def _fill(self, stats: Stats) -> None:
        """The heat map: a row per document, a column per theme, then all themes."""
        table = self.table
        table.clear(columns=True)
        themes = self.store.themes
        labels = {k: (t.label_en if (t := themes.get(k)) else k) for k in stats.themes}
        # Each theme's column as wide as its name (up to 16) when the screen has room.
        widths = {k: max(CELL_WIDTH, min(len(label), 16)) for k, label in labels.items()}
        extra = 6 + 2 + 2 + 2 * len(widths) + 2  # "all", paddings, the scrollbar
        if sum(widths.values()) + extra + TITLE_MIN > self.size.width:
            widths = dict.fromkeys(widths, CELL_WIDTH)
        title_width = max(
            TITLE_MIN, min(TITLE_WIDTH, self.size.width - sum(widths.values()) - extra)
        )
        table.add_column("document", width=title_width, key="document")
        for key in stats.themes:
            theme = themes.get(key)
            header = visual_text(labels[key], widths[key], self.mode)
            header.stylize(Style(color=css_color(theme.color), bold=True) if theme else "")
            table.add_column(header, width=widths[key], key=key)
        table.add_column(Text("all", justify="right"), width=6, key=ALL)
        for doc in stats.docs:
            title = visual_text(stats.titles[doc], title_width, self.mode)
            total = Text(str(stats.count(doc, ALL)), justify="right")
            table.add_row(title, *heat_cells(stats, themes, doc, widths), total, key=doc)
        totals = [
            Text(f"{stats.theme_total(k)} {percent(stats.theme_share(k))}".rjust(widths[k]))
            for k in stats.themes
        ]
        table.add_row(
            Text("total", style="bold"), *totals, Text(str(stats.total), justify="right"), key=TOTAL
        )

    @on(DataTable.CellSelected, "#stats-heat")
    def _open(self, event: DataTable.CellSelected) -> None:
        """``enter`` on a cell: the document, at the first passage of the cell's theme."""
        rel = event.cell_key.row_key.value
        column = event.cell_key.column_key.value
        if rel is None or rel == TOTAL or self.corpus is None:
            return
        entry = self.corpus.entries.get(rel)
        if entry is None:
            self.notify(f"{rel}: its text was not found", title="cannot open", severity="error")
            return
        try:
            document = entry.load()
        except ReaderError as exc:
            self.notify(str(exc), title="cannot open", severity="error")
            return
        theme = column if column is not None and self.store.themes.get(column) else None
        at = self._first_passage(document, theme)
        if theme is not None and at is None:
            label = self.store.themes.get(theme)
            self.notify(f"no {label.label_en if label else theme} passage in this document")
        self.post_message(OpenDocument(document, at, theme=theme))

    def _first_passage(self, document: Document, theme: str | None) -> Span | None:
        """The first passage in reading order carrying ``theme`` (any theme when None)."""
        for ann in self.store.sync(document):  # reading order
            if ann.status != ORPHANED and (theme is None or theme in ann.themes):
                return Span(ann.start, ann.end)
        return None

    def action_close(self) -> None:
        self.dismiss(None)
