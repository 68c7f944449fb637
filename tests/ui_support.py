"""Helpers for the UI tests: an isolated corpus and store, and a ready reader screen."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.boilerplate import content_sentences
from reader.corpus import Document, Span, read_document
from reader.layout import BidiMode
from reader.store import Store
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.document_view import DocumentView

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = "000_0430b5cc33e0e526.txt"
"""The seed with بيونغ يانغ, a dateline-free title and a dozen paragraphs."""
SIZE = (100, 30)


def corpus(tmp_path: Path, names: tuple[str, ...] = (SEED,)) -> Path:
    """Copy seeds into ``tmp_path/corpus`` so the tests never touch the real ones."""
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for name in names:
        if not (folder / name).exists():  # a test may have edited its copy
            shutil.copy(SEEDS / name, folder / name)
    return folder


def reader_app(tmp_path: Path, name: str = SEED) -> ReaderApp:
    """``reader open`` on a copy of seed ``name`` with a fresh store."""
    folder = corpus(tmp_path, (name,))
    return make_app([folder / name], tmp_path / "store", "app", "tester", open_path=folder / name)


def read_only_app(tmp_path: Path, name: str = SEED) -> tuple[ReaderApp, list[str]]:
    """The reader on seed ``name`` over a read-only store, and the notifications it shows."""
    store = Store(tmp_path / "store", "tester", read_only=True)
    app = ReaderApp([], [], store, BidiMode.APP, document(tmp_path, name))
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    return app, told


def document(tmp_path: Path, name: str = SEED) -> Document:
    corpus(tmp_path, (name,))
    return read_document(tmp_path / "corpus" / name, tmp_path / "corpus")


def walked(doc: Document) -> list[Span]:
    """The sentences the keys walk, in order: scraper boilerplate is stepped over."""
    return list(content_sentences(doc))


def stored(tmp_path: Path, name: str = SEED) -> list[tuple[str, int, int, list[str], str]]:
    """What a fresh Store reads from disk: ``(quote, start, end, themes, note)`` per annotation."""
    store = Store(tmp_path / "store", "checker", scan=True)
    try:
        return [(a.quote, a.start, a.end, a.themes, a.note) for a in store.annotations(name)]
    finally:
        store.close()


def screen(pilot: Pilot[None]) -> ReaderScreen:
    current = pilot.app.screen
    assert isinstance(current, ReaderScreen), type(current).__name__
    return current


def view(pilot: Pilot[None]) -> DocumentView:
    return screen(pilot).view


def count_footer_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time a footer lays its keys out (``key_footer.layout``)."""
    from reader.ui.widgets import key_footer

    made: list[int] = []
    real = key_footer.layout

    def counting(*args: Any) -> Any:
        made.append(1)
        return real(*args)

    monkeypatch.setattr(key_footer, "layout", counting)
    return made
