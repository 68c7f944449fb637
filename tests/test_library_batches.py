"""The library shows an index scan's batches without rebuilding its table for each one."""

from __future__ import annotations

import shutil
from functools import partialmethod
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.corpus import read_document
from reader.index import LibraryIndex
from reader.layout import layout_line
from reader.store import Store
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.library import LibraryScreen
from reader.ui.widgets.document_table import DocumentTable

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


async def scanned(app: ReaderApp, pilot: Pilot[None]) -> LibraryScreen:
    """The library once the index scan is over and the screen has settled."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


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
        screen = await scanned(app, pilot)
        table = screen.query_one(DocumentTable)
        keys = table.row_keys
        width = table.column_width("title")
        for key in keys[:-1]:  # every readable row shows its title, drawn by the engine
            title = read_document(folder / key, folder).title
            assert table.get_cell(key, "title").plain.rstrip() == layout_line(title, width).text()
    assert len(keys) == 21
    assert keys[-1] == "2_empty.txt"  # moved last once the scan ended
    # The first batch, the first resize and the final order: not one per batch (8).
    assert len(rebuilds) <= 3


@pytest.mark.parametrize("cache", ["warm", "cold"])
async def test_tags_are_counted_only_where_an_annotation_file_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """Counts come from the store's cache of what each file held (issue 13): no annotation
    file is read at start when it fits; without it, only the tagged document's, by a worker."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, folder / seed.name)
    tagged = sorted(SEEDS.iterdir())[2].name
    doc = read_document(folder / tagged, folder)
    store = Store(tmp_path / "store", "tester")
    first = next(doc.all_sentences())
    store.add(doc, first.start, first.end, ["arms"])
    store.close()  # remembers what the document's file held
    if cache == "cold":
        (tmp_path / "store" / ".logs.json").unlink()
    asked: list[str] = []
    real = Store.count_and_release
    monkeypatch.setattr(
        Store, "count_and_release", lambda st, rel: asked.append(rel) or real(st, rel)
    )
    app = make_app([folder], tmp_path / "store", "app", "tester")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await scanned(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        counts = {item.rel: item.counts["arms"] for item in screen.items}
    assert counts[tagged] == 1 and sum(counts.values()) == 1
    # warm: nothing read; cold: the tagged document only (the four others have no file)
    assert asked == ([] if cache == "warm" else [tagged])
