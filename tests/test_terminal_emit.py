"""The emission transforms keep every column and survive the terminal's own processing.

* ``marks_order`` against two models: UAX #9 over the row as a left-to-right paragraph
  (the reader's own engine, conformance-tested in test_uax9.py; VTE's implicit mode and
  Konsole reorder this way), and Konsole itself — ICU's bidi and ICU's Arabic shaping as
  Konsole calls them (tests/konsole_model.py). Each engine line must come back as it was,
  order and letter forms.
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

import konsole_model
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from konsole_model import konsole_row
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from reader.layout import layout_paragraph, ucd
from reader.layout.uax9 import resolve_levels, visual_order
from reader.terminal.emit import LRM, cells_of, mark_text, shape_text, shaper_order
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


# --- marks_order against Konsole -------------------------------------------------------


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


LOGICAL = [
    "تزايد", "القلق", "الشمالية", "لا", "إلا", "اتّحاد", "مُدّة", "بوتين", "٢٠١٩", "٣٫٥٪", "2019",
    "3.5%", "Reuters", "CIA", "(", ")", "«", "»", "،", ".", "-", ":", " ", " ", " ", "الـ",
]  # fmt: skip
paragraphs = st.lists(st.sampled_from(LOGICAL), min_size=1, max_size=25).map("".join)


def engine_lines(text: str) -> list[str]:
    return [line.text() for line in layout_paragraph(text, 30)]


@given(paragraphs)
@example("اتّحاد ٢٠١٩ بوتين (Reuters) إلا")
def test_marks_order_survives_a_uax9_terminal(text: str) -> None:
    for line in engine_lines(text):
        sent = mark_text(line)
        assert cell_len(sent) == cell_len(line)
        assert terminal_row(sent) == line


@pytest.mark.skipif(not konsole_model.AVAILABLE, reason="no ICU library (libicuuc)")
@given(paragraphs)
@example("عزلتها الشمالية القلق")
@example("اتّحاد ٢٠١٩ بوتين")
def test_konsole_shows_the_engines_line_shaped_as_the_engine_shaped_it(text: str) -> None:
    # A word too long for the line is broken inside; Konsole shapes the letter at the break
    # from the row alone (no neighbour on the next row), so its form differs there.
    assume(all(len(word) < 28 for word in text.split()))
    for line in engine_lines(text):
        assert konsole_row(mark_text(line)) == line


@pytest.mark.skipif(not konsole_model.AVAILABLE, reason="no ICU library (libicuuc)")
def test_the_konsole_model_fails_the_plain_line_and_marks_on_every_letter() -> None:
    line = engine_lines("عزلتها الشمالية")[0]
    assert konsole_row(line) != line  # reversed, and reshaped backwards
    # A mark after every letter keeps the order but breaks the joining: isolated forms.
    each = "".join(c + LRM if ucd.CLASS_MAP[ord(c[0])] == "A" else c for c in cells_of(line))
    shown = konsole_row(each)
    assert shown != line and unicodedata.normalize("NFKC", shown) == unicodedata.normalize(
        "NFKC", line
    )


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


def test_marks_strip_reverses_words_keeps_widths_and_ends_segments_at_marks() -> None:
    red = Style(color="red")
    strip = Strip([Segment("ﺏﺕ abc", red), Segment(" ﻻ")])
    out = marks_strip(strip)
    assert out.cell_length == strip.cell_length == cell_len(out.text)
    assert out.text == "ﺕﺏ" + LRM + " abc ﻻ" + LRM
    # A partial update cropped after a word keeps the word's mark.
    assert out.crop(0, 2).text == "ﺕﺏ" + LRM


def test_emitter_passes_strips_without_rtl_and_reuses_rewritten_ones() -> None:
    emitter = Emitter(Strategy.SHAPER)
    plain = Strip([Segment("hello")])
    assert emitter.strip(plain) is plain
    arabic = Strip([Segment("ﺏﺕ")])
    first = emitter.strip(arabic)
    assert first.text == "ﺕﺏ" and emitter.strip(Strip([Segment("ﺏﺕ")])) is first
