"""The library shows an index scan's batches without rebuilding its table for each one."""

from __future__ import annotations

import shutil
from functools import partialmethod
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable

from reader.corpus import read_document
from reader.index import LibraryIndex
from reader.layout import layout_line
from reader.ui.app import make_app
from reader.ui.screens.library import LibraryScreen

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


async def test_batches_update_rows_in_place_and_order_settles_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for copy in range(4):
        for seed in sorted(SEEDS.iterdir()):
            shutil.copy(seed, folder / f"{copy}_{seed.name}")
    (folder / "2_empty.txt").write_bytes(b"")  # read in the middle of the scan
    # Small batches: the scan hands over eight of them.
    monkeypatch.setattr(
        LibraryIndex, "scan", partialmethod(LibraryIndex.scan, batch_size=3, max_delay=0)
    )
    rebuilds: list[int] = []
    real = LibraryScreen.rebuild
    monkeypatch.setattr(LibraryScreen, "rebuild", lambda self: rebuilds.append(1) or real(self))
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table: DataTable[Text] = screen.query_one(DataTable)
        keys = [
            str(table.coordinate_to_cell_key((row, 0)).row_key.value)
            for row in range(table.row_count)
        ]
        width = table.ordered_columns[table.get_column_index("title")].width
        for key in keys[:-1]:  # every readable row shows its title, drawn by the engine
            title = read_document(folder / key, folder).title
            assert table.get_cell(key, "title").plain.rstrip() == layout_line(title, width).text()
    assert len(keys) == 21
    assert keys[-1] == "2_empty.txt"  # moved last once the scan ended
    # The first batch, the first resize and the final order: not one per batch (8).
    assert len(rebuilds) <= 3
