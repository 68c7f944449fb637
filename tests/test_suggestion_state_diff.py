"""Suggestion mode kept up to date by difference: the same as recomputing everything.

A session of tags, edits, orphans, deletions and rejections; after each step the state
updated by difference must equal a state computed from scratch, and the document view's
marks, updated by identity, must equal marks made afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus import Document, read_document
from reader.store import Annotation
from reader.store.themes import default_themes
from reader.suggest import Suggestion
from reader.ui.suggestions import SuggestionState
from reader.ui.widgets.document_marks import Marks

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_0430b5cc33e0e526.txt"
DOC: Document = read_document(SEED)
SENTENCES = list(DOC.all_sentences())[:30]
KEYS = [t.key for t in default_themes()]
WHEN = "2026-01-01T00:00:00.000Z"
SUGGESTED = [
    Suggestion(DOC.rel, s.start, s.end, tuple(KEYS[i % 4 : i % 4 + 1 + i % 2]), 1.0)
    for i, s in enumerate(SENTENCES)
    if i % 3 != 2
]


class Rejected:
    """The part of Rejections the state uses, in memory."""

    def __init__(self) -> None:
        self.rejected: set[tuple[int, int]] = set()

    def spans(self, doc: Document) -> set[tuple[int, int]]:
        return set(self.rejected)

    def reject(self, doc: Document, sugg: Suggestion) -> None:
        self.rejected.add((sugg.start, sugg.end))


def shown(state: SuggestionState) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(s.start, s.end, s.themes) for s in state.open]


steps = st.lists(
    st.tuples(
        st.sampled_from(["tag", "theme", "orphan", "delete", "reject", "outside"]),
        st.integers(min_value=0, max_value=7),  # few places: each one changes often
        st.integers(min_value=0, max_value=3),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(steps)
def test_updates_by_difference_equal_a_fresh_computation(
    session: list[tuple[str, int, int]],
) -> None:
    rejected = Rejected()
    state = SuggestionState(DOC, SUGGESTED, rejected)  # type: ignore[arg-type]
    marks = Marks(DOC, list(default_themes()))
    current: dict[str, Annotation] = {}
    made = 0
    for what, where, theme in session:
        span = SENTENCES[where]
        key = f"at-{where}"
        old = current.get(key)
        if what == "reject":
            sugg = state.at(span)
            if sugg is not None:
                state.reject(sugg)
        elif what in ("tag", "outside") and old is None:
            start, end = (span.start, span.end) if what == "tag" else (span.start, span.end - 1)
            made += 1
            current[key] = Annotation(
                f"id-{made}", DOC.rel, DOC.sha256, start, end, "q", "", "", [KEYS[theme]], "",
                "t", WHEN, WHEN, "anchored",
            )  # fmt: skip
        elif old is not None and what == "theme":
            current[key] = old.copy(themes=[*old.themes, KEYS[theme]])
        elif old is not None and what == "orphan":
            current[key] = old.copy(status="orphaned")
        elif old is not None and what == "delete":
            del current[key]
        listing = sorted(current.values(), key=lambda a: (a.start, a.end))
        state.update(listing)
        fresh = SuggestionState(DOC, SUGGESTED, rejected)  # type: ignore[arg-type]
        fresh.update(listing)
        assert shown(state) == shown(fresh)
        assert state.counts == fresh.counts
        marks.set_suggestions(state.open)
        afresh = Marks(DOC, list(default_themes()))
        afresh.set_suggestions(list(state.open))
        assert painted(marks) == painted(afresh)


def painted(marks: Marks) -> dict[int, list[Any]]:
    return {
        index: [(s.start, s.end, s.themes) for s in found]
        for index, found in marks.suggestions_by_paragraph.items()
        if found
    }


def test_an_accept_keeps_the_other_open_objects() -> None:
    state = SuggestionState(DOC, SUGGESTED, Rejected())  # type: ignore[arg-type]
    state.update([])
    before = list(state.open)
    target = before[3]
    tagged = Annotation(
        "x", DOC.rel, DOC.sha256, target.start, target.end, "q", "", "", list(target.themes),
        "", "t", WHEN, WHEN, "anchored",
    )  # fmt: skip
    state.update([tagged])
    assert state.open == before[:3] + before[4:]
    assert all(a is b for a, b in zip(state.open, before[:3] + before[4:], strict=True))
    assert state.counts.accepted == 1
