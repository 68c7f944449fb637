"""Pilot tests of the words on screen: the status line's note, plurals, the library header."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from reader.layout import layout_line
from reader.store import Store
from reader.ui.app import make_app
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.stats import StatsScreen
from reader.ui.visual import visual_parts
from reader.ui.widgets.bidi_input import BidiInput
from reader.ui.widgets.document_table import DocumentTable
from reader.ui.widgets.status_line import StatusLine
from reader.wording import plural
from tests.test_ui_library import loaded
from tests.ui_support import SIZE, corpus, document, reader_app, screen, walked

NOTE = "ملاحظة عن زيارة Kim Jong Un"


def test_plural_says_one_and_many() -> None:
    assert [plural(n, "document") for n in (0, 1, 2)] == [
        "0 documents",
        "1 document",
        "2 documents",
    ]
    assert plural(1, "match") == "1 match" and plural(3, "match") == "3 matches"


def test_a_part_is_laid_out_as_its_own_paragraph() -> None:
    line = visual_parts(["paragraph 3/28", ("note:", NOTE)], 80).plain
    # The note reads right to left with its Latin tail on its left, as alone…
    assert layout_line(NOTE).text() in line
    # …not as it would inside the left-to-right status line, tail on the right.
    together = layout_line(f"paragraph 3/28 · note: {NOTE}").text()
    assert together.split("note: ")[1] not in line
    assert line.startswith("paragraph 3/28 · note: ") and len(line) == 80


async def test_the_status_line_shows_the_note_in_its_own_direction(tmp_path: Path) -> None:
    doc = document(tmp_path)
    store = Store(tmp_path / "store", "tester")
    first = walked(doc)[0]
    store.add(doc, first.start, first.end, ["arms"], note=NOTE)
    store.close()
    app = reader_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = screen(pilot).query_one("#reader-status", StatusLine)
        assert ("note:", NOTE) in status.parts
        assert layout_line(NOTE).text() in status.render().plain


async def test_one_document_is_one_document(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=SIZE) as pilot:
        library, _ = await loaded(app)
        await pilot.pause()
        assert library.query_one("#library-header", StatusLine).text == (
            "1 document · sorted by name"
        )


async def test_the_stats_screen_says_1_passage_in_1_document(tmp_path: Path) -> None:
    doc = document(tmp_path)
    store = Store(tmp_path / "store", "tester")
    first = next(doc.all_sentences())
    store.add(doc, first.start, first.end, ["arms"])
    store.close()
    app = make_app([tmp_path / "corpus"], tmp_path / "store", "app", "tester")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        text = str(stats.query_one("#stats-status", Static).render())
        assert text.startswith("1 passage in 1 document;"), text


async def test_the_header_counts_what_the_filter_shows_and_escape_hides_the_box(
    tmp_path: Path,
) -> None:
    names = ("000_0430b5cc33e0e526.txt", "002_691f64315ff478ca.txt", "003_3359769afdc9ff85.txt")
    folder = corpus(tmp_path, names)
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(140, 30)) as pilot:
        library, table = await loaded(app)
        header = library.query_one("#library-header", StatusLine)
        box = library.query_one(BidiInput)
        await pilot.press("slash", *"002", "enter")
        await pilot.pause()
        assert table.row_keys == ["002_691f64315ff478ca.txt"]
        assert header.text == "1 of 3 documents shown · filter: 002 · sorted by name"
        assert not box.display and table.has_focus  # enter: the list, filtered
        await pilot.press("slash")
        assert box.display and box.input.has_focus
        await pilot.press("escape")  # the box hides, the filter stays
        await pilot.pause()
        assert not box.display and table.has_focus and table.row_count == 1
        await pilot.press("escape")  # and in the list, escape clears it
        await pilot.pause()
        assert header.text == "3 documents · sorted by name" and table.row_count == 3


async def test_an_empty_library_says_what_to_do(tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    app = make_app([empty], tmp_path / "store", "app", "tester")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        message = library.query_one("#library-empty", Static)
        assert message.display and not library.query_one(DocumentTable).display
        assert "reader PATH" in str(message.render())
        assert library.query_one("#library-header", StatusLine).text.startswith("0 documents")
