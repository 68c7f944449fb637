"""The annotation panel draws ahead, while the keys rest, the entries a tag would show.

A tag far from the entries on screen scrolls the panel to entries never drawn; laid
out and drawn ahead (``AnnotationPanel.warm``, from the reader's cursor), the tag key
lays out only the entry it made, and the screen is what a full repaint draws.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.ui.widgets.annotation_panel import AnnotationPanel
from tests.test_ui_annotation_panel import count_layouts, on_screen, tag_every_other
from tests.ui_support import SIZE, reader_app, screen, view


async def rested(pilot: Pilot[None], panel: AnnotationPanel) -> None:
    """Wait (2 s at most) until the panel has nothing left to draw ahead."""
    for _ in range(100):
        await pilot.pause(0.02)
        if not panel._cold():
            return
    raise AssertionError("the panel's entries near the cursor were not drawn ahead")


async def test_a_tag_far_from_the_panel_lays_out_only_its_own_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag_every_other(tmp_path, 44)  # 22 annotations: the panel shows the first ~13
    laid_out = count_layouts(monkeypatch)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        reader = screen(pilot)
        panel = reader.panel
        await pilot.press("G")  # the last sentence
        await rested(pilot, panel)
        assert panel.scroll_offset.y == 0  # drawn ahead, not shown: the panel did not move
        before = len(laid_out)
        laid_out.clear()
        sel = view(pilot).selection
        await pilot.press("2")  # troops: a new annotation there, or a theme added
        await pilot.pause()
        tagged = reader.store.find_span(reader.document.rel, sel.start, sel.end)
        assert tagged is not None and "troops" in tagged.themes
        assert panel.scroll_offset.y > 0 and panel.current is tagged  # scrolled to it
        assert before >= 5  # entries at the end were drawn ahead
        assert list(laid_out) == [tagged.id]
        kept = on_screen(panel)
        panel._drawn.clear()
        panel.refresh()
        assert kept == on_screen(panel)


async def test_moving_on_draws_ahead_at_the_new_place_and_keys_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag_every_other(tmp_path, 44)
    laid_out = count_layouts(monkeypatch)
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        reader = screen(pilot)
        panel = reader.panel
        await pilot.pause()
        assert not panel._cold()  # at the top: the entries there are on screen already
        at_open = len(laid_out)
        await pilot.press("G")
        end = view(pilot).selection
        await pilot.press("g", "G")  # keys while it draws ahead: each moves its place
        assert view(pilot).selection == end
        await rested(pilot, panel)
        first = len(laid_out)
        assert first >= at_open + 5  # the entries at the end, drawn ahead
        await pilot.press("g")
        await rested(pilot, panel)
        assert len(laid_out) == first  # back at the top: nothing new to draw
