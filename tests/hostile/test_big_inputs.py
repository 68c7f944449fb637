"""A 1 MB line, 100,000 empty lines, text with no spaces: laid out without stalling.

Asserted on what the program *does*, not on the clock: how many paragraphs are laid out
and how many lines get their cells built (the costly part: reordering, shaping, cells)
for one screen. Timings, if wanted, belong in bench/.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.layout import BidiMode, VisualLine, clear_caches, layout_paragraph
from reader.layout import engine as layout_engine
from reader.ui.app import make_app
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets import document_rows

from .fixtures import big_line, many_empty_lines, no_spaces

SIZE = (100, 30)


class Counter:
    """Wraps a function and counts its calls."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def cell_builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    """Counts the lines whose cells are built (the engine builds them only when asked)."""
    clear_caches()
    counter = Counter(layout_engine._build_cells)
    monkeypatch.setattr(layout_engine, "_build_cells", counter)
    yield counter
    clear_caches()


def _check_lines(lines: tuple[VisualLine, ...], n: int, width: int) -> None:
    assert lines[0].start == 0 and lines[-1].end == n
    assert all(a.end == b.start for a, b in itertools.pairwise(lines))
    for line in lines[:: max(1, len(lines) // 50)]:  # a sample, spread over the paragraph
        assert line.width <= width


@pytest.mark.parametrize("mode", list(BidiMode))
@pytest.mark.parametrize("make", [big_line, no_spaces], ids=["1MB-line", "no-spaces"])
def test_a_huge_paragraph_is_wrapped_whole_but_built_only_where_drawn(
    cell_builds: Counter, make: Callable[[], str], mode: BidiMode
) -> None:
    text = make().rstrip("\n")
    width = 80
    lines = layout_paragraph(text, width, mode)
    assert cell_builds.calls == 0  # wrapping alone builds no cells
    # every line is full but the last: the wrap breaks where it must, even with no space
    assert len(lines) <= math.ceil(len(text) / (width // 2)) + 1
    screen = lines[:30]
    assert all(line.cells for line in screen)
    assert cell_builds.calls == 30  # one screenful drawn, one screenful built
    _check_lines(lines, len(text), width)
    # the sampled lines were built on demand, never the whole paragraph
    assert cell_builds.calls <= 30 + 51 < len(lines)


async def _open(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "big.txt"
    path.write_text(text, "utf-8")
    return make_app([path], tmp_path / "store", "app", "tester", open_path=path)


@pytest.mark.parametrize(
    "make",
    [big_line, many_empty_lines, no_spaces],
    ids=["1MB-line", "100k-empty-lines", "no-spaces"],
)
async def test_the_reader_lays_out_only_the_visible_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell_builds: Counter, make: Callable[[], str]
) -> None:
    paragraphs = Counter(document_rows.layout_paragraph)
    monkeypatch.setattr(document_rows, "layout_paragraph", paragraphs)
    app = await _open(tmp_path, make())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        count = view.document.paragraph_count
        rows = SIZE[1]
        # opening lays out a screenful of paragraphs and builds a screenful of lines
        assert 0 < paragraphs.calls <= 3 * rows
        assert 0 < cell_builds.calls <= 3 * rows
        # scrolling to the end lays out the end, not everything in between
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        assert count - 1 in view.rows.laid_out
        assert paragraphs.calls <= 6 * rows
        assert cell_builds.calls <= 6 * rows
        if count > 1000:
            assert len(view.rows.laid_out) < count // 100
