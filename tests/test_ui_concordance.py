"""Pilot tests of the concordance: search every document, open at a hit, tag from the list."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot

from reader.kwic import context, kwic
from reader.ui.app import ReaderApp, make_app
from reader.ui.screens.concordance import ConcordanceScreen, sentence_of
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reader import ReaderScreen
from tests.ui_support import SEEDS, corpus, stored

NAMES = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))
PYONGYANG = re.compile(r"ب[يی]ون[غج]\s+[يی]ان[غج]")
SIZE = (120, 36)


def app_on_seeds(tmp_path: Path) -> ReaderApp:
    return make_app([corpus(tmp_path, NAMES)], tmp_path / "store", "app", "tester")


def expected_hits(tmp_path: Path) -> list[tuple[str, int, int]]:
    found = []
    for name in NAMES:
        text = (tmp_path / "corpus" / name).read_text(encoding="utf-8")
        found += [(name, m.start(), m.end()) for m in PYONGYANG.finditer(text)]
    return found


async def concordance(pilot: Pilot[None], query: str) -> ConcordanceScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("c")
    screen = pilot.app.screen
    assert isinstance(screen, ConcordanceScreen)
    await pilot.press(*query, "enter")
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if screen.hits:
            break
    return screen


async def test_the_concordance_lists_every_hit_of_every_document(tmp_path: Path) -> None:
    app = app_on_seeds(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await concordance(pilot, "بيونج يانج")
        expected = expected_hits(tmp_path)
        assert [(h.rel, h.start, h.end) for h in screen.hits] == expected
        header = screen.query_one("#concordance-header").text  # type: ignore[attr-defined]
        assert header.startswith(f"{len(expected)} hits in 5 documents")
        # Each row is the engine's concordance line: the hit in the middle, in visual order.
        table = screen.table
        width = table.column_width("kwic")
        first = screen.hits[0]
        text = (tmp_path / "corpus" / first.rel).read_text(encoding="utf-8")
        line = kwic(context(text, first.start, first.end, width // 2 + 8), width)
        cell = table.get_cell("0", "kwic")
        assert cell.plain == line.text()
        hit_style = [span for span in cell.spans if span.style and "reverse" in str(span.style)]
        assert hit_style and abs((hit_style[0].start + hit_style[0].end) / 2 - width / 2) <= 1


async def test_enter_opens_the_document_at_the_hit(tmp_path: Path) -> None:
    app = app_on_seeds(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await concordance(pilot, "بيونج يانج")
        await pilot.press("down", "down", "down")
        hit = screen.hits[3]
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.document.rel == hit.rel
        selection = reader.view.selection
        assert selection.start <= hit.start < selection.end  # the hit's sentence
        assert reader.hits[reader.hit_index].start == hit.start  # n / N go on from there
        await pilot.press("q")
        assert app.screen is screen  # back to the list
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_marked_hits_get_their_sentences_tagged_and_untagged(tmp_path: Path) -> None:
    app = app_on_seeds(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await concordance(pilot, "بيونج يانج")
        await pilot.press("space", "down", "space")  # mark hits 0 and 2
        assert screen.marked == {0, 2}
        await pilot.press("1")
        await pilot.pause()
        documents = {h.rel: screen._document(h.entry) for h in screen.hits}
        wanted = set()
        for row in (0, 2):
            hit = screen.hits[row]
            document = documents[hit.rel]
            assert document is not None
            span = sentence_of(document, hit.start)
            wanted.add((hit.rel, document.text[span.start : span.end], span.start, span.end))
        got = {
            (name, quote, start, end)
            for name in NAMES
            for quote, start, end, themes, _ in stored(tmp_path, name)
            if themes == ["arms"]
        }
        assert got == wanted
        await pilot.press("1")  # all have it now: taken from all
        await pilot.pause()
        assert all(not stored(tmp_path, name) for name in NAMES)
        # Without marks, the digit tags the cursor's hit.
        await pilot.press("asterisk", "asterisk")  # every hit marked, then none
        assert screen.marked == set()
        await pilot.press("2")
        hit = screen.hits[screen.table.cursor_row]
        assert [t for _, s, _, t, _ in stored(tmp_path, hit.rel) if s <= hit.start] == [["troops"]]
