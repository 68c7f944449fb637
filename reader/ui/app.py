"""The app and its one factory, :func:`make_app`, shared by the CLI and the tests.

The app owns the store and the corpus list; screens get what they need through
their constructors. Every screen binding is also offered in the command palette,
so a key the user forgot is one ``ctrl+p`` away.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import RenderableType
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from reader.corpus import Document, Entry, Problem, collect, read_document
from reader.index import LibraryIndex
from reader.layout import BidiMode
from reader.layout.sanitize import PLACEHOLDERS
from reader.reading import ReadingLog
from reader.store import Store
from reader.terminal.strategy import Choice, Strategy
from reader.ui.emission import Emitter, make_emitter
from reader.ui.idle_gc import IdleCollector, release_after_start
from reader.ui.keymap import load_keymap
from reader.ui.requests import Ask, Curate, EditAnnotation, OpenDocument, StoreProblems, has_module
from reader.ui.toasts import TOAST_TEXT_WIDTH
from reader.ui.visual import visual_block

if TYPE_CHECKING:
    from reader.search import SearchIndex

#: Optional screens, by the app action that shows them (hidden from the footer when absent).
OPTIONAL_SCREENS = {"export": "reader.ui.screens.export", "stats": "reader.ui.screens.stats"}


class ReaderApp(App[None]):
    """Read Arabic articles, tag passages by theme, keep the tags in a local store."""

    TITLE = "reader"
    CSS = """
    Screen { background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the footer: the library's q says the same; the help screen lists it.
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            tooltip="Quit the app",
            priority=True,
            show=False,
        ),
        Binding(
            "question_mark,f1", "help", "Keys", id="app.help", tooltip="Every key of this screen"
        ),
    ]

    def __init__(
        self,
        entries: Sequence[Entry],
        problems: Sequence[Problem],
        store: Store,
        mode: BidiMode = BidiMode.APP,
        open_document: Document | None = None,
        keymap: dict[str, str] | None = None,
        emit: str = "plain",
    ) -> None:
        super().__init__()
        self.entries = list(entries)
        """Documents of the library, sorted by relative path."""
        self.problems = list(problems)
        self._problems_shown: set[str] = set()
        """Paths that could not be taken as documents, with their reason."""
        self.store = store
        """The annotation store; only screens talk to it."""
        self.mode = mode
        """How bidi text is drawn: reordered by the app, or left to the terminal."""
        self.open_document = open_document
        """The document ``reader open`` asked for, shown straight in the reader."""
        self.keymap = keymap or {}
        """Binding id → keys, from the user's keymap file."""
        self.curated_dir = store.root.parent / f"{store.root.name}-curated"
        """The curated store the curation screen writes to (``--curated``)."""
        self.reading = ReadingLog(store.root, read_only=store.read_only)
        """Where the analyst is in each document (``<store>/.reading.json``)."""
        self.search_index: SearchIndex | None = None
        """The corpus search index, made when the concordance is first shown."""
        self.collector: IdleCollector | None = None
        """Runs Python's full garbage collections while the user is idle (see idle_gc)."""
        self.emitter: Emitter | None = make_emitter(emit)
        """Rewrites each frame for terminals that reorder or shape by themselves (emission.py)."""
        self.terminal = Choice(Strategy.PLAIN, "not set by the launcher")
        """The terminal strategy (``use_terminal``): sequences to switch, a warning to show."""

    def use_terminal(self, choice: Choice) -> None:
        """Draw for the terminal the launcher detected: layout mode, emitter, warning."""
        self.terminal = choice
        self.mode = BidiMode.TERMINAL if choice.logical else BidiMode.APP
        self.emitter = make_emitter(choice.strategy)

    def on_mount(self) -> None:
        # SIGTERM quits like ctrl+q, so the terminal is restored (the launcher's finally).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)
        # ctrl+z: the terminal is switched back while the app is suspended.
        self.app_suspend_signal.subscribe(self, lambda _: self._write_terminal(self.terminal.leave))
        self.app_resume_signal.subscribe(self, lambda _: self._write_terminal(self.terminal.enter))
        if self.terminal.warning:
            self.notify(self.terminal.warning, title="terminal", severity="warning", timeout=15)
        self.collector = IdleCollector()
        self.set_interval(0.25, self.collector.tick)
        if not self.store.read_only:  # killed writers' temporary files, off the UI thread
            self.run_worker(self.store.remove_stale_temporaries, thread=True, group="store-sweep")
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.open_document is not None:
            from reader.ui.screens.reader import ReaderScreen

            self.push_screen(
                ReaderScreen(
                    self.open_document, self.store, self.mode, standalone=True, reading=self.reading
                )
            )
        self._show_store_problems()

    @on(StoreProblems)
    def _show_store_problems(self) -> None:
        """Notify each store problem once: those known at start, those found later (the
        store reads a document's files when it is opened or its tags counted)."""
        for problem in self.store.problems:
            if problem not in self._problems_shown:
                self._problems_shown.add(problem)
                title = self._problem_title(problem)
                self.notify(problem, title=title, severity="warning", timeout=10)

    def _problem_title(self, problem: str) -> str:
        """What a store problem means for the user, as a notification's title."""
        if problem == self.store.themes_problem:
            return "themes.toml not used"  # the store itself stays writable
        if problem in self.store.themes.problems:
            return "themes.toml"  # one theme's colour replaced, the rest applies
        if self.store.read_only:
            return "store kept read-only"
        return "document kept read-only"  # a damaged document file: that document only

    def get_default_screen(self) -> Screen[Any]:
        # The first screen is the library itself, not Textual's blank screen with the
        # library pushed over it: one screen mounted, styled and resumed at start-up
        # instead of two (nothing pops the library). ``reader open`` pushes the reader over
        # the blank screen in on_mount, as before. Each screen is imported only when shown:
        # the reader's modules (suggestions, the document view) cost ~15 ms of a start-up
        # that paints the library.
        if self.open_document is not None:
            return super().get_default_screen()
        from reader.ui.screens.library import LibraryScreen

        index = LibraryIndex(self.store.root, read_only=self.store.read_only)
        return LibraryScreen(
            self.entries, self.problems, self.store, index, self.mode, reading=self.reading
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification, its control characters drawn as placeholders.

        Messages carry file names, store problems and reasons taken from untrusted files;
        Textual would write an escape sequence in them straight to the terminal.
        """
        # Arabic (a file or document name) is laid out by the engine like all other text;
        # untrusted text is never parsed as markup ("[/x].txt" is a name, not a tag).
        super().notify(
            visual_block(message.translate(PLACEHOLDERS), TOAST_TEXT_WIDTH, self.mode),
            title=visual_block(title.translate(PLACEHOLDERS), TOAST_TEXT_WIDTH, self.mode),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_event(self, event: events.Event) -> None:
        if self.collector is not None and isinstance(event, (events.Key, events.MouseEvent)):
            self.collector.touch()
        await super().on_event(event)

    def _write_terminal(self, sequence: str) -> None:
        if sequence and self._driver is not None:
            self._driver.write(sequence)
            self._driver.flush()

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        # The one place a frame goes to the terminal: the emission layer rewrites it there.
        if self.emitter is not None and renderable is not None:
            renderable = self.emitter.update(renderable)
        super()._display(screen, renderable)
        if renderable is not None:
            release_after_start()  # the first frame is out: collect again (idle_gc.py)

    def on_unmount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        if self.collector is not None:
            self.collector.close()
        if self.search_index is not None:
            self.search_index.close()
        self.reading.close()
        self.store.close()

    # --- the screens: screens ask for each other through the app (reader/ui/requests.py) ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in OPTIONAL_SCREENS:
            return has_module(OPTIONAL_SCREENS[action])
        return True

    @on(OpenDocument)
    def _open_document(self, request: OpenDocument) -> None:
        from reader.ui.screens.reader import ReaderScreen

        self.push_screen(
            ReaderScreen(
                request.document,
                self.store,
                self.mode,
                at=request.at,
                query=request.query,
                theme=request.theme,
                reading=self.reading,
            )
        )

    @on(Ask)
    def _ask(self, request: Ask) -> None:
        from reader.ui.screens.prompt import PromptScreen

        prompt = PromptScreen(request.title, request.value, request.context, self.mode)
        self.push_screen(prompt, request.then)

    def action_concordance(self) -> None:
        from reader.search import SearchIndex
        from reader.ui.screens.concordance import ConcordanceScreen

        if self.search_index is None:  # one per app: the inverted index stays loaded
            self.search_index = SearchIndex(self.store.root, read_only=self.store.read_only)
        self.push_screen(ConcordanceScreen(self.store, self.entries, self.search_index, self.mode))

    @on(EditAnnotation)
    def _edit_annotation(self, request: EditAnnotation) -> None:
        from reader.ui.screens.edit_other import EditOtherScreen

        editor = self.store.annotator
        dialog = EditOtherScreen(request.annotation, request.themes, editor, self.mode)
        self.push_screen(dialog, request.then)

    @on(Curate)
    def _curate(self, request: Curate) -> None:
        from reader.curation import pick_two

        doc = request.document
        names = sorted({a.annotator for a in self.store.annotations(doc.rel)})
        if len(names) < 2:
            who = ", ".join(names) or "nobody"
            self.notify(f"curation needs two annotators' tags here (tagged by {who})")
        elif len(names) == 2:
            self._open_curation(doc, (names[0], names[1]))
        else:

            def chosen(answer: str | None) -> None:
                pair = pick_two(names, answer or "")
                if pair is not None:
                    self._open_curation(doc, pair)
                elif answer is not None:
                    self.notify(f"name two of: {', '.join(names)}")

            prompt = f"Curate which two annotators? ({', '.join(names)})"
            self.post_message(Ask(prompt, chosen))

    def _open_curation(self, doc: Document, names: tuple[str, str]) -> None:
        from reader.curation import open_curation
        from reader.errors import ReaderError
        from reader.ui.screens.curation import CurationScreen

        try:
            curated = Store(self.curated_dir, self.store.annotator)
        except ReaderError as exc:
            self.notify(str(exc), title="cannot curate", severity="error")
            return
        curation = open_curation(self.store, curated, doc.rel, *names)
        themes = list(self.store.themes)
        self.push_screen(CurationScreen(doc, curation, names, themes, self.mode))

    def action_export(self) -> None:
        from reader.ui.screens.export import ExportScreen

        self.push_screen(ExportScreen(self.store, self.entries, self.mode))

    def action_agreement(self) -> None:
        from reader.ui.screens.agreement import AgreementScreen

        self.push_screen(AgreementScreen(self.store, self.entries, self.mode))

    def action_stats(self) -> None:
        from reader.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.store, self.entries, self.mode))

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen, screen_keys

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(screen_keys(self, self.screen)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from reader.ui.screens.help import screen_keys

        yield from super().get_system_commands(screen)
        for entry in screen_keys(self, screen):
            binding = entry.binding
            if binding.description and binding.id != "app.help":
                title = f"{binding.tooltip or binding.description} ({' '.join(entry.keys)})"
                action = partial(self.run_action, binding.action, entry.node)
                yield SystemCommand(title, binding.id or binding.action, action)


def make_app(
    paths: Sequence[Path | str],
    store_dir: Path | str,
    bidi_mode: BidiMode | str = BidiMode.APP,
    annotator: str | None = None,
    open_path: Path | str | None = None,
    emit: str = "plain",
    curated: Path | str | None = None,
) -> ReaderApp:
    """Build the app: the one factory used by the CLI and the tests.

    Args:
        paths: files and folders for the library.
        store_dir: the annotation store's folder.
        bidi_mode: ``app`` (the app reorders) or ``terminal`` (the terminal does).
        annotator: name recorded on new annotations (the store's default when None).
        open_path: a document to open straight in the reader.
        emit: the terminal strategy whose frames need rewriting (``marks``, ``shaper``), or
            any other strategy name (``plain``, ``explicit``…) for none.
        curated: the curated store's folder (default: the store's, ``-curated`` added).

    Raises:
        DocumentError: ``open_path`` cannot be read.
        StoreError: the store cannot be opened.
        UsageError: ``<store_dir>/keymap.toml`` is malformed.
    """
    mode = BidiMode(bidi_mode)
    entries, problems = collect(paths)
    document = None
    if open_path is not None:
        document = read_document(open_path)
    keymap = load_keymap(Path(store_dir))
    # Nothing of the annotations is read at start: a document's files when it is opened,
    # the library's counts from the store's cache (the rest counted by a worker).
    store = Store(Path(store_dir), annotator, scan=False)
    app = ReaderApp(entries, problems, store, mode, document, keymap, emit)
    if curated is not None:
        app.curated_dir = Path(curated)
    return app
