"""Pilot tests of the library screen: titles through the engine, counts, sort, filter, open."""

from __future__ import annotations

from pathlib import Path

from reader.corpus import read_document
from reader.layout import layout_line
from reader.store import Store
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.document_table import DocumentTable
from tests.ui_support import SEEDS, SIZE, corpus, stored

NAMES = ("000_0430b5cc33e0e526.txt", "002_691f64315ff478ca.txt", "003_3359769afdc9ff85.txt")


def library_app(tmp_path: Path) -> ReaderApp:
    folder = corpus(tmp_path, NAMES)
    (folder / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    (folder / "empty.txt").write_bytes(b"")
    return make_app([folder, tmp_path / "missing.txt"], tmp_path / "store", "app", "tester")


async def loaded(app: ReaderApp) -> tuple[LibraryScreen, DocumentTable]:
    await app.workers.wait_for_complete()
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    for _ in range(20):  # the index hands its batches over through call_from_thread
        if screen.loaded:
            break
        await screen.app.workers.wait_for_complete()
    return screen, screen.query_one(DocumentTable)


def row_keys(table: DocumentTable) -> list[str]:
    return table.row_keys


async def test_rows_titles_counts_and_unreadable_files(tmp_path: Path) -> None:
    corpus(tmp_path, NAMES)
    doc = read_document(tmp_path / "corpus" / NAMES[1], tmp_path / "corpus")
    store = Store(tmp_path / "store", "tester")
    first = next(doc.all_sentences())
    store.add(doc, first.start, first.end, ["arms", "china"])
    store.close()
    app = library_app(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        screen, table = await loaded(app)
        await pilot.pause()
        keys = row_keys(table)
        assert keys[:3] == list(NAMES)
        assert {"broken.txt", "empty.txt"} <= set(keys)
        assert any(k.endswith("missing.txt") for k in keys)
        # Unreadable rows carry their one-line reason, through the engine.
        problems = {i.rel: i.problem for i in screen.items if i.problem}
        assert "binary" in problems["broken.txt"] and "empty" in problems["empty.txt"]
        # The title cell is the engine's visual line for the title, right-aligned in its column.
        title_cell = table.get_cell(NAMES[1], "title")
        width = table.column_width("title")
        expected = layout_line(doc.title, width).text()
        assert title_cell.plain.rstrip() == expected.rstrip()
        # Tag counts per theme, in the theme's colour.
        arms = table.get_cell(NAMES[1], "theme:arms")
        assert arms.plain.strip() == "1"
        assert str(arms.style.color.triplet.hex if arms.style.color else "") == "#e4572e"
        assert table.get_cell(NAMES[0], "theme:arms").plain.strip() == "·"


async def test_sort_filter_and_enter(tmp_path: Path) -> None:
    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await loaded(app)
        await pilot.press("o")  # by date, newest first; undated after
        assert screen.sort_by == "date"
        dated = [i for i in screen.visible_items() if i.date and not i.problem]
        assert [i.date for i in dated] == sorted((i.date for i in dated), reverse=True)
        assert row_keys(table)[: len(dated)] == [i.rel for i in dated]
        await pilot.press("o")
        assert screen.sort_by == "tags"
        await pilot.press("slash")
        await pilot.press(*"002")
        assert row_keys(table) == [NAMES[1]]
        await pilot.press("escape", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.document.rel == NAMES[1]
        await pilot.press("j", "2", "q")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert table.get_cell(NAMES[1], "theme:troops").plain.strip() == "1"
        assert [a[3] for a in stored(tmp_path, NAMES[1])] == [["troops"]]


async def test_filter_folds_arabic(tmp_path: Path) -> None:
    app = library_app(tmp_path)
    title = read_document(SEEDS / NAMES[1]).title
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await loaded(app)
        await pilot.press("slash")
        # The title's first word with its alefs stripped of hamza still matches.
        word = title.split()[0].replace("أ", "ا").replace("إ", "ا")
        screen.query_one("#library-filter").input.insert_text_at_cursor(word)
        await pilot.pause()
        assert NAMES[1] in row_keys(table)
        assert len(row_keys(table)) < len(screen.items)


async def test_e_and_s_open_export_and_statistics(tmp_path: Path) -> None:
    from reader.ui.screens.export import ExportScreen
    from reader.ui.screens.stats import StatsScreen

    app = library_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app)
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.entries == app.entries
        await pilot.press("escape")
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
