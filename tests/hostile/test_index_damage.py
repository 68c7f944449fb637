"""The library index (``<store>/.index.json``) is a cache anyone can edit: a damaged one is
rebuilt, never a crash, and its titles reach the screen drawn, not obeyed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.corpus import collect
from reader.index import INDEX_NAME, LibraryIndex
from reader.ui.app import make_app

from .fixtures import ARABIC, ESC


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"doc{n}.txt").write_text(f"{ARABIC}\n٢٠٢٤-٠٣-0{n + 1}\n", "utf-8")
    store = tmp_path / "store"
    index = LibraryIndex(store)
    entries, _ = collect([corpus])
    index.scan(entries)
    assert (store / INDEX_NAME).is_file()
    return corpus, store


def _edit(store: Path, change: str) -> None:
    path = store / INDEX_NAME
    if change == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
        return
    if change == "truncated":
        path.write_bytes(path.read_bytes()[:40])
        return
    data = json.loads(path.read_bytes())
    for record in data["files"].values():
        if change == "bad_date":
            record["date"] = "2026-13-45"
        elif change == "hostile_title":
            record["title"] = f"{ESC}]0;HXINDEXTITLE\x07 [/bold] [@click=app.quit]x[/]"
        elif change == "wrong_types":
            record["size"] = "big"
    path.write_text(json.dumps(data), "utf-8")


CHANGES = ["deep", "truncated", "bad_date", "hostile_title", "wrong_types"]


@pytest.mark.parametrize("change", CHANGES)
def test_a_damaged_index_is_rebuilt_not_a_crash(library: tuple[Path, Path], change: str) -> None:
    corpus, store = library
    _edit(store, change)
    index = LibraryIndex(store)
    index.load()  # no exception
    entries, _ = collect([corpus])
    records = [r for batch in index.batches(entries) for _, r in batch]
    assert len(records) == 3
    for record in records:
        assert record.day is None or record.day.year == 2024  # a readable date, or none


@pytest.mark.parametrize("change", CHANGES)
async def test_the_library_opens_on_a_damaged_index(
    library: tuple[Path, Path], change: str
) -> None:
    corpus, store = library
    _edit(store, change)
    app = make_app([corpus], store, "app", "tester")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("o", "o", "o")  # every sort order touches titles, dates and sizes
        await pilot.pause()
