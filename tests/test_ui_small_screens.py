"""Small screens: the text keeps a readable width, the footer keeps its most useful keys.

At 80×24 and at 60 columns the annotation panel is hidden and ``tab`` shows it instead of
the text; the footer shows the keys that fit, most useful first, never one cut in half,
the help key always, and a remapped key keeps its place. The SVG snapshots at 80×24 are
in ``tests/test_snapshots_small.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from reader.store import default_themes
from reader.ui.app import make_app
from reader.ui.library_rows import MIN_TITLE, plan
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.document_table import PADDING, DocumentTable
from reader.ui.widgets.key_footer import KeyFooter
from tests.test_ui_library import loaded
from tests.ui_support import corpus, reader_app, screen


def footer_keys(app: App[None]) -> list[tuple[str, str, int, int]]:
    """(key shown, description, left, right) of each key the footer draws."""
    footer = app.screen.query_one(KeyFooter)
    return [(i.display, i.description, left, right) for i, left, right in footer.keys_on_screen()]


@pytest.mark.parametrize("width", [80, 60])
async def test_the_panel_hides_and_tab_shows_it_instead_of_the_text(
    tmp_path: Path, width: int
) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        reader = screen(pilot)
        assert not reader.panel.display
        assert reader.view.text_width >= width - 8  # the text has the screen, less its margin
        await pilot.press("tab")
        await pilot.pause()
        assert reader.panel.display and not reader.view.display and reader.panel.has_focus
        assert reader.panel.size.width >= width - 4
        await pilot.press("escape")
        await pilot.pause()
        assert reader.view.display and not reader.panel.display and reader.view.has_focus


async def test_a_wide_screen_keeps_the_panel_beside_the_text(tmp_path: Path) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        reader = screen(pilot)
        assert reader.panel.display and reader.view.display
        assert reader.view.text_width >= 100


@pytest.mark.parametrize("width", [140, 100, 80, 60])
async def test_the_footer_shows_whole_keys_the_most_useful_first(
    tmp_path: Path, width: int
) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        palette = next(k for k in keys if "palette" in k[1])
        shown = [k for k in keys if k is not palette]
        assert all(right <= palette[2] for *_, right in shown)  # nothing under the palette
        descriptions = [d for _, d, _, _ in shown]
        assert descriptions[:3] == ["Keys", "Next", "Prev"]  # help, then moving
        assert [k for k, d, _, _ in shown if not d] == ["1", "2", "3", "4"]  # the Tag group
        if width >= 80:
            assert "Note" in descriptions


async def test_a_remapped_key_keeps_its_place_in_the_footer(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "keymap.toml").write_text('"reader.note" = "ctrl+n"\n', encoding="utf-8")
    app = reader_app(tmp_path)
    async with app.run_test(size=(140, 24)) as pilot:
        await pilot.pause()
        keys = [(k, d) for k, d, _, _ in footer_keys(app)]
        assert ("^n", "Note") in keys
        assert keys.index(("^n", "Note")) < keys.index(("u", "Undo"))  # where Note belongs


@pytest.mark.parametrize("width", [160, 100, 80, 60])
def test_library_columns_leave_the_title_readable(width: int) -> None:
    columns = plan(width, list(default_themes()))
    used = sum(c.width + 2 * PADDING for c in columns)
    title = next(c for c in columns if c.key == "title")
    assert used <= width - 2  # no horizontal scrolling (the scrollbar takes 2)
    assert title.width >= MIN_TITLE
    if width >= 160:
        assert {c.key for c in columns} >= {"date", "size", "file", "theme:arms"}


async def test_the_library_fits_80_columns(tmp_path: Path) -> None:
    folder = corpus(tmp_path, ("000_0430b5cc33e0e526.txt", "002_691f64315ff478ca.txt"))
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        library, table = await loaded(app)
        await pilot.pause()
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert isinstance(table, DocumentTable) and table.column_width("title") >= MIN_TITLE
        assert not isinstance(library, ReaderScreen)


@pytest.mark.parametrize("width", [80, 60])
async def test_the_concordance_fits_and_keeps_half_the_width_for_the_context(
    tmp_path: Path, width: int
) -> None:
    from tests.test_ui_concordance import app_on_seeds, concordance

    app = app_on_seeds(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        found = await concordance(pilot, "بيونج")
        table = found.table
        assert found.hits
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no scrolling
        assert table.column_width("kwic") >= width // 2
        name = table.get_cell("0", "file").plain
        assert name.endswith("…") if width < 80 else name == found.hits[0].rel  # it gave way
