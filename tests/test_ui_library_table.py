"""The library's virtual table: rows made only when drawn, the cursor keys, a click (the footer,
redrawn only when its keys change, is tested in test_ui_key_footer.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from reader.layout import layout_line
from reader.ui.app import make_app
from reader.ui.library_rows import LibraryItem
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.document_table import DocumentTable

ROWS = 300


def big_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(ROWS):
        (folder / f"{number:04d}.txt").write_text(
            f"تقرير رقم {number} عن العقوبات\n\nنص المقال الأول. جملة ثانية.\n", encoding="utf-8"
        )
    return folder


async def loaded(app: App[None], pilot: Pilot[None]) -> tuple[LibraryScreen, DocumentTable]:
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return screen, screen.query_one(DocumentTable)


async def test_only_rows_on_screen_are_made_and_keys_reach_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = LibraryScreen._cells
    monkeypatch.setattr(
        LibraryScreen,
        "_cells",
        lambda self, item: made.append(item.rel) or real(self, item),
    )
    app = make_app([big_folder(tmp_path)], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        _, table = await loaded(app, pilot)
        assert table.row_count == ROWS and table.row_keys[0] == "0000.txt"
        # A screenful of rows was made (titles laid out), not three hundred.
        assert 0 < len(set(made)) < 40
        first_made = made.count("0000.txt")
        await pilot.press("pagedown")
        visible = table.scrollable_content_region.height - 1
        assert table.cursor_row == visible
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.cursor_row == ROWS - 1
        assert len(set(made)) < 100
        # The last row is drawn on the last line, under the cursor, with its title.
        last = table.render_line(table.scrollable_content_region.height - 1)
        title = layout_line("تقرير رقم 299 عن العقوبات", table.column_width("title")).text()
        assert title in last.text and "0299.txt" in last.text
        await pilot.press("pageup", "up", "down", "down")
        assert table.cursor_row == ROWS - 1 - visible + 1
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        assert made.count("0000.txt") == first_made  # made once, then kept while scrolling
        # A click moves the cursor; a click on the cursor's row opens the document.
        await pilot.click(DocumentTable, offset=(5, 3))
        assert table.cursor_row == 2
        await pilot.click(DocumentTable, offset=(5, 3))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.document.rel == "0002.txt"


async def test_a_changed_row_is_drawn_again(tmp_path: Path) -> None:
    app = make_app([big_folder(tmp_path)], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        screen, table = await loaded(app, pilot)
        item: LibraryItem = screen._by_rel["0001.txt"]
        assert "0001.txt" in table.render_line(2).text
        item.title = "عنوان جديد"
        table.refresh_rows(["0001.txt"])
        expected = layout_line("عنوان جديد", table.column_width("title")).text()
        assert expected in table.render_line(2).text


async def test_titles_the_index_knows_are_in_the_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = big_folder(tmp_path)
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)  # the scan fills the index
    (folder / "0001.txt").write_text("عنوان تغير\n\nنص.\n", encoding="utf-8")
    monkeypatch.setattr(LibraryScreen, "load_documents", lambda self: None)  # no scan at all
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.loaded
        table = screen.query_one(DocumentTable)
        assert table.row_count == ROWS
        width = table.column_width("title")
        title = layout_line("تقرير رقم 0 عن العقوبات", width).text()
        assert table.get_cell("0000.txt", "title").plain.rstrip() == title
        # Cached without a stat: the changed file shows its old title until the scan runs.
        old = layout_line("تقرير رقم 1 عن العقوبات", width).text()
        assert table.get_cell("0001.txt", "title").plain.rstrip() == old
    monkeypatch.undo()
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        _, table = await loaded(app, pilot)  # …and the scan corrects it
        new = layout_line("عنوان تغير", table.column_width("title")).text()
        assert table.get_cell("0001.txt", "title").plain.rstrip() == new
