"""The suggestion mode's pure state: open/accepted/rejected, and ``<store>/suggestions.json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus import Document, Span, read_document
from reader.errors import StoreError
from reader.store import Annotation, Store
from reader.suggest import Suggestion
from reader.ui.suggestions import REJECTIONS_FILE, Rejections, SuggestionState

ROOT = Path(__file__).resolve().parent.parent
TEXT = "الصواريخ هنا. لا شيء. العقوبات والصين. نهاية.\n"


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    path = tmp_path / "corpus" / "doc.txt"
    path.parent.mkdir()
    path.write_text(TEXT, "utf-8")
    return read_document(path, path.parent)


def sugg(doc: Document, start: int, end: int, *themes: str) -> Suggestion:
    return Suggestion(doc.rel, start, end, themes, float(len(themes)))


def spans(doc: Document) -> list[Span]:
    return list(doc.all_sentences())


def tag(store: Store, doc: Document, span: Span, *themes: str) -> Annotation:
    return store.add(doc, span.start, span.end, list(themes))


def test_open_accepted_rejected_follow_the_annotations(doc: Document, tmp_path: Path) -> None:
    first, _, third, fourth = spans(doc)
    made = [
        sugg(doc, first.start, first.end, "arms"),
        sugg(doc, third.start, third.end, "sanctions", "china"),
        sugg(doc, fourth.start, fourth.end, "troops"),
    ]
    rejections = Rejections(tmp_path / "store")
    state = SuggestionState(doc, made, rejections)
    state.update([])
    assert [(s.start, s.themes) for s in state.open] == [
        (first.start, ("arms",)),
        (third.start, ("sanctions", "china")),
        (fourth.start, ("troops",)),
    ]
    store = Store(tmp_path / "store", "t")
    try:
        done = tag(store, doc, first, "arms", "troops")  # carries every suggested theme
        partial = tag(store, doc, third, "china")  # one of two
        state.update([done, partial])
        assert [(s.start, s.themes) for s in state.open] == [
            (third.start, ("sanctions",)),  # only what accepting would add
            (fourth.start, ("troops",)),
        ]
        assert (state.counts.open, state.counts.accepted, state.counts.rejected) == (2, 1, 0)
        rejections.reject(doc, made[2])
        orphan = done.copy(status="orphaned")  # an orphan's span says nothing
        state.update([orphan, partial])
        assert [s.start for s in state.open] == [first.start, third.start]
        assert (state.counts.open, state.counts.accepted, state.counts.rejected) == (2, 0, 1)
    finally:
        store.close()


def test_at_and_step(doc: Document, tmp_path: Path) -> None:
    first, second, third, fourth = spans(doc)
    state = SuggestionState(
        doc,
        [sugg(doc, s.start, s.end, "arms") for s in (first, third, fourth)],
        Rejections(tmp_path / "store"),
    )
    state.update([])
    found = state.at(third)
    assert found is not None and (found.start, found.end) == (third.start, third.end)
    inside = state.at(Span(third.start + 2, third.start + 4))  # a word inside it
    assert inside is not None and inside.start == third.start
    assert state.at(second) is None
    nxt = state.step(second, 1)
    assert nxt is not None and nxt.start == third.start
    prev = state.step(second, -1)
    assert prev is not None and prev.start == first.start
    assert state.step(fourth, 1) is None and state.step(first, -1) is None
    nxt = state.step(third, 1)
    assert nxt is not None and nxt.start == fourth.start


def test_rejections_persist_and_merge_another_instances(doc: Document, tmp_path: Path) -> None:
    root = tmp_path / "store"
    first, second, *_ = spans(doc)
    one, two = Rejections(root, "ana"), Rejections(root, "bob")
    one.reject(doc, sugg(doc, first.start, first.end, "arms"))
    two.reject(doc, sugg(doc, second.start, second.end, "china"))  # re-reads before writing
    again = Rejections(root)
    assert again.is_rejected(doc, first.start, first.end)
    assert again.is_rejected(doc, second.start, second.end)
    assert not again.is_rejected(doc, first.start, second.end)
    data = json.loads((root / REJECTIONS_FILE).read_text("utf-8"))
    assert data["format"] == "reader-suggestions"
    assert [(r["annotator"], r["quote"]) for r in data["rejected"]] == [
        ("ana", TEXT[first.start : first.end]),
        ("bob", TEXT[second.start : second.end]),
    ]
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []


def test_a_rejection_holds_for_that_text_only(doc: Document, tmp_path: Path) -> None:
    first = spans(doc)[0]
    Rejections(tmp_path / "store").reject(doc, sugg(doc, first.start, first.end, "arms"))
    doc.path.write_text(TEXT + "سطر جديد.\n", "utf-8")
    edited = read_document(doc.path, doc.path.parent)
    assert not Rejections(tmp_path / "store").is_rejected(edited, first.start, first.end)


def test_unknown_records_are_kept(doc: Document, tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    odd = {"doc": 3, "note": "from a newer program"}
    body = {"format": "reader-suggestions", "schema": 1, "rejected": [odd]}
    (root / REJECTIONS_FILE).write_text(json.dumps(body), "utf-8")
    first = spans(doc)[0]
    Rejections(root).reject(doc, sugg(doc, first.start, first.end, "arms"))
    records = json.loads((root / REJECTIONS_FILE).read_text("utf-8"))["rejected"]
    assert records[0] == odd and records[1]["start"] == first.start


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"format": "other", "rejected": []}'])
def test_a_damaged_file_is_reported_and_never_overwritten(
    doc: Document, tmp_path: Path, content: bytes
) -> None:
    root = tmp_path / "store"
    root.mkdir()
    (root / REJECTIONS_FILE).write_bytes(content)
    rejections = Rejections(root)
    assert rejections.problem is not None
    assert str(root / REJECTIONS_FILE) in rejections.problem and "\n" not in rejections.problem
    first = spans(doc)[0]
    with pytest.raises(StoreError, match="nothing written"):
        rejections.reject(doc, sugg(doc, first.start, first.end, "arms"))
    assert (root / REJECTIONS_FILE).read_bytes() == content


def test_a_read_only_store_writes_no_rejection(doc: Document, tmp_path: Path) -> None:
    first = spans(doc)[0]
    with pytest.raises(StoreError, match="read-only"):
        Rejections(tmp_path / "store", read_only=True).reject(
            doc, sugg(doc, first.start, first.end, "arms")
        )
    assert not (tmp_path / "store").exists()


def test_the_state_module_imports_no_textual() -> None:
    code = (
        "import sys, reader.ui.suggestions\n"
        "print(any(m.startswith('textual') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"
