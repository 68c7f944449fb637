"""The statistics screen: a documents × themes heat map, per-theme bars, co-occurrence.

Pushed by the library and reader screens on ``s``. The figures are those of
``reader stats`` (:func:`reader.export.stats.compute`), computed in a worker
thread because they read every annotated document's text. Titles and theme
labels are drawn through the layout engine (:func:`reader.ui.visual.visual_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static
from textual.worker import Worker, WorkerState

from reader.corpus import Entry
from reader.export.gather import gather
from reader.export.html import css_color
from reader.export.sources import Corpus
from reader.export.stats import ALL, Stats, compute, percent
from reader.layout import BidiMode
from reader.store import Store, ThemeSet
from reader.ui.visual import visual_text
from reader.wording import plural

TITLE_WIDTH = 32
CELL_WIDTH = 12
BAR_WIDTH = 30
_COLD = ColorTriplet(40, 40, 48)
"""The heat map's colour for nothing: a dark grey that every theme colour stands out from."""


def heat(color: str, share: float) -> Style:
    """Background from cold grey (0) to the theme's full colour (1)."""
    hot = Color.parse(css_color(color)).get_truecolor()
    t = max(0.0, min(1.0, share))
    mixed = ColorTriplet(*(round(c + (h - c) * t) for c, h in zip(_COLD, hot, strict=True)))
    text = "black" if t > 0.6 else "white"
    return Style(bgcolor=Color.from_triplet(mixed), color=text)


def heat_map(stats: Stats, themes: ThemeSet, mode: BidiMode) -> Table:
    """Rows: documents; columns: themes; each cell its count and share, tinted by the share."""
    table = Table(title="Documents × themes — passages and share of the text", expand=False)
    table.add_column("document", width=TITLE_WIDTH, no_wrap=True)
    peak = max((stats.share(d, k) or 0.0 for d in stats.docs for k in stats.themes), default=0.0)
    for key in stats.themes:
        theme = themes.get(key)
        label = visual_text(theme.label_ar if theme else key, CELL_WIDTH, mode)
        table.add_column(label, width=CELL_WIDTH, no_wrap=True, justify="right")
    table.add_column("all", width=6, justify="right")
    for doc in stats.docs:
        cells: list[RenderableType] = [visual_text(stats.titles[doc], TITLE_WIDTH, mode)]
        for key in stats.themes:
            theme = themes.get(key)
            share = stats.share(doc, key)
            text = f"{stats.count(doc, key)} {percent(share)}"
            # Scaled to the largest share so a corpus of long documents still shows contrast.
            style = heat(theme.color if theme else "grey", (share or 0) / peak if peak else 0)
            cells.append(Text(text.rjust(CELL_WIDTH), style=style))
        cells.append(str(stats.count(doc, ALL)))
        table.add_row(*cells)
    return table


def theme_bars(stats: Stats, themes: ThemeSet, mode: BidiMode) -> Group:
    """One line per theme: its label, a bar of its passages, the count and the share covered."""
    top = max((stats.theme_total(k) for k in stats.themes), default=0) or 1
    lines: list[RenderableType] = [Text("Passages per theme", style="bold")]
    for key in stats.themes:
        theme = themes.get(key)
        label = f"{theme.label_en} — {theme.label_ar}" if theme else key
        count = stats.theme_total(key)
        filled = round(BAR_WIDTH * count / top)
        line = Text()
        line.append_text(visual_text(label, 28, mode, pad=True))
        line.append(" ")
        line.append("█" * filled, style=css_color(theme.color) if theme else "grey50")
        line.append(" " * (BAR_WIDTH - filled))
        line.append(f" {count:>5}  {percent(stats.theme_share(key)):>6} of the text")
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
    - ``entries``: the library's corpus entries (titles and text lengths for the
      shares); without them the default corpus (``seeds/``) is looked in.
    - ``mode``: the app's bidi mode for titles and labels.

    | Key | Action |
    | --- | --- |
    | escape, q | back |
    | ↑ ↓ page up/down | scroll |
    """

    DEFAULT_CSS = """
    StatsScreen #stats-status { padding: 0 1; color: $text-muted; }
    StatsScreen VerticalScroll { padding: 0 1; }
    StatsScreen Static { margin-bottom: 1; width: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="stats.close", tooltip="Back to where you were"),
    ]

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

    def compose(self) -> ComposeResult:
        yield Label("Computing statistics…", id="stats-status")
        with VerticalScroll():
            yield Static(id="stats-heat")
            yield Static(id="stats-bars")
            yield Static(id="stats-pairs")
        yield Footer()

    def on_mount(self) -> None:
        self._compute()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _compute(self) -> Stats:
        corpus = Corpus.for_app(self.entries)
        return compute(gather(self.store, corpus))

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
                f"{plural(stats.total, 'passage')} in {plural(len(stats.docs), 'document')}; "
                f"{stats.orphaned} orphaned; all themes cover {percent(stats.theme_share())} "
                "of the documents' text"
            )
            themes = self.store.themes
            self.query_one("#stats-heat", Static).update(heat_map(stats, themes, self.mode))
            self.query_one("#stats-bars", Static).update(theme_bars(stats, themes, self.mode))
            self.query_one("#stats-pairs", Static).update(pairs(stats, themes))

    def action_close(self) -> None:
        self.dismiss(None)
