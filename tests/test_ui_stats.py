"""The statistics screen's heat map: every document listed (those without a tag too), and
``enter`` on a cell opens that document at the theme's first passage."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.corpus import read_document
from reader.export.stats import ALL
from reader.store import Store
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.reader import ReaderScreen
from reader.ui.screens.stats import TOTAL, StatsScreen
from tests.test_ui_library import loaded
from tests.ui_support import SEEDS, corpus, walked

NAMES = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))
TAGGED = NAMES[2]
SIZE = (120, 36)


def tagged_app(tmp_path: Path) -> tuple[ReaderApp, list[tuple[int, int, list[str]]]]:
    """The five seeds; one of them tagged: sentence 3 arms, 5 china, 8 arms + china."""
    folder = corpus(tmp_path, NAMES)
    doc = read_document(folder / TAGGED, folder)
    spans = walked(doc)
    tags = [(spans[3].start, spans[3].end, ["arms"]), (spans[5].start, spans[5].end, ["china"])]
    tags.append((spans[8].start, spans[8].end, ["arms", "china"]))
    store = Store(tmp_path / "store", "tester")
    for start, end, themes in tags:
        store.add(doc, start, end, themes)
    store.close()
    return make_app([folder], tmp_path / "store", "app", "tester"), tags


async def stats_screen(pilot: Pilot[None], app: ReaderApp) -> StatsScreen:
    await loaded(app)
    await pilot.press("s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StatsScreen) and screen.stats is not None
    return screen


async def test_documents_without_tags_are_listed(tmp_path: Path) -> None:
    app, _ = tagged_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await stats_screen(pilot, app)
        assert screen.stats is not None and screen.stats.docs == list(NAMES)
        rows = [key.value for key in screen.table.rows]
        assert rows == [*NAMES, TOTAL]
        untagged = [n for n in NAMES if n != TAGGED]
        assert all(screen.stats.count(n, ALL) == 0 for n in untagged)
        assert screen.table.get_cell(NAMES[0], "arms").plain.strip() == "0 0.0%"
        status = str(screen.query_one("#stats-status").render())
        assert "3 passages in 1 of 5 documents" in status
        await pilot.press("escape")


@pytest.mark.parametrize(("theme", "first"), [("china", 1), ("arms", 0), (ALL, 0)])
async def test_enter_on_a_cell_opens_the_document_at_the_themes_first_passage(
    tmp_path: Path, theme: str, first: int
) -> None:
    app, tags = tagged_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await stats_screen(pilot, app)
        table = screen.table
        table.move_cursor(row=NAMES.index(TAGGED), column=table.get_column_index(theme))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.document.rel == TAGGED
        start, end, _ = tags[first]
        assert (reader.view.selection.start, reader.view.selection.end) == (start, end)
        if theme != ALL:
            assert reader.followed == theme  # } goes on to its next passage
            await pilot.press("right_curly_bracket")
            later = next(t for t in tags[first + 1 :] if theme in t[2])
            assert (reader.view.selection.start, reader.view.selection.end) == later[:2]
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen  # back to the statistics


async def test_enter_on_a_document_without_the_theme_opens_it_and_says_so(
    tmp_path: Path,
) -> None:
    app, _ = tagged_app(tmp_path)
    told: list[str] = []
    app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await stats_screen(pilot, app)
        table = screen.table
        table.move_cursor(row=NAMES.index(TAGGED), column=table.get_column_index("sanctions"))
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.document.rel == TAGGED
        assert "no Sanctions passage in this document" in told
