"""Scraper boilerplate in the reader: dimmed, stepped over by the keys and by suggestions;
``b`` shows it as text. The detection itself is tested in ``tests/test_boilerplate.py``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textual.pilot import Pilot

from reader.boilerplate import Boilerplate
from reader.ui.app import make_app
from reader.ui.widgets.status_line import StatusLine
from tests.test_ui_suggestions import mode_on
from tests.ui_support import SIZE, document, reader_app, screen, view, walked

#: A line the lexicons would suggest (arms, sanctions) were it not a tags line.
TAGS_LINE = "كلمات دلالية: صواريخ باليستية عقوبات أسلحة"


def paragraph(pilot: Pilot[None]) -> int:
    v = view(pilot)
    return v.document.paragraph_at(v.selection.start).index


async def test_the_keys_step_over_boilerplate_and_b_shows_it(tmp_path: Path) -> None:
    doc = document(tmp_path)
    boilerplate = Boilerplate.of(doc)
    assert 0 in boilerplate  # "Sorry, you need to enable JavaScript…"
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        assert view(pilot).selection == walked(doc)[0]  # the title, not the JavaScript line
        visited = {paragraph(pilot)}
        for _ in range(len(walked(doc))):
            await pilot.press("j")
            visited.add(paragraph(pilot))
        assert visited and not visited & set(boilerplate.indexes())
        await pilot.press("G")
        assert paragraph(pilot) < doc.paragraph_count - 1  # the closing links come after
        await pilot.press("b", "g")
        assert paragraph(pilot) == 0  # shown: a sentence like the others
        status = screen(pilot).query_one("#reader-status", StatusLine).text
        assert "boilerplate shown (b)" in status
        await pilot.press("b", "g")
        assert paragraph(pilot) != 0


async def test_boilerplate_is_drawn_dimmed_until_shown(tmp_path: Path) -> None:
    async with reader_app(tmp_path).run_test(size=SIZE) as pilot:
        await pilot.press("j")  # the cursor off the title, which sits below the line
        await pilot.pause()
        v = view(pilot)

        def colours(row: int) -> set[object]:
            return {s.style.color for s in v.render_line(row) if s.style and s.text.strip()}

        top = v.row_of(0) - int(v.scroll_offset.y)
        title = v.row_of(walked(v.document)[0].start) - int(v.scroll_offset.y)
        dimmed, plain = colours(top), colours(title)
        assert dimmed and plain and dimmed.isdisjoint(plain)
        await pilot.press("b")
        await pilot.pause()
        assert colours(top) == plain


async def test_suggestions_leave_boilerplate_out(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "tags.txt"
    body = "صواريخ باليستية وأسلحة جديدة في الترسانة، والعقوبات تتوسع."
    path.write_text(f"عنوان الخبر\n{TAGS_LINE}\n{body}\n", encoding="utf-8")
    app = make_app([path], tmp_path / "store", "app", "tester", open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await mode_on(pilot)
        state = screen(pilot).suggesting.state
        assert state is not None
        lines = {view(pilot).document.paragraph_at(s.start).index for s in state.suggestions}
        assert 2 in lines and 1 not in lines  # the article's sentence, not the tags line
    done = subprocess.run(
        [sys.executable, "-m", "reader", "suggest", str(path), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    quotes = [json.loads(line)["quote"] for line in done.stdout.splitlines()]
    assert quotes and TAGS_LINE not in quotes
