"""Hypothesis strategies for hostile text, and the settings every fuzz test uses.

The settings are a plain object applied per test (not a global profile), so
they add to whatever the rest of the suite configures: derandomized and
database-less, so CI sees the same examples on every run.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from .fixtures import BIDI_CONTROLS, CONTROL_CHARS, ESCAPES, NEEDED_MARKS


def fuzz_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


#: Code points next to the surrogate block, specials and noncharacters.
EDGE_CODE_POINTS = (
    "\u2028\u2029\ud7ff\ue000\ufffd\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffff\u00ad\ufeff"
)
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ"
ARABIC_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
OTHER_MARKS = "\u0301\u0308\u20dd\u0e31"
WIDE = "中文字\U0001f600\u3000"
ESCAPE_PIECES = [seq for seq, _ in ESCAPES.values()] + ["\x1b[", "\x1b]", "\x1b", "\x9b", "\x07"]

#: One "atom" of hostile text: single interesting characters or whole sequences.
hostile_atom = st.one_of(
    st.sampled_from(list(ARABIC_LETTERS + " " * 6 + "\t")),
    st.sampled_from(CONTROL_CHARS),
    st.sampled_from(list(BIDI_CONTROLS + NEEDED_MARKS)),
    st.sampled_from(list(ARABIC_MARKS + OTHER_MARKS)),
    st.sampled_from(list(EDGE_CODE_POINTS)),
    st.sampled_from(list(WIDE)),
    st.sampled_from(ESCAPE_PIECES),
    st.sampled_from(["abc", "123", "(", ")", "[", "]", "«", "»", "لا", "لأ"]),
    st.characters(exclude_categories=["Cs"]),
    # very long runs: the same character many times, no spaces
    st.tuples(
        st.sampled_from(["ب", "a", "\u0651", "\x1b", "\u202e", "中", "-"]), st.integers(20, 400)
    ).map(lambda p: p[0] * p[1]),
)

#: One paragraph of hostile text (no newline: the layout works per paragraph).
hostile_paragraph = (
    st.lists(hostile_atom, max_size=40)
    .map("".join)
    .map(lambda s: s.replace("\n", " ").replace("\r", " "))
)

#: A hostile document: several paragraphs.
hostile_text = st.lists(hostile_paragraph, min_size=1, max_size=6).map("\n".join)

#: Notes an analyst (or an imported file) may bring: markup, formulas, escapes, surrogates.
NASTY_NOTES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "[link](javascript:alert(1))",
    "# heading\n- item\n1. one",
    "\x1b]52;c;SGVsbG8=\x07",
    "\ud800 lone surrogate",
    "",
]
note_text = st.one_of(
    st.sampled_from(NASTY_NOTES),
    hostile_paragraph,
    st.lists(st.sampled_from(NASTY_NOTES) | hostile_paragraph, max_size=3).map("\n".join),
)

#: Relative document paths as a store may receive them (including hostile ones).
doc_names = st.one_of(
    st.just("doc.txt"),
    st.sampled_from(
        ["../../up.txt", "/abs/path.txt", "a/b/../../../c.txt", "..", "", "\x1b]0;t\x07.txt"]
    ),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
)
