"""Clusters the layout must keep whole, and override placeholders beside their runs
(issue 12, item 12).

Seen: the kasra of ``دل‌ِگرفته`` (after a ZWNJ) split off onto a dotted circle; ``👨‍💻`` in
right-to-left text split at its ZWJ and reversed; the RLO placeholder drawn away from the
run it reorders. Expected, per UAX #29: ZWNJ and ZWJ are Extend (GB9), so a mark after
them stays in the cluster before them; an emoji ZWJ sequence is one cluster (GB11), never
split nor reordered. The bidi levels themselves are untouched (BidiCharacterTest and the
FriBidi goldens are in tests/test_uax9.py and tests/test_layout.py).
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from reader.layout import BidiMode, Cell, VisualLine, layout_paragraph
from reader.layout.sanitize import BIDI_CONTROL_GLYPHS, DOTTED_CIRCLE

from .strategies import ARABIC_LETTERS, fuzz_settings
from .test_fuzz import _check_line

MODES = list(BidiMode)
ZWNJ, ZWJ = "\u200c", "\u200d"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
EMOJI_SEQUENCES = [
    "👨\u200d💻",  # man technologist
    "👩\u200d👩\u200d👧\u200d👦",  # family
    "❤\ufe0f\u200d🔥",  # heart on fire (VS16 before the ZWJ)
    "🏳\ufe0f\u200d🌈",  # rainbow flag
    "🧑\U0001f3fd\u200d🚀",  # astronaut, skin tone (Extend) before the ZWJ
]


def _cells(text: str, mode: BidiMode) -> list[tuple[VisualLine, int]]:
    """Every (line, cell index) of the paragraph at a generous width."""
    lines = layout_paragraph(text, 200, mode)
    for line in lines:
        _check_line(line, len(text), 200, mode)
    return [(line, k) for line in lines for k in range(len(line.cells))]


def _cell_of(text: str, offset: int, mode: BidiMode) -> tuple[VisualLine, int]:
    return next((ln, k) for ln, k in _cells(text, mode) if _holds(ln.cells[k], offset))


def _holds(cell: Cell, offset: int) -> bool:
    return cell.start <= offset < cell.end


def test_the_kasra_after_a_zwnj_stays_on_its_letter() -> None:
    text = "دل\u200cِگرفته"
    for mode in MODES:
        line, k = _cell_of(text, 3, mode)  # the kasra
        cell = line.cells[k]
        assert DOTTED_CIRCLE not in line.text()
        assert (cell.start, cell.end) == (1, 4)  # lam, ZWNJ, kasra: one cluster
        assert cell.text.endswith("\u0650") and cell.width == 1


@fuzz_settings(200)
@given(
    st.text(ARABIC_LETTERS, min_size=1, max_size=5),
    st.text(ZWNJ + ZWJ, min_size=1, max_size=3),
    st.text(HARAKAT, min_size=1, max_size=3),
    st.text(ARABIC_LETTERS + " ", max_size=5),
    st.sampled_from(MODES),
)
def test_a_mark_after_joiners_is_never_orphaned(
    word: str, joiners: str, marks: str, rest: str, mode: BidiMode
) -> None:
    text = word + joiners + marks + rest
    first_mark = len(word) + len(joiners)
    line, k = _cell_of(text, first_mark, mode)
    cell = line.cells[k]
    assert cell.start == len(word) - 1  # the cell of the letter before the joiners
    assert DOTTED_CIRCLE not in cell.text
    assert marks[0] in cell.text


def test_a_mark_after_a_joiner_at_the_start_still_gets_a_carrier() -> None:
    """Nothing before the joiner: the mark has no cluster to join (GB9 needs one)."""
    line = layout_paragraph(ZWNJ + "\u0650ب", 80)[0]
    assert DOTTED_CIRCLE in line.text()


@fuzz_settings(60)
@given(
    st.sampled_from(EMOJI_SEQUENCES),
    st.text(ARABIC_LETTERS + " ", max_size=12),
    st.text(ARABIC_LETTERS + " ", max_size=12),
    st.sampled_from(MODES),
)
@example("👨\u200d💻", "قال ", " هنا", BidiMode.APP)
def test_an_emoji_zwj_sequence_is_one_cell_in_order(
    emoji: str, before: str, after: str, mode: BidiMode
) -> None:
    text = before + emoji + after
    line, k = _cell_of(text, len(before), mode)
    cell = line.cells[k]
    assert (cell.start, cell.end) == (len(before), len(before) + len(emoji))
    assert cell.text == emoji and cell.width == 2
    assert emoji in line.text()  # whole, in logical order, wherever the line puts it


# --- override placeholders --------------------------------------------------------------

OPENERS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO
PDF = "\u202c"
word = st.text(ARABIC_LETTERS[:10] + "abcxyz123", min_size=1, max_size=4)
words = st.lists(word, max_size=3).map(" ".join)


@fuzz_settings(300)
@given(words, st.sampled_from(OPENERS), word, words, st.booleans(), st.booleans())
@example("abc قال", "\u202e", "def", "ghi", False, True)
@example("قال", "\u202d", "abc", "هنا", True, True)
def test_override_placeholders_are_drawn_beside_their_run(
    before: str, opener: str, run: str, after: str, closed: bool, fallback_rtl: bool
) -> None:
    text = (before + " " if before else "") + opener + run + (PDF if closed else "")
    text += " " + after if after else ""
    start = text.index(opener)
    line = layout_paragraph(text, 200, BidiMode.APP, fallback_rtl)[0]
    columns = _columns(line)
    opener_col, first_col = columns[start], columns[start + 1]
    assert line.cells[_index(line, start)].text == BIDI_CONTROL_GLYPHS[opener]
    # The opener's placeholder touches the run's first character…
    assert abs(opener_col - first_col) == 1, line.text()
    if closed:  # …and the PDF's its last.
        pdf_col, last_col = columns[start + 1 + len(run)], columns[start + len(run)]
        assert abs(pdf_col - last_col) == 1, line.text()


def _columns(line: VisualLine) -> dict[int, int]:
    """Each cell's first offset → its first screen column."""
    columns, col = {}, line.indent
    for cell in line.cells:
        columns[cell.start] = col
        col += cell.width
    return columns


def _index(line: VisualLine, offset: int) -> int:
    return next(k for k, cell in enumerate(line.cells) if cell.start == offset)
