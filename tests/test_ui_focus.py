"""Moving the focus between the text and the annotation panel (tab, escape) costs one frame.

Textual restyles a node on every focus change, and a restyle repaints its scroll bars even
when their colours stay the same; each bar reported that repaint on its own idle turn, after
the frame the focus change drew, so a second frame followed 1/60 s later with only the bars.
The ``-panel`` class (the panel instead of the text, below 100 columns) restyled every node
of the screen on each tab and escape, though it only matters on a narrow screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import messages
from textual.screen import Screen
from textual.scrollbar import ScrollBar

from tests.ui_support import reader_app, screen


async def test_tab_and_escape_leave_the_scroll_bars_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        reader = screen(pilot)
        for _ in range(20):  # enough annotations for the panel to scroll
            await pilot.press("1", "down")
        await pilot.press("tab", "escape")  # the panel's first layout, scroll bar included
        await pilot.pause()
        assert reader.view.vertical_scrollbar.display
        assert reader.panel.vertical_scrollbar.display
        updated: list[Any] = []
        on_update = Screen._on_update

        async def spy(self: Screen[Any], message: messages.Update) -> None:
            updated.append(message.widget)
            await on_update(self, message)

        monkeypatch.setattr(Screen, "_on_update", spy)
        for key in ("tab", "escape", "tab", "escape"):
            await pilot.press(key)
            await pilot.pause()
        assert {reader.view, reader.panel} <= set(updated)
        assert not [widget for widget in updated if isinstance(widget, ScrollBar)]


async def test_the_panel_opened_on_a_wide_screen_shows_instead_of_the_text_once_narrow(
    tmp_path: Path,
) -> None:
    app = reader_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        reader = screen(pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert not reader.has_class("-panel")  # no restyle of the whole screen
        assert reader.panel.display and reader.view.display and reader.panel.has_focus
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert reader.panel.display and not reader.view.display
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert reader.panel.display and reader.view.display and reader.panel.has_focus
        await pilot.resize_terminal(80, 24)
        await pilot.press("escape")
        await pilot.pause()
        assert reader.view.display and not reader.panel.display and reader.view.has_focus
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert reader.panel.display and reader.view.display and reader.view.has_focus
