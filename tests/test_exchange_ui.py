"""The exchange formats in the app's export dialog: listed, and written like the command."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from export_support import build_store
from test_export_ui import GOLDEN, Host
from textual.widgets import Input, Select

from reader.corpus import collect
from reader.export import FORMATS
from reader.store import Store
from reader.ui.screens.export import FORMAT_LABELS, ExportScreen


def golden_tree(name: str) -> dict[str, bytes]:
    folder = GOLDEN / name
    return {m: (folder / m).read_bytes() for m in (folder / "ORDER").read_text().splitlines()}


@pytest.mark.parametrize(("fmt", "default"), [("qdpx", "annotations-export.qdpx"),
                                              ("brat", "annotations-export")])  # fmt: skip
async def test_export_dialog_writes_qdpx_and_brat(fmt: str, default: str, tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path)
    entries, _ = collect([corpus])
    store = Store(store_dir, "tester")
    target = tmp_path / ("out.qdpx" if fmt == "qdpx" else "out-brat")
    app = Host(lambda: ExportScreen(store, entries))
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            dialog = app.screen
            select = dialog.query_one("#export-format", Select)
            assert set(FORMAT_LABELS) == set(FORMATS)
            for offered in FORMATS:  # every format is an option (else Select refuses it)
                select.value = offered
            select.value = fmt
            await pilot.pause()
            field = dialog.query_one("#export-file", Input)
            assert field.value == default  # the name followed the format
            field.value = str(target)
            field.focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.result == target
    finally:
        store.close()
    expected = golden_tree(f"fixed.{fmt}")
    if fmt == "qdpx":
        with zipfile.ZipFile(target) as archive:
            assert {i.filename: archive.read(i) for i in archive.infolist()} == expected
    else:
        assert {p.relative_to(target).as_posix(): p.read_bytes()
                for p in target.rglob("*") if p.is_file()} == expected  # fmt: skip
