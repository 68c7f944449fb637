"""The export dialog: format, file, theme filter; the file is written by a worker thread.

Pushed by the library and reader screens on ``e``. A file name alone is written to the
store's ``exports/`` folder, a path with a folder where it says
(:func:`reader.export.app_destination`); the full path is shown under the name as it
is typed, and again in the message once written. CSV is for Excel by default (a BOM,
formulas kept as text). The writing runs in a thread (``@work(thread=True)``) with a
progress bar, so the UI never blocks; the result is a notification, and the dialog
closes with the path written. Errors (file exists without "overwrite", a missing
folder) are shown as one line in the dialog, which stays open to fix them. On a short
screen (80×24) the fields lose their borders so that the whole dialog fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, SelectionList
from textual.worker import Worker, WorkerState

from reader.corpus import Entry
from reader.errors import ReaderError, UsageError
from reader.export import EXPORTS_DIR, FORMATS, SUFFIXES, app_destination, export_to_path
from reader.export.gather import gather
from reader.export.sources import Corpus
from reader.layout import BidiMode, layout_line
from reader.store import Store
from reader.ui.visual import visual_text
from reader.ui.widgets.bidi_input import BidiInput
from reader.wording import plural

#: Shown in the format list, in FORMATS order.
FORMAT_LABELS: dict[str, str] = {
    "json": "json — everything, re-importable",
    "jsonl": "jsonl — one annotation per line",
    "csv": "csv — a spreadsheet",
    "w3c": "w3c — Web Annotation JSON-LD",
    "md": "md — report by theme",
    "html": "html — documents with highlights",
    "qdpx": "qdpx — REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)",
    "brat": "brat — standoff folder (.txt + .ann)",
    "conll": "conll — BIO tags, one column per theme",
    "doccano": "doccano — JSONL, one document per line",
    "labelstudio": "labelstudio — Label Studio tasks (JSON)",
}


class ExportScreen(ModalScreen[Path | None]):
    """Export the store's annotations to a file without blocking the UI.

    Construct as ``ExportScreen(store, entries=None, mode=BidiMode.APP)``:

    - ``store``: the app's :class:`~reader.store.Store` (read in the worker).
    - ``entries``: the library's corpus entries, so titles and the html report's
      document text are found; without them the default corpus (``seeds/``) is
      looked in, and passages of documents not found are exported from their quotes.
    - ``mode``: the app's bidi mode, for theme labels drawn by the layout engine.

    Dismissed with the path written, or ``None`` when cancelled.

    | Key | Action |
    | --- | --- |
    | tab / shift+tab | move between format, file, themes, options and buttons |
    | enter | export (in the file field, or on the Export button) |
    | space | tick a theme or option |
    | escape | cancel |
    """

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80%; max-width: 90; height: auto; max-height: 100%; padding: 1 2;
        background: $panel; border: tall $accent;
    }
    ExportScreen.-short > Vertical { width: 100%; padding: 0 1; }
    ExportScreen .export--title { text-style: bold; margin-bottom: 1; }
    ExportScreen.-short .export--title { margin-bottom: 0; }
    ExportScreen #export-where { color: $text-muted; padding: 0 1; }
    ExportScreen SelectionList { height: auto; max-height: 8; }
    ExportScreen #export-options { height: auto; }
    ExportScreen #export-buttons { height: auto; align-horizontal: right; }
    ExportScreen #export-status { color: $text-muted; height: auto; }
    ExportScreen #export-status.-error { color: $error; }
    ExportScreen ProgressBar { display: none; }
    ExportScreen ProgressBar.-running { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without exporting"
        ),
        Binding("ctrl+s", "export", "Export", id="export.run", tooltip="Write the file now"),
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
        self._suggested = self._default_path("json")
        """The file name we proposed: replaced when the format changes, unless edited."""
        self.written: Path | None = None
        """The full path of the export under way (or done)."""

    @staticmethod
    def _default_path(fmt: str) -> str:
        return f"annotations-export{SUFFIXES[fmt]}"

    #: Below this many rows the fields are drawn without borders (compact).
    SHORT = 36

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export annotations", classes="export--title")
            yield Select(
                [(FORMAT_LABELS[f], f) for f in FORMATS],
                value="json",
                allow_blank=False,
                id="export-format",
            )
            # A file name may be Arabic: shown in visual order under the input.
            yield BidiInput(
                self._suggested,
                placeholder=f"file name (to {EXPORTS_DIR}/ in the store), or a path",
                mode=self.mode,
                input_id="export-file",
            )
            yield Label(self._where(self._suggested), id="export-where")
            yield Label("Themes (none ticked: all)")
            yield SelectionList[str](
                *[
                    (visual_text(f"{t.label_en} — {t.label_ar}", 60, self.mode), t.key)
                    for t in self.store.themes
                ],
                id="export-themes",
            )
            with Horizontal(id="export-options"):
                yield Checkbox("Overwrite if it exists", id="export-force")
                yield Checkbox(
                    "For Excel (csv: BOM, formulas as text)",
                    value=True,
                    id="export-excel",
                    disabled=True,
                )
            yield ProgressBar(show_eta=False, id="export-progress")
            yield Label("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-run")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    def on_resize(self) -> None:
        short = self.size.height < self.SHORT
        self.set_class(short, "-short")
        for widget in self.query("Select, Input, SelectionList, Checkbox, Button"):
            widget.compact = short  # type: ignore[attr-defined]

    def _where(self, typed: str) -> Text:
        """The full path ``typed`` is written to, in visual order (it may be Arabic)."""
        if not typed.strip():
            return Text("")
        path = app_destination(typed, self.store.root)
        return visual_text(f"→ {path}", None, self.mode)

    @on(Input.Changed, "#export-file")
    def _file_changed(self, event: Input.Changed) -> None:
        self.query_one("#export-where", Label).update(self._where(event.value))

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        fmt = str(event.value)
        self.query_one("#export-excel", Checkbox).disabled = fmt != "csv"
        field = self.query_one("#export-file", Input)
        if field.value == self._suggested:  # not edited by the user: follow the format
            self._suggested = field.value = self._default_path(fmt)

    @on(Input.Submitted, "#export-file")
    @on(Button.Pressed, "#export-run")
    def action_export(self) -> None:
        if self.query_one(ProgressBar).has_class("-running"):
            return  # one export at a time
        fmt = str(self.query_one("#export-format", Select).value)
        raw = self.query_one("#export-file", Input).value.strip()
        if not raw:
            self._status("Give a file name.", error=True)
            return
        themes = list(self.query_one("#export-themes", SelectionList).selected)
        force = self.query_one("#export-force", Checkbox).value
        excel = fmt == "csv" and self.query_one("#export-excel", Checkbox).value
        self.query_one(ProgressBar).add_class("-running")
        self._status("Exporting…")
        self.written = app_destination(raw, self.store.root)
        self._export(fmt, self.written, themes, force, excel)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Label)
        status.update(visual_text(text, None, self.mode))
        status.set_class(error, "-error")

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, fmt: str, path: Path, themes: list[str], force: bool, excel: bool) -> str:
        if path.parent == app_destination("x", self.store.root).parent:  # the store's: made here
            try:
                path.parent.mkdir(exist_ok=True)
            except OSError as exc:
                raise UsageError(f"cannot make the folder: {exc.strerror}", path.parent) from None
        corpus = Corpus.for_app(self.entries)
        data = gather(self.store, corpus, themes)
        bar = self.query_one(ProgressBar)
        self.app.call_from_thread(bar.update, total=max(1, len(data.annotations)), progress=0)

        def tick(n: int) -> None:
            self.app.call_from_thread(bar.advance, n)

        warnings = export_to_path(fmt, data, path, force=force, tick=tick, excel=excel)
        left_out = f" ({'; '.join(warnings)})" if warnings else ""
        return f"Wrote {plural(len(data.annotations), 'passage')} to {path}{left_out}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.query_one(ProgressBar).remove_class("-running")
            # The path may be Arabic: notifications get it in visual order too.
            message = layout_line(str(event.worker.result), None, self.mode).text()
            self.app.notify(message, title="export")
            self.dismiss(self.written)
        elif event.state == WorkerState.ERROR:
            self.query_one(ProgressBar).remove_class("-running")
            error = event.worker.error
            if isinstance(error, ReaderError):
                message = str(error)
            else:  # never a traceback on screen: one line, the type and message
                message = " ".join(f"export failed: {type(error).__name__}: {error}".split())
            self._status(message, error=True)
            # Also a notification: it stays in view if the dialog is closed (issue 12).
            line = layout_line(message, None, self.mode).text()
            self.app.notify(line, title="export", severity="error")
