"""The agreement screen: how far the store's annotators agree, themes × measures, per document.

The figures of ``reader agree`` (:func:`reader.agreement.compute`) on the app's store and
library, computed in a worker thread (nltk alone takes a second to import). On the left
the documents every annotator coded; on the right the themes × measures table of the
whole corpus, or of the highlighted document with the sentences the annotators gave
different themes. Titles, labels and quotes go through the layout engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from reader.agreement import HEADINGS, MEASURES, Agreement, Measures, figure
from reader.corpus import Entry
from reader.export.gather import gather
from reader.export.sources import Corpus
from reader.layout import BidiMode
from reader.store import Annotation, Store, ThemeSet
from reader.ui.visual import visual_text
from reader.ui.widgets.key_footer import KeyFooter

TITLE_WIDTH = 26
QUOTE_WIDTH = 60
#: Disagreeing sentences listed for one document.
LISTED = 200
_ALL = "all"


def measures_table(
    title: str, themes: dict[str, Measures], overall: Measures, labels: ThemeSet, mode: BidiMode
) -> Table:
    """Themes × measures, then the overall row (narrow: it sits beside the list)."""
    title = f"{title} · {overall.units} sentences"
    table = Table(title=title, expand=False, box=box.SIMPLE_HEAD)
    table.add_column("theme", no_wrap=True, max_width=16)
    for name in MEASURES:
        table.add_column(HEADINGS[name].replace(" ", "\n"), justify="right")
    for key, m in themes.items():
        theme = labels.get(key)
        cells = [figure(m.value(name)) for name in MEASURES]
        table.add_row(visual_text(theme.label_en if theme else key, 16, mode), *cells)
    table.add_section()
    table.add_row("overall", *(figure(overall.value(n)) for n in MEASURES))
    return table


def _own_line(text: Text) -> Text:
    """A laid-out line (the engine gives them no line end) as one line of a group."""
    text.end = "\n"
    return text


class AgreementScreen(Screen[None]):
    """Agreement between the store's annotators, by keys alone.

    | Key | Action |
    | --- | --- |
    | ↑ ↓ | the corpus, or one document (its table and its disagreements) |
    | escape, q | back |
    """

    DEFAULT_CSS = """
    AgreementScreen #agreement-status { padding: 0 1; color: $text-muted; height: auto; }
    AgreementScreen Horizontal { height: 1fr; }
    AgreementScreen OptionList { width: 32; height: 1fr; }
    AgreementScreen VerticalScroll { padding: 0 1; }
    AgreementScreen Static { width: auto; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q", "close", "Back", id="agreement.close", tooltip="Back to where you were"
        ),
    ]

    def __init__(
        self, store: Store, entries: Sequence[Entry] | None = None, mode: BidiMode = BidiMode.APP
    ) -> None:
        super().__init__()
        self.store = store
        self.entries = entries
        self.mode = mode
        self.report: Agreement | None = None
        """The figures once computed."""

    def compose(self) -> ComposeResult:
        yield Label("Computing agreement…", id="agreement-status")
        with Horizontal():
            yield OptionList(id="agreement-docs")
            with VerticalScroll():
                yield Static(id="agreement-table")
                yield Static(id="agreement-disagreements")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._compute()

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def _compute(self) -> Agreement:
        from reader.agreement import compute

        data = gather(self.store, Corpus.for_app(self.entries))
        by_annotator: dict[str, list[Annotation]] = {}
        for ann in data.annotations:
            by_annotator.setdefault(ann.annotator, []).append(ann)
        used = dict.fromkeys(k for ann in data.annotations for k in ann.themes)
        keys = [*self.store.themes.keys(), *sorted(k for k in used if k not in self.store.themes)]
        return compute(dict(sorted(by_annotator.items())), data.documents, keys)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "agreement":
            return
        status = self.query_one("#agreement-status", Label)
        if event.state == WorkerState.ERROR:
            why = f"No agreement figures: {event.worker.error}"
            status.update(visual_text(why, None, self.mode))
        elif event.state == WorkerState.SUCCESS:
            report = event.worker.result
            assert isinstance(report, Agreement)
            self.report = report
            who = ", ".join(report.annotators)
            status.update(
                visual_text(
                    f"{len(report.annotators)} annotators ({who}) on {len(report.documents)} "
                    f"documents they all coded; {report.overall.units} sentences. "
                    "Units: sentences (a theme when a passage touches it); — undefined.",
                    None,
                    self.mode,
                )
            )
            docs = self.query_one(OptionList)
            docs.add_option(Option(Text("All documents", style="bold"), id=_ALL))
            for doc in report.documents:
                name = f"{doc.title} ({len(doc.disagreements)})"
                label = visual_text(name, TITLE_WIDTH, self.mode)
                docs.add_option(Option(label, id=doc.doc))
            docs.highlighted = 0
            self.show(_ALL)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show(event.option.id)

    def show(self, which: str) -> None:
        """The corpus's figures (``all``), or one document's with its disagreements."""
        report = self.report
        if report is None:
            return
        table = self.query_one("#agreement-table", Static)
        listing = self.query_one("#agreement-disagreements", Static)
        themes = self.store.themes
        if which == _ALL:
            whole = measures_table(
                "All documents", report.themes, report.overall, themes, self.mode
            )
            table.update(whole)
            left = [_own_line(visual_text(line, None, self.mode)) for line in report.left_out]
            left = left or [Text("none")]
            listing.update(Group(Text("Not compared", style="bold"), *left))
            return
        doc = next(d for d in report.documents if d.doc == which)
        title = visual_text(doc.title, 40, self.mode).plain  # one line: never wrapped again
        table.update(measures_table(title, doc.themes, doc.overall, themes, self.mode))
        lines: list[RenderableType] = [
            Text(f"Sentences given different themes: {len(doc.disagreements)}", style="bold")
        ]
        for d in doc.disagreements[:LISTED]:
            given = " · ".join(
                f"{who}: {', '.join(self._label(k) for k in keys) or '—'}"
                for who, keys in d.values.items()
            )
            line = Text(f"{d.start}–{d.end}  ")
            line.append_text(visual_text(given, None, self.mode))
            lines.append(line)
            lines.append(_own_line(visual_text(d.text, QUOTE_WIDTH, self.mode, "dim")))
        if len(doc.disagreements) > LISTED:
            lines.append(Text(f"… and {len(doc.disagreements) - LISTED} more (reader agree)"))
        listing.update(Group(*lines))

    def _label(self, key: str) -> str:
        theme = self.store.themes.get(key)
        return theme.label_en if theme else key

    def action_close(self) -> None:
        self.dismiss(None)
