"""SVG snapshots of the library and the reader at 100×30 and 160×45.

Deterministic: a fixed terminal size, copies of the seeds and a fresh store in
``tmp_path`` (the screen shows relative names only), tags made by key presses,
no notification on screen, and no blinking cursor (no input is focused).
Regenerate with ``pytest tests/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.ui.app import make_app
from tests.ui_support import SEED, corpus, reader_app

SIZES = [(100, 30), (160, 45)]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library(tmp_path: Path, size: tuple[int, int], snap_compare: Callable[..., Any]) -> None:
    folder = corpus(
        tmp_path,
        ("000_0430b5cc33e0e526.txt", "002_691f64315ff478ca.txt", "004_3e647ad5bef2f076.txt"),
    )
    (folder / "empty.txt").write_bytes(b"")
    app = make_app([folder], tmp_path / "store", "app", "tester")
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader(tmp_path: Path, size: tuple[int, int], snap_compare: Callable[..., Any]) -> None:
    app = reader_app(tmp_path, SEED)

    async def tag(pilot: Pilot[None]) -> None:
        # Two themes on the subtitle, a note on it, one theme on a later sentence,
        # then the cursor on a long paragraph so the highlight wraps.
        await pilot.press("j", "j", "1", "2", "m", *"memo", "enter")
        await pilot.press("j", "j", "j", "4", "j", "j")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=tag)


def test_reader_suggestions(
    tmp_path: Path, snap_compare: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ui.suggesting as suggesting

    # Learning from the accept and the reject is scheduled, never run, while the shot is taken.
    monkeypatch.setattr(suggesting, "RELEARN_DELAY", 3600.0)
    app = reader_app(tmp_path, SEED)

    async def review(pilot: Pilot[None]) -> None:
        # Suggestion mode: accept the first suggestion, reject the second; the cursor is
        # left on the third, with open suggestions around it.
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("greater_than_sign", "a", "r")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=review)


def test_reader_panel_long_list(tmp_path: Path, snap_compare: Callable[..., Any]) -> None:
    """The panel as a virtual list: 40 entries, focused, scrolled to the last (scrollbar shown)."""
    from reader.store import Store
    from tests.ui_support import document

    doc = document(tmp_path, SEED)
    store = Store(tmp_path / "store", "tester")
    themes = ["arms", "troops", "sanctions", "china"]
    for i, span in enumerate(list(doc.all_sentences())[:40]):
        store.add(doc, span.start, span.end, [themes[i % 4]], "ملاحظة" if i % 5 == 0 else "")
    store.close()
    app = reader_app(tmp_path, SEED)

    async def to_the_end(pilot: Pilot[None]) -> None:
        await pilot.press("tab", "end", "up")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=to_the_end)
