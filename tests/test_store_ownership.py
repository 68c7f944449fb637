"""Ownership (issue 14): keys act on one's own annotation; another's changes only explicitly.

Two annotators share one store here, as after A's export was imported into B's store.
Every check reads A's record back from disk with a fresh instance, so that nothing the
writing instance holds in memory can hide a change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from store_support import news_doc

from reader.corpus import Document
from reader.errors import OwnershipError, UsageError
from reader.store import Annotation, Store, from_record, to_record
from tests.ui_support import SIZE, document, walked


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "annotations"


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return news_doc(tmp_path)


def on_disk(root: Path, ann_id: str) -> Annotation | None:
    """The annotation as a fresh instance reads it from disk."""
    fresh = Store(root, "checker")
    try:
        return next((a for a in fresh.all_annotations() if a.id == ann_id), None)
    finally:
        fresh.close()


@pytest.fixture
def a_tag(root: Path, doc: Document) -> Annotation:
    """A's annotation of [0, 4) with arms and a note."""
    store = Store(root, "A")
    ann = store.add(doc, 0, 4, ["arms"], note="A's note")
    store.close()
    return ann


def test_b_toggling_a_span_only_a_tagged_makes_b_an_annotation_of_its_own(
    root: Path, doc: Document, a_tag: Annotation
) -> None:
    b = Store(root, "B")
    mine = b.toggle_theme(doc, 0, 4, "sanctions")
    assert mine is not None and mine.id != a_tag.id
    assert (mine.annotator, mine.themes) == ("B", ["sanctions"])
    # toggling again acts on B's own annotation, never on A's
    assert b.toggle_theme(doc, 0, 4, "arms") == b.find_span(doc.rel, 0, 4, "B")
    assert b.toggle_theme(doc, 0, 4, "sanctions") is not None
    assert b.toggle_theme(doc, 0, 4, "arms") is None  # B's last theme: B's annotation goes
    assert on_disk(root, a_tag.id) == a_tag
    assert [a.annotator for a in Store(root, "checker").annotations(doc.rel)] == ["A"]


def test_b_note_and_delete_on_a_annotation_are_refused_and_change_nothing(
    root: Path, doc: Document, a_tag: Annotation
) -> None:
    b = Store(root, "B")
    with pytest.raises(OwnershipError, match="'A'"):
        b.set_note(a_tag.id, "B was here")
    with pytest.raises(OwnershipError):
        b.delete(a_tag.id)
    assert not b.undo()  # nothing was done, so there is nothing to undo
    assert on_disk(root, a_tag.id) == a_tag
    a = Store(root, "A")  # A's own keys still work
    assert a.set_note(a_tag.id, "edited by A").edits == []
    a.delete(a_tag.id)
    assert on_disk(root, a_tag.id) is None


def test_the_explicit_edit_changes_another_annotation_and_is_recorded(
    root: Path, doc: Document, a_tag: Annotation
) -> None:
    b = Store(root, "B")
    edited = b.edit(a_tag.id, themes=["arms", "china"], note="B's reading")
    stored = on_disk(root, a_tag.id)
    assert stored == edited
    assert (stored.annotator, stored.created) == ("A", a_tag.created)  # still A's
    assert (stored.themes, stored.note) == (["arms", "china"], "B's reading")
    [entry] = stored.edits
    assert entry == {
        "by": "B",
        "at": stored.updated,
        "changes": {
            "themes": {"from": ["arms"], "to": ["arms", "china"]},
            "note": {"from": "A's note", "to": "B's reading"},
        },
    }
    assert stored.updated > a_tag.updated
    # a second edit adds an entry; an edit that changes nothing writes nothing
    again = b.edit(a_tag.id, note="B's second reading")
    assert [e["changes"] for e in again.edits][1] == {
        "note": {"from": "B's reading", "to": "B's second reading"}
    }
    assert b.edit(a_tag.id, note="B's second reading") == again
    # undone, the record is A's again exactly as A left it (dates aside)
    assert b.undo() and b.undo()
    back = on_disk(root, a_tag.id)
    assert back is not None and back.copy(updated=a_tag.updated) == a_tag


def test_an_explicit_edit_of_ones_own_annotation_is_a_plain_edit(
    root: Path, doc: Document, a_tag: Annotation
) -> None:
    edited = Store(root, "A").edit(a_tag.id, themes=["troops"])
    assert edited.themes == ["troops"] and edited.edits == []


def test_edit_checks_its_themes(root: Path, doc: Document, a_tag: Annotation) -> None:
    b = Store(root, "B")
    for bad in ([], ["weather"]):
        with pytest.raises(UsageError):
            b.edit(a_tag.id, themes=bad)
    assert on_disk(root, a_tag.id) == a_tag


def test_reading_filters_by_annotator(root: Path, doc: Document, a_tag: Annotation) -> None:
    b = Store(root, "B")
    mine = b.add(doc, 0, 4, ["troops"])
    later = b.add(doc, 5, 12, ["arms"])
    assert [a.id for a in b.annotations(doc.rel)] == [a_tag.id, mine.id, later.id]
    assert [a.id for a in b.annotations(doc.rel, "A")] == [a_tag.id]
    assert [a.id for a in b.annotations(doc.rel, "B")] == [mine.id, later.id]
    assert [a.id for a in b.all_annotations("B")] == [mine.id, later.id]
    assert list(b.all_annotations("nobody")) == []
    # find_span: the given annotator's only; by default one's own first, else another's
    assert b.find_span(doc.rel, 0, 4) == mine
    assert b.find_span(doc.rel, 0, 4, "A") == a_tag
    assert Store(root, "C").find_span(doc.rel, 0, 4) == a_tag
    assert b.find_span(doc.rel, 5, 12, "A") is None


def test_edits_survive_the_record_round_trip_and_bad_ones_are_refused() -> None:
    ann = Annotation(
        "i", "a.txt", "0" * 64, 0, 3, "abc", "", "", ["arms"], "", "A", "t0", "t1",
        edits=[{"by": "B", "at": "t1", "changes": {"note": {"from": "", "to": "x"}}}],
    )  # fmt: skip
    record = to_record(ann)
    assert list(record)[-1] == "edits" and from_record(record) == ann
    assert "edits" not in to_record(ann.copy(edits=[]))  # schema 1 records stay as they were
    for bad in ("x", [{"by": "B"}], [{"by": "B", "at": "t", "changes": {"note": "x"}}]):
        with pytest.raises(ValueError, match="edit"):
            from_record({**record, "edits": bad})


async def test_in_the_app_b_pressing_a_theme_key_on_a_annotation_leaves_it_alone(
    tmp_path: Path,
) -> None:
    """The issue's report: ``reader open --annotator B``, ``3`` on A's annotation."""
    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen

    doc = document(tmp_path)
    first = walked(doc)[0]  # where the cursor starts: boilerplate is stepped over
    store_dir = tmp_path / "store"
    a = Store(store_dir, "A")
    theirs = a.add(doc, first.start, first.end, ["arms"])
    a.close()
    app = make_app([doc.path], store_dir, "app", "B", open_path=doc.path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.view.selection == first
        await pilot.press("3")
        await pilot.pause()
    assert on_disk(store_dir, theirs.id) == theirs
    mine = [a for a in Store(store_dir, "x").annotations(doc.rel) if a.annotator == "B"]
    assert [(m.start, m.end, m.themes) for m in mine] == [(first.start, first.end, ["sanctions"])]


async def test_an_unknown_theme_key_is_shown_as_such_and_the_document_stays_writable(
    tmp_path: Path,
) -> None:
    """Issue 12 item 7: an imported record's unknown key is kept, drawn grey as ``key?`` in
    the text, the panel and the status line, and the document is tagged as usual."""
    from reader.ui.app import make_app
    from reader.ui.screens.reader import ReaderScreen
    from reader.ui.theme_keys import UNKNOWN_THEME_COLOR
    from reader.ui.widgets.painting import tag_style
    from reader.ui.widgets.status_line import StatusLine

    doc = document(tmp_path)
    first = walked(doc)[0]  # where the cursor starts: boilerplate is stepped over
    store_dir = tmp_path / "store"
    made = Store(store_dir, "me").add(doc, first.start, first.end, ["arms"])
    Store(store_dir, "me").put(made.copy(themes=["economy"]))  # as reader import writes it
    app = make_app([doc.path], store_dir, "app", "me", open_path=doc.path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        status = screen.query_one("#reader-status", StatusLine).text
        assert "economy?" in status, status
        [entry] = [screen.panel.entry_lines(a)[0].plain for a in screen.annotations]
        assert "economy?" in entry
        paragraph = doc.paragraph_at(first.start)
        runs, _ = screen.view.marks.paint(paragraph.index, first.start, first.end, tag_style("red"))
        assert (first.start, first.end, tag_style(UNKNOWN_THEME_COLOR)) in runs
        await pilot.press("1")  # writable: the same annotation gets arms
        await pilot.pause()
    kept = Store(store_dir, "x").get(made.id)
    assert kept is not None and kept.themes == ["economy", "arms"]
    assert not any("read-only" in p for p in Store(store_dir, "x").problems)
