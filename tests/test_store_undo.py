"""Undo and redo with a second instance writing in between (issue 12, item 5).

Two instances of one annotator (the app in two windows, or the app and ``reader tag``):
an undo in one reverts only what that instance changed, field by field, and refuses
with a message when the other changed the same thing since — it never silently reverts
the other's later change (before, ``_replay`` wrote back the whole earlier record).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import news_doc

from reader.corpus import Document
from reader.errors import StoreError
from reader.store import Annotation, Store


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return news_doc(tmp_path)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Store, Store]:
    """Two instances of one annotator on one store."""
    return Store(tmp_path / "store", "me"), Store(tmp_path / "store", "me")


def fresh(store: Store, ann: Annotation) -> Annotation | None:
    """The annotation as a third instance reads it from disk."""
    return Store(store.root, "reader").get(ann.id)


def test_undoing_a_toggle_keeps_the_note_another_instance_set(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    a.toggle_theme(doc, 0, 4, "china")
    b.set_note(made.id, "B's note")
    assert a.undo()
    now = fresh(a, made)
    assert now is not None and (now.themes, now.note) == (["arms"], "B's note")


def test_undoing_a_note_keeps_the_theme_another_instance_toggled(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    a.set_note(made.id, "A's note")
    b.toggle_theme(doc, 0, 4, "troops")
    assert a.undo()
    now = fresh(a, made)
    assert now is not None and (now.themes, now.note) == (["arms", "troops"], "")


def test_two_instances_toggling_different_themes_undo_only_their_own(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    a.toggle_theme(doc, 0, 4, "china")
    b.toggle_theme(doc, 0, 4, "troops")
    assert a.undo()
    now = fresh(a, made)
    assert now is not None and now.themes == ["arms", "troops"]
    assert a.redo()
    now = fresh(a, made)
    assert now is not None and now.themes == ["arms", "troops", "china"]


def test_undoing_a_toggle_of_an_annotation_another_instance_deleted_is_refused(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    a.toggle_theme(doc, 0, 4, "china")
    b.delete(made.id)
    with pytest.raises(StoreError, match="deleted by another instance"):
        a.undo()
    assert fresh(a, made) is None  # not brought back
    assert a.undo()  # the history moved past it: the add is next (already gone: nothing to do)
    assert fresh(a, made) is None


def test_undoing_a_note_another_instance_changed_again_is_refused(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    a.set_note(made.id, "A's note")
    b.set_note(made.id, "B's note")
    with pytest.raises(StoreError, match="note was changed by another instance"):
        a.undo()
    now = fresh(a, made)
    assert now is not None and now.note == "B's note"


def test_undoing_an_add_that_another_instance_annotated_since_is_refused(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    b.set_note(made.id, "B's note")
    with pytest.raises(StoreError, match="changed by another instance"):
        a.undo()
    now = fresh(a, made)
    assert now is not None and now.note == "B's note"


def test_undoing_a_delete_restores_the_annotation_unless_it_came_back(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"], note="n")
    a.delete(made.id)
    assert a.undo()
    now = fresh(a, made)
    assert now is not None and (now.themes, now.note) == (["arms"], "n")
    a.delete(made.id)
    b.put(made.copy(note="put back by B"))  # the same id, back with other content
    with pytest.raises(StoreError, match="made again by another instance"):
        a.undo()
    now = fresh(a, made)
    assert now is not None and now.note == "put back by B"


def test_a_refused_undo_is_one_line_and_writes_nothing(
    pair: tuple[Store, Store], doc: Document
) -> None:
    a, b = pair
    made = a.add(doc, 0, 4, ["arms"])
    a.set_note(made.id, "A")
    b.set_note(made.id, "B")
    files = sorted(a.root.rglob("*.jsonl"))
    before = [p.read_bytes() for p in files]
    with pytest.raises(StoreError) as caught:
        a.undo()
    assert "\n" not in str(caught.value) and "nothing written" in str(caught.value)
    assert [p.read_bytes() for p in files] == before


STEP = st.one_of(
    st.tuples(st.just("toggle"), st.integers(0, 2), st.sampled_from(["arms", "troops", "china"])),
    st.tuples(st.just("note"), st.integers(0, 2), st.none()),
    st.tuples(st.just("delete"), st.integers(0, 2), st.none()),
)
SPANS = [(0, 4), (5, 12), (13, 20)]


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(mine=st.lists(STEP, max_size=6), theirs=st.lists(STEP, max_size=6))
def test_undo_never_reverts_what_the_other_instance_wrote(
    tmp_path_factory: pytest.TempPathFactory,
    mine: list[tuple[str, int, str | None]],
    theirs: list[tuple[str, int, str | None]],
) -> None:
    """A changes things, B changes things after, A undoes all it can: every note B wrote is
    still there, on an annotation that still exists."""
    tmp = tmp_path_factory.mktemp("undo")
    doc = news_doc(tmp)
    a, b = Store(tmp / "store", "me"), Store(tmp / "store", "me")
    for start, end in SPANS:
        a.add(doc, start, end, ["arms"])
    a_history = Store(tmp / "store", "me")  # A's changes from here on are undone
    for store, steps, tag in ((a_history, mine, "A"), (b, theirs, "B")):
        for n, (kind, which, theme) in enumerate(steps):
            start, end = SPANS[which]
            ann = store.find_span(doc.rel, start, end)
            if kind == "toggle" and theme is not None:
                store.toggle_theme(doc, start, end, theme)
            elif kind == "note" and ann is not None:
                store.set_note(ann.id, f"{tag}{n}")
            elif kind == "delete" and ann is not None:
                store.delete(ann.id)
    notes_by_b = {
        ann.id: ann.note
        for ann in Store(tmp / "store", "x").annotations(doc.rel)
        if ann.note[:1] == "B"
    }
    while a_history.can_undo:
        with contextlib.suppress(StoreError):  # refused: the other instance changed it since
            a_history.undo()
    after = {ann.id: ann.note for ann in Store(tmp / "store", "x").annotations(doc.rel)}
    for ann_id, note in notes_by_b.items():
        assert after.get(ann_id) == note


def test_undoing_everything_of_one_instance_ends_where_it_began(
    pair: tuple[Store, Store], doc: Document
) -> None:
    """An undone toggle gives the themes back as they were, order included (the fuzz test
    found an undo that put the key at the end, and the add's undo then refused)."""
    a, _ = pair
    made = a.add(doc, 0, 4, ["troops", "arms", "china"])
    a.toggle_theme(doc, 0, 4, "arms")
    assert a.undo()
    assert fresh(a, made).themes == ["troops", "arms", "china"]  # type: ignore[union-attr]
    assert a.undo()  # the add: the annotation goes
    assert fresh(a, made) is None
