"""The library's start-up: one screen, the footer's keys in its first drawing, toasts still shown.

These guard the start-up shortcuts of bench/README.md item 11: each one skips work
Textual would do again after the first frame, and each could hide something if wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.app import make_app
from reader.ui.screens.library import LibraryScreen
from reader.ui.widgets.document_table import DocumentTable
from reader.ui.widgets.key_footer import KeyFooter
from tests.ui_support import count_footer_layouts

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


async def test_the_library_is_the_only_screen_and_its_footer_is_laid_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = count_footer_layouts(monkeypatch)
    app = make_app([SEEDS], tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert isinstance(screen.focused, DocumentTable)
        # The focused table's "open" key is there from the first drawing: one layout.
        keys = [item.key for item in screen.query_one(KeyFooter).items]
        assert "enter" in keys and "q" in keys
        assert len(made) == 1


async def test_a_notification_still_shows_the_idle_toast_rack(tmp_path: Path) -> None:
    app = make_app([SEEDS], tmp_path / "store")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        rack = app.screen.query_one("#textual-toastrack")
        assert not rack.display
        app.notify("hello from the test")
        await pilot.pause()
        await pilot.pause()
        assert rack.display
        assert "hello from the test" in str(app.screen.query_one("Toast").render())
