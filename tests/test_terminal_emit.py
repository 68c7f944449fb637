"""The emission transforms keep every column and survive the terminal's own processing.

* ``add_marks`` against a model of Konsole (and VTE's implicit mode): UAX #9 run over the
  row as a left-to-right paragraph (the reader's own UAX #9 engine, conformance-tested in
  test_uax9.py). With the marks, no character may move.
* ``shaper_order`` against a model of kitty 0.26 written from its source (fonts.c:
  ``render_line`` cuts runs at blank cells, box-drawing cells and font changes;
  HarfBuzz's ``guess_segment_properties`` takes the direction of the first character of
  a real script; RTL runs come out reversed and mirrored) — a model independent of the
  implementation: scripts are read from character names here, not bidi classes.

What the terminals really do is checked on screen by tests/terminals/.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Sequence

from hypothesis import assume, example, given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from reader.layout import layout_paragraph, ucd
from reader.layout.uax9 import resolve_levels, visual_order
from reader.terminal.emit import LRM, add_marks, cells_of, shape_text, shaper_order
from reader.terminal.strategy import Strategy
from reader.ui.emission import Emitter, marks_strip, shaper_strip

PIECES = [
    "ﻦﻴﺗﻮﺑ", "ﺎًﻔﻟﺎﺤﺗ", "ﻻ", "ﺮﻴﻤﻳﺩﻼﻓ", "بوتين", "سلام", "٢٠١٩", "2019", "Reuters", "(", ")",
    "[", "«", "»", " ", " ", "  ", "-", ".", "،", "ِ", "ّ", "‌", "▌", "x", "אבג",
]  # fmt: skip
# The engine never starts a line with a bare mark (it draws one on a dotted circle).
lines = (
    st.lists(st.sampled_from(PIECES), max_size=30)
    .map("".join)
    .filter(lambda t: not t or cell_len(t[0]) == 1)
)


# --- add_marks against a UAX #9 terminal ------------------------------------------------


def terminal_row(text: str) -> str:
    """What a terminal running UAX #9 over the row (LTR paragraph) shows, marks dropped.

    The terminal reorders cells: a cell's class is its first character's, and the
    zero-width characters after it (harakat, the LRM) are stored with it. The LRM still
    takes part in the algorithm, right after its cell.
    """
    cells = cells_of(text)
    if not cells:
        return text
    items: list[tuple[str, int | None]] = []  # (character the algorithm sees, cell index)
    for i, cell in enumerate(cells):
        items.append((cell[0], i))
        if LRM in cell:
            items.append((LRM, None))
    levels, _ = resolve_levels("".join(ch for ch, _ in items), base_level=0)
    order = [items[k][1] for k in visual_order(levels)]
    return "".join(cells[i] for i in order if i is not None).replace(LRM, "")


@given(lines)
@example("ﺏ ﺕ(ﻻ) 2019 ﻦﻴﺗﻮﺑ")
@example("٢٠١٩ ﺏ")
def test_marks_leave_a_bidi_terminal_nothing_to_reorder(text: str) -> None:
    marked = add_marks(text)
    assert marked.replace(LRM, "") == text
    assert cell_len(marked) == cell_len(text)
    assert terminal_row(marked) == text


def test_without_marks_the_model_does_reorder() -> None:
    # The model can fail: unmarked Arabic comes back reversed, as Konsole shows it.
    assert terminal_row("ﺏﺕﺙ ﺝﺡﺥ") == "ﺥﺡﺝ ﺙﺕﺏ"


def test_a_mark_follows_the_harakat_of_its_letter() -> None:
    assert add_marks("ﺑَ") == "ﺑَ" + LRM
    assert add_marks("abc 123") == "abc 123"  # nothing right-to-left: untouched


# --- shaper_order against a model of kitty -----------------------------------------------


def script_direction(ch: str) -> str | None:
    """'rtl', 'ltr' or None (no script: digits, punctuation, marks, spaces), from the name."""
    name = unicodedata.name(ch, "")
    if name.startswith(("ARABIC-INDIC DIGIT", "EXTENDED ARABIC-INDIC DIGIT")):
        return "rtl"
    if unicodedata.category(ch)[0] in "NPZSM" or ch in "\u200c\u200d":
        return None
    if name.startswith(("ARABIC", "HEBREW")):
        return "rtl"
    return "ltr" if unicodedata.category(ch)[0] == "L" else None


def kitty_runs(cells: Sequence[tuple[str, Hashable]]) -> list[tuple[int, int]]:
    """[start, end) of each run kitty shapes on its own."""
    runs = []
    i = 0
    while i < len(cells):
        first = cells[i][0][0]
        if first in " \t" or "\u2500" <= first <= "\u259f":
            i += 1
            continue
        j = i + 1
        while j < len(cells) and cells[j][1] == cells[i][1]:
            c = cells[j][0][0]
            if c in " \t" or "\u2500" <= c <= "\u259f":
                break
            j += 1
        runs.append((i, j))
        i = j
    return runs


def direction(run: Sequence[str]) -> str:
    found = (d for cell in run for ch in cell if (d := script_direction(ch)) is not None)
    return next(found, "ltr")


def kitty_shows(cells: Sequence[tuple[str, Hashable]]) -> list[str]:
    """kitty 0.26's rendering of cells: per run, HarfBuzz's order and mirroring."""
    out = [text for text, _ in cells]
    for i, j in kitty_runs(cells):
        run = out[i:j]
        if direction(run) == "rtl":
            out[i:j] = [(ucd.mirror(c[0]) or c[0]) + c[1:] for c in reversed(run)]
    return out


def showable(cells: Sequence[tuple[str, Hashable]]) -> bool:
    """Whether kitty can show these cells at all: a run that starts (on screen) with a
    right-to-left letter and ends with a left-to-right one cannot be sent either way."""
    texts = [t for t, _ in cells]
    return not any(
        direction(texts[i:j]) == "rtl" and direction(texts[i:j][::-1]) == "ltr"
        for i, j in kitty_runs(cells)
    )


@given(lines, st.lists(st.booleans(), max_size=40))
@example("ﻦﻴﺗﻮﺑ (ﻻ) 2019-ﺮﺒﻤﻓﻮﻧ-01 ▌ﺏ", [])
def test_kitty_shows_what_the_layout_engine_drew(text: str, bold: list[bool]) -> None:
    cells = [(cell, bold[i] if i < len(bold) else False) for i, cell in enumerate(cells_of(text))]
    assume(showable(cells))
    sent = shaper_order(cells)
    assert [cell_len(t) for t in sent] == [cell_len(t) for t, _ in cells]
    assert kitty_shows(list(zip(sent, [k for _, k in cells], strict=True))) == [t for t, _ in cells]


def test_without_the_transform_kitty_reverses_each_word() -> None:
    line = layout_paragraph("تحالف روسيا (وكوريا)", 40)[0].text().strip()
    cells = [(c, None) for c in cells_of(line)]
    assert "".join(kitty_shows(cells)) != line  # the model can fail
    assert "".join(kitty_shows([(c, None) for c in cells_of(shape_text(line))])) == line


def test_a_run_kitty_cannot_show_is_known() -> None:
    # Arabic then Latin with no blank between them, on screen: sent reversed, the run starts
    # with a Latin letter and kitty lays it out left to right; sent as it is, right to left.
    cells = [(c, None) for c in cells_of("ﺏﺕabc")]
    assert not showable(cells)
    assert kitty_shows(list(zip(shaper_order(cells), [None] * 5, strict=True))) != [
        t for t, _ in cells
    ]


def test_a_dateline_run_is_reversed_whole_digits_included() -> None:
    # "2019-ﺮﺒﻤﻓﻮﻧ-01" is one run with an Arabic letter in it: HarfBuzz reverses it all.
    assert shape_text("2019-ﺮﺒﻤﻓﻮﻧ-01") == "10-ﻧﻮﻓﻤﺒﺮ-9102"
    assert shape_text("Reuters 2019") == "Reuters 2019"


# --- the emitter on Textual strips ----------------------------------------------------------


def test_shaper_strip_moves_characters_and_keeps_each_columns_style() -> None:
    red, blue = Style(color="red"), Style(color="blue")
    strip = Strip([Segment("ﺏﺕ", red), Segment("ﺙ ", blue), Segment("ab", red)])
    out = shaper_strip(strip)
    assert out.cell_length == strip.cell_length
    assert [(s.text, s.style) for s in out] == [("ﺙﺕ", red), ("ﺏ ", blue), ("ab", red)]


def test_bold_splits_a_kitty_run() -> None:
    bold = Style(bold=True)
    strip = Strip([Segment("ﺏﺕ"), Segment("ﺙﺝ", bold)])
    assert "".join(s.text for s in shaper_strip(strip)) == "ﺕﺏﺝﺙ"


def test_marks_strip_keeps_widths() -> None:
    strip = Strip([Segment("ﺏﺕ abc", Style(color="red")), Segment(" ﻻ")])
    out = marks_strip(strip)
    assert out.cell_length == strip.cell_length == cell_len(out.text)
    assert out.text.replace(LRM, "") == strip.text and out.text.count(LRM) == 3


def test_emitter_passes_strips_without_rtl_and_reuses_rewritten_ones() -> None:
    emitter = Emitter(Strategy.SHAPER)
    plain = Strip([Segment("hello")])
    assert emitter.strip(plain) is plain
    arabic = Strip([Segment("ﺏﺕ")])
    first = emitter.strip(arabic)
    assert first.text == "ﺕﺏ" and emitter.strip(Strip([Segment("ﺏﺕ")])) is first
