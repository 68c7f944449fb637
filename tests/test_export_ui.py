"""The export dialog and the statistics screen, driven with the keyboard (Pilot)."""

from __future__ import annotations

from pathlib import Path

from export_support import SEED_A, build_store, load_data
from textual.app import App
from textual.widgets import Checkbox, Input, Label, Select

from reader.corpus import collect
from reader.export.stats import compute
from reader.layout import BidiMode, layout_line
from reader.store import Store
from reader.ui.screens.export import ExportScreen
from reader.ui.screens.stats import StatsScreen

GOLDEN = Path(__file__).resolve().parent / "golden" / "export"


class Host(App[None]):
    """An empty app that shows one screen, as the library would push it."""

    def __init__(self, screen_factory) -> None:
        super().__init__()
        self.screen_factory = screen_factory
        self.result: object = "not dismissed"

    def on_mount(self) -> None:
        def done(result: object) -> None:
            self.result = result

        self.push_screen(self.screen_factory(), done)


async def test_export_dialog_writes_in_a_worker_and_refuses_to_clobber(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path)
    entries, _ = collect([corpus])
    store = Store(store_dir, "tester")
    target = tmp_path / "out.csv"
    app = Host(lambda: ExportScreen(store, entries))
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            dialog = app.screen
            dialog.query_one("#export-format", Select).value = "csv"
            await pilot.pause()
            field = dialog.query_one("#export-file", Input)
            assert field.value == "annotations-export.csv"  # followed the format
            field.value = str(target)
            field.focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.result == target
        assert target.read_bytes() == (GOLDEN / "fixed.excel.csv").read_bytes()  # the default

        target.write_text("precious", "utf-8")
        app = Host(lambda: ExportScreen(store, entries))
        async with app.run_test(size=(100, 40)) as pilot:
            dialog = app.screen
            dialog.query_one("#export-file", Input).value = str(target)
            dialog.query_one("#export-file", Input).focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = dialog.query_one("#export-status", Label)
            assert status.has_class("-error")
            assert "already exists" in str(status.render())
            assert app.screen is dialog  # still open, to fix the name
            await pilot.press("escape")
            assert app.result is None
        assert target.read_text("utf-8") == "precious"
    finally:
        store.close()


async def test_a_file_name_alone_goes_to_the_stores_exports_folder(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path)
    entries, _ = collect([corpus])
    store = Store(store_dir, "tester")
    told: list[str] = []
    app = Host(lambda: ExportScreen(store, entries))
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    expected = (store_dir / "exports" / "report.csv").resolve()
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            dialog = app.screen
            dialog.query_one("#export-format", Select).value = "csv"
            dialog.query_one("#export-file", Input).value = "report.csv"
            await pilot.pause()
            shown = str(dialog.query_one("#export-where", Label).render())
            assert str(expected) in shown  # the full path, while typing
            dialog.query_one("#export-file", Input).focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.result == expected
        assert expected.read_bytes() == (GOLDEN / "fixed.excel.csv").read_bytes()
        assert told == [f"Wrote 9 passages to {expected}"]
        app = Host(lambda: ExportScreen(store, entries))  # unticked: plain CSV
        async with app.run_test(size=(100, 40)) as pilot:
            dialog = app.screen
            dialog.query_one("#export-format", Select).value = "csv"
            await pilot.pause()
            dialog.query_one("#export-excel", Checkbox).value = False
            dialog.query_one("#export-file", Input).value = "plain.csv"
            dialog.query_one("#export-file", Input).focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        plain = store_dir / "exports" / "plain.csv"
        assert plain.read_bytes() == (GOLDEN / "fixed.csv").read_bytes()
    finally:
        store.close()


async def test_the_export_dialog_fits_80x24(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path)
    store = Store(store_dir, "tester")
    app = Host(lambda: ExportScreen(store, collect([corpus])[0]))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen.region
            for widget_id in ("export-format", "export-file", "export-themes", "export-run"):
                region = app.screen.query_one(f"#{widget_id}").region
                assert region.height and screen.contains_region(region), widget_id
    finally:
        store.close()


async def test_stats_screen_shows_the_same_figures_as_reader_stats(tmp_path: Path) -> None:
    store_dir, corpus = build_store(tmp_path)
    entries, _ = collect([corpus])
    expected = compute(load_data(store_dir, corpus))
    store = Store(store_dir, "tester")
    app = Host(lambda: StatsScreen(store, entries))
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StatsScreen) and screen.stats is not None
            assert screen.stats.counts == expected.counts
            assert screen.stats.covered == expected.covered
            assert screen.stats.cooccurrence == expected.cooccurrence
            status = str(screen.query_one("#stats-status", Label).render())
            assert "9 passages in 4 documents; 1 orphaned" in status
            # Titles through the layout engine: visual order, shaped, never the logical string.
            table = screen.table
            title = expected.titles[SEED_A]
            shown = table.get_cell(SEED_A, "document").plain
            assert shown == layout_line(title, table.columns["document"].width).text()
            assert title not in shown
            # Cells are tinted by share: the hostile document's china cell is the hottest.
            hostile, seed = table.get_cell("hostile.txt", "china"), table.get_cell(SEED_A, "china")
            assert hostile.style != seed.style
            await pilot.press("escape")
            assert app.result is None
    finally:
        store.close()


async def test_export_dialog_shows_an_arabic_file_name_in_visual_order(tmp_path: Path) -> None:
    from reader.ui.widgets.bidi_input import BidiInput

    store_dir, corpus = build_store(tmp_path)
    store = Store(store_dir, "tester")
    name = "تقرير الأسلحة.csv"
    app = Host(lambda: ExportScreen(store, collect([corpus])[0]))
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            app.screen.query_one("#export-file", Input).value = name
            await pilot.pause()
            preview = app.screen.query_one(BidiInput).preview
            assert preview.text == name
            shown = str(preview.render())
            assert layout_line(name, None, BidiMode.APP).text() in shown
            assert name not in shown  # not the logical order
    finally:
        store.close()
