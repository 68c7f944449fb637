"""The document view's tags by paragraph: updated by diff, equal to listing them afresh."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus import Document, read_document
from reader.store import Annotation
from reader.store.themes import default_themes
from reader.ui.widgets.document_marks import DIFF_LIMIT, Marks

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_0430b5cc33e0e526.txt"
DOC: Document = read_document(SEED)
THEMES = list(default_themes())
KEYS = [t.key for t in THEMES]
TEXT_LENGTH = len(DOC.text)


def ann(number: int, start: int, length: int, themes: list[str]) -> Annotation:
    start = min(start, TEXT_LENGTH - 1)
    end = min(TEXT_LENGTH, start + 1 + length)
    when = f"2026-01-01T00:00:{number % 60:02d}.000Z"
    return Annotation(
        f"id-{number:03d}", DOC.rel, DOC.sha256, start, end, DOC.text[start:end], "", "",
        themes, "", "tester", when, when, "anchored",
    )  # fmt: skip


def fresh(annotations: list[Annotation]) -> Marks:
    marks = Marks(DOC, THEMES)
    marks._listing = list(annotations)
    marks._list_afresh()
    return marks


def painted(marks: Marks, index: int) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(a.start, a.end, tuple(a.themes)) for a in marks.by_paragraph.get(index, [])]


steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "theme", "move", "orphan", "delete"]),
        st.integers(min_value=0, max_value=9),
        st.integers(min_value=0, max_value=TEXT_LENGTH),
        st.integers(min_value=0, max_value=1500),  # up to several paragraphs
    ),
    max_size=50,
)


@settings(max_examples=150, deadline=None)
@given(steps)
def test_diffs_paint_what_listing_afresh_paints(session: list[tuple[str, int, int, int]]) -> None:
    marks = Marks(DOC, THEMES)
    current: dict[str, Annotation] = {}
    for what, number, start, length in session:
        key = f"id-{number:03d}"
        old = current.get(key)
        if old is None:
            if what != "add":
                continue
            current[key] = ann(number, start, length, [KEYS[number % 4]])
        elif what == "theme":
            current[key] = old.copy(themes=[*old.themes, KEYS[(number + 1) % 4]])
        elif what == "move":
            current[key] = ann(number, start, length, old.themes)
        elif what == "orphan":
            current[key] = old.copy(status="orphaned")
        else:
            del current[key]
        before = {i: painted(marks, i) for i in range(DOC.paragraph_count)}
        listing = sorted(current.values(), key=lambda a: (a.start, a.end, a.created))
        changed = marks.set_annotations(listing)
        reference = fresh(listing)
        assert marks.by_paragraph == reference.by_paragraph
        assert marks.annotations == reference.annotations
        for index in range(DOC.paragraph_count):
            if painted(marks, index) != before[index]:
                assert index in changed  # every paragraph drawn differently is redrawn


def test_many_changes_at_once_list_every_paragraph_afresh() -> None:
    marks = Marks(DOC, THEMES)
    many = [ann(i, 37 * i, 20, [KEYS[i % 4]]) for i in range(DIFF_LIMIT + 1)]
    changed = marks.set_annotations(many)
    assert marks.by_paragraph == fresh(many).by_paragraph
    assert changed == set(marks.by_paragraph)
    assert marks.set_annotations([]) == changed and marks.by_paragraph == {}


def test_paragraphs_of_agrees_with_paragraph_at() -> None:
    marks = Marks(DOC, THEMES)
    for start in range(0, TEXT_LENGTH, 97):
        for end in (start + 1, start + 400, TEXT_LENGTH):
            first = DOC.paragraph_at(start).index
            last = DOC.paragraph_at(max(start, end - 1)).index
            assert marks.paragraphs_of(start, end) == range(first, last + 1)
