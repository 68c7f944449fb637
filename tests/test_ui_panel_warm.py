"""The annotation panel draws ahead, while the keys rest, the entries a tag would show.

A tag far from the entries on screen scrolls the panel to entries never drawn; laid
out and drawn ahead (``AnnotationPanel.warm``, from the reader's cursor), the tag key
lays out only the entry it made, and the screen is what a full repaint draws.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.ui.widgets import annotation_panel
from reader.ui.widgets.annotation_panel import AnnotationPanel
from tests.test_ui_annotation_panel import (
    PanelHost,
    count_layouts,
    on_screen,
    synthetic,
    tag_every_other,
)
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


async def test_the_entries_drawn_longest_ago_are_dropped_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Entries stay drawn up to a limit, and past it the least recently drawn go: a long
    session keeps the entries on screen and those drawn ahead, never starts afresh."""
    monkeypatch.setattr(annotation_panel, "DRAWN_LIMIT", 30)
    laid_out = count_layouts(monkeypatch)
    annotations = synthetic(400)
    async with PanelHost(annotations, size=(44, 20)).run_test(size=(60, 24)) as pilot:
        panel = pilot.app.query_one(AnnotationPanel)
        await pilot.pause()
        top = [a.id for a in panel.annotations[:3]]
        for page in range(1, 12):
            panel.scroll_to(y=page * 18, animate=False, immediate=True)
            await pilot.pause()
            assert len(panel._drawn) <= 30
            rows = [panel.rows.item_at_row(int(panel.scroll_offset.y) + y) for y in range(18)]
            shown = [panel.rows.items[row[0]] for row in rows if row is not None]
            assert {a.id for a in shown if not isinstance(a, str)} <= set(panel._drawn), page
        assert not set(top) & set(panel._drawn)  # drawn first, dropped first
        panel.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert all(laid_out[ann_id] == 2 for ann_id in top)  # laid out again when shown
        assert max(laid_out.values()) == 2
