"""Long runs of combining marks (issue 12, items 2 and 12): linear work, whole clusters.

Seen: ``ب`` + 100,000 × U+0651 took 16 s in ``reader show`` and a million hung the app —
the shaping made one pass over the paragraph per transparent character. Asserted here on
the work done, never on the clock (the times are in bench/bench_marks.py): the Python lines
the layout runs for a paragraph do not grow with the length of a run of marks (the C passes
are linear), what is drawn stays invariant, and a cell draws at most
``MAX_DRAWN_MARKS`` of them. The app, given a million marks, draws a bounded line and quits
on ctrl+q.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from reader.layout import BidiMode, clear_caches, layout_paragraph
from reader.layout.clusters import MAX_DRAWN_MARKS
from reader.layout.sanitize import DOTTED_CIRCLE
from reader.ui.app import make_app

from .strategies import ARABIC_MARKS, OTHER_MARKS, fuzz_settings, hostile_paragraph
from .test_fuzz import _check_line

LAYOUT = str(Path(__file__).resolve().parents[2] / "reader" / "layout")
MARKS = ARABIC_MARKS.replace("\u0640", "") + OTHER_MARKS  # tatweel is a letter, not a mark
#: What a run of marks may sit on: a joining letter, a lam before an alef, Latin, a space,
#: a joiner, a wide character, nothing at all (the paragraph's start), a placeholder.
BASES = ["ب", "ل", "لا", "a", " ", "ب\u200c", "ب\u200d", "中", "", "\x1b", "\u202e"]
EXPLICIT = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Python lines per code point of UAX #9's general path (X1–X10, the run sequences).
PER_CHARACTER_LINES = 24


@contextmanager
def counting_lines() -> Iterator[list[int]]:
    """Count the Python lines run in reader/layout while the block runs."""
    count = [0]

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if not frame.f_code.co_filename.startswith(LAYOUT):
            return None
        if event == "line":
            count[0] += 1
        return tracer

    sys.settrace(tracer)
    try:
        yield count
    finally:
        sys.settrace(None)


def lines_run(text: str, mode: BidiMode, width: int) -> int:
    """Python lines run to lay out ``text``, build the cells of its first 30 lines and map an
    offset of each to its column."""
    clear_caches()
    layout_paragraph(text, width, mode)  # the alphabet meets these characters once
    clear_caches()
    with counting_lines() as count:
        for line in layout_paragraph(text, width, mode)[:30]:
            line.cells  # noqa: B018 - building the cells is the work measured
            line.column_of(line.start)  # …and the maps from offsets to columns
    return count[0]


mark_run = st.tuples(
    st.sampled_from(BASES),
    st.lists(st.sampled_from(list(MARKS)), min_size=1, max_size=6),  # the run's pattern
    st.integers(1, 10**5),  # its length
)


@fuzz_settings(25)
@given(
    hostile_paragraph.map(lambda s: s[:30]),
    mark_run,
    hostile_paragraph.map(lambda s: s[:30]),
    st.sampled_from(list(BidiMode)),
    st.integers(2, 100),
)
@example("قال ", ("ب", ["\u0651"], 10**5), " هنا", BidiMode.APP, 80)
@example("", ("ب", ["\u0651", "\u064e"], 10**5), "", BidiMode.TERMINAL, 80)
def test_a_run_of_marks_costs_no_python_per_mark(
    before: str, run: tuple[str, list[str], int], after: str, mode: BidiMode, width: int
) -> None:
    base, pattern, length = run
    explicit = EXPLICIT.search(before + base + after) is not None
    if explicit:
        length = min(length, 3000)  # traced line by line: keep it short
    marks = ("".join(pattern) * (length // len(pattern) + 1))[:length]
    text = before + base + marks + after
    short = before + base + marks[: 2 * MAX_DRAWN_MARKS] + after
    # Past the cap a longer run adds C work only: the same Python lines, give or take a few.
    # Paragraphs with embeddings or isolates take UAX #9's general path, which runs X1–X10
    # in Python per code point: linear, a bounded number of lines per mark.
    per_mark = PER_CHARACTER_LINES if explicit else 0
    extra = per_mark * max(0, len(marks) - 2 * MAX_DRAWN_MARKS)
    assert lines_run(text, mode, width) <= lines_run(short, mode, width) + 40 + extra
    lines = layout_paragraph(text, width, mode)
    assert lines[0].start == 0 and lines[-1].end == len(text)
    for line in lines[:30]:
        _check_line(line, len(text), width, mode)
        for cell in line.cells:
            drawn = cell.text.lstrip(DOTTED_CIRCLE)
            assert len(drawn) <= 1 + MAX_DRAWN_MARKS + 4, (len(drawn), cell.start)  # a tab: 4


def test_the_marks_past_the_cap_stay_in_their_cell() -> None:
    text = "ب" + "\u0651" * 1000 + " هنا"
    line = layout_paragraph(text, 80)[0]
    cell = next(c for c in line.cells if c.start == 0)
    assert (cell.start, cell.end) == (0, 1001)  # every mark belongs to the letter's cell…
    assert cell.text == "ﺏ" + "\u0651" * MAX_DRAWN_MARKS  # …and 30 of them are drawn
    assert line.column_of(777) == line.column_of(0)
    assert 500 not in line.hidden


async def test_the_app_draws_a_million_marks_bounded_and_quits(tmp_path: Path) -> None:
    path = tmp_path / "marks.txt"
    path.write_text("ب" + "\u0651" * 10**6 + "\nسطر ثان\n", "utf-8")
    app = make_app([path], tmp_path / "store", "app", "tester", open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.view  # type: ignore[attr-defined]
        strip = view.render_line(0)
        assert strip.cell_length <= 100
        drawn = "".join(segment.text for segment in strip)
        assert 0 < drawn.count("\u0651") <= MAX_DRAWN_MARKS
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    assert not app.is_running
