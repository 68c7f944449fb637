"""SVG snapshots at 80×24: the library, the reader, and the reader's panel shown by tab.

At this size the annotation panel is hidden (the text keeps the width) and the
footer shows the keys that fit; see ``tests/test_ui_small_screens.py``.
Regenerate with ``pytest tests/test_snapshots_small.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from reader.ui.app import make_app
from tests.test_snapshots import settle
from tests.ui_support import SEED, corpus, reader_app

SIZE = (80, 24)


def test_library_80x24(tmp_path: Path, snap_compare: Callable[..., Any]) -> None:
    folder = corpus(
        tmp_path,
        ("000_0430b5cc33e0e526.txt", "002_691f64315ff478ca.txt", "004_3e647ad5bef2f076.txt"),
    )
    app = make_app([folder], tmp_path / "store", "app", "tester")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_reader_80x24(tmp_path: Path, snap_compare: Callable[..., Any]) -> None:
    app = reader_app(tmp_path, SEED)

    async def tag(pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", "1", "2", "m", *"memo", "enter", "j", "j")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=tag)


def test_reader_panel_80x24(tmp_path: Path, snap_compare: Callable[..., Any]) -> None:
    app = reader_app(tmp_path, SEED)

    async def panel(pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", "1", "j", "j", "4", "tab")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=panel)
