"""Resume: documents reopen where they were left; untouched, in progress or done in the library."""

from __future__ import annotations

import json
from pathlib import Path

from reader.corpus import read_document
from reader.reading import READING_FILE, ReadingLog, State
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.status_line import StatusLine
from tests.test_ui_library import loaded
from tests.ui_support import SIZE, corpus, walked

NAMES = ("000_0430b5cc33e0e526.txt", "002_691f64315ff478ca.txt")


def app(tmp_path: Path) -> ReaderApp:
    return make_app([corpus(tmp_path, NAMES)], tmp_path / "store", "app", "tester")


def sentences(tmp_path: Path, name: str = NAMES[0]) -> list[tuple[int, int]]:
    corpus(tmp_path, NAMES)
    doc = read_document(tmp_path / "corpus" / name, tmp_path / "corpus")
    return [(s.start, s.end) for s in walked(doc)]


async def open_first(pilot: object, reader_app: ReaderApp) -> ReaderScreen:
    await pilot.press("enter")  # type: ignore[attr-defined]
    await reader_app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = reader_app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def state_marks(library: LibraryScreen) -> dict[str, str]:
    from reader.ui.widgets.document_table import DocumentTable

    table = library.query_one(DocumentTable)
    return {key: table.get_cell(key, "state").plain for key in table.row_keys}


async def test_a_document_reopens_where_it_was_left_in_this_and_the_next_session(
    tmp_path: Path,
) -> None:
    expected = sentences(tmp_path)[5]
    first = app(tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        library, _ = await loaded(first)
        assert state_marks(library) == {NAMES[0]: "·", NAMES[1]: "·"}  # untouched
        reader = await open_first(pilot, first)
        await pilot.press(*"jjjjj")
        assert (reader.view.selection.start, reader.view.selection.end) == expected
        await pilot.press("q")
        await pilot.pause()
        assert state_marks(library) == {NAMES[0]: "◐", NAMES[1]: "·"}  # in progress
        header = library.query_one("#library-header", StatusLine).text
        assert " · 1 in progress · " in header and "done" not in header
        reader = await open_first(pilot, first)
        assert (reader.view.selection.start, reader.view.selection.end) == expected
    saved = json.loads((tmp_path / "store" / READING_FILE).read_text(encoding="utf-8"))
    assert saved["documents"][NAMES[0]]["offset"] == expected[0]
    second = app(tmp_path)  # a new session: from the file
    async with second.run_test(size=SIZE) as pilot:
        await loaded(second)
        reader = await open_first(pilot, second)
        assert (reader.view.selection.start, reader.view.selection.end) == expected


async def test_x_marks_done_in_the_reader_and_the_library(tmp_path: Path) -> None:
    reader_app = app(tmp_path)
    async with reader_app.run_test(size=SIZE) as pilot:
        library, _ = await loaded(reader_app)
        reader = await open_first(pilot, reader_app)
        await pilot.press("x")
        assert reader.query_one("#reader-status", StatusLine).text.endswith("done")
        await pilot.press("q")
        await pilot.pause()
        assert state_marks(library)[NAMES[0]] == "✓"
        assert " · 1 done · " in library.query_one("#library-header", StatusLine).text
        await pilot.press("x")  # in the library: back in progress
        await pilot.pause()
        assert state_marks(library)[NAMES[0]] == "◐"
    assert ReadingLog(tmp_path / "store").state(NAMES[0]) is State.IN_PROGRESS


async def test_a_damaged_positions_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / READING_FILE).write_bytes(b"{not json")
    first_sentence = sentences(tmp_path)[0]
    reader_app = app(tmp_path)
    async with reader_app.run_test(size=SIZE) as pilot:
        await loaded(reader_app)
        reader = await open_first(pilot, reader_app)
        assert (reader.view.selection.start, reader.view.selection.end) == first_sentence
        await pilot.press("j", "q")
        await pilot.pause()
    saved = json.loads((store / READING_FILE).read_text(encoding="utf-8"))
    assert saved["documents"][NAMES[0]]["offset"] == sentences(tmp_path)[1][0]


def test_the_log_merges_other_instances_clamps_and_skips_bad_entries(tmp_path: Path) -> None:
    one, two = ReadingLog(tmp_path), ReadingLog(tmp_path)
    one.seen("a.txt", 10)
    two.seen("b.txt", 20)
    assert one.save() and two.save()  # two read one's entry before writing its own
    three = ReadingLog(tmp_path)
    assert (three.offset("a.txt", 100), three.offset("b.txt", 100)) == (10, 20)
    assert three.offset("b.txt", 5) == 4  # the text got shorter
    assert three.offset("c.txt", 5) is None and three.state("c.txt") is State.UNTOUCHED
    body = json.loads((tmp_path / READING_FILE).read_text(encoding="utf-8"))
    body["documents"]["bad.txt"] = {"offset": -3, "done": "yes"}
    (tmp_path / READING_FILE).write_text(json.dumps(body), encoding="utf-8")
    assert ReadingLog(tmp_path).state("bad.txt") is State.UNTOUCHED
    assert ReadingLog(tmp_path).state("a.txt") is State.IN_PROGRESS


def test_a_read_only_store_keeps_positions_in_memory_only(tmp_path: Path) -> None:
    log = ReadingLog(tmp_path, read_only=True)
    log.seen("a.txt", 3)
    assert not log.save() and not (tmp_path / READING_FILE).exists()
    assert log.offset("a.txt", 10) == 3
