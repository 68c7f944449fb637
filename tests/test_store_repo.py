"""The Store API: add, toggle, notes, delete, undo/redo, and that nothing acknowledged is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from store_support import NEWS, SEED, news_doc, tagger_argv, write_doc

from reader.corpus import Document, read_document
from reader.errors import StoreError, UsageError
from reader.store import ANCHORED, Store

TEXT = NEWS


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return news_doc(tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "annotations", "tester")


def reopen(store: Store) -> Store:
    return Store(store.root, "other")


def test_add_records_every_field_and_survives_reopening(store: Store, doc: Document) -> None:
    ann = store.add(doc, 5, 12, ["sanctions", "arms"], note="ملاحظة")
    assert ann.quote == TEXT[5:12]
    assert ann.prefix == TEXT[:5] and ann.suffix == TEXT[12:44]
    assert (ann.doc, ann.doc_sha256, ann.status) == ("news/a.txt", doc.sha256, ANCHORED)
    assert ann.annotator == "tester" and ann.created == ann.updated and ann.created.endswith("Z")
    again = reopen(store).annotations("news/a.txt")
    assert again == [ann]
    assert again[0].themes == ["sanctions", "arms"] and again[0].note == "ملاحظة"


def test_annotations_come_in_reading_order(store: Store, doc: Document) -> None:
    for start, end in ((40, 45), (3, 8), (20, 25), (3, 5)):
        store.add(doc, start, end, ["arms"])
    spans = [(a.start, a.end) for a in reopen(store).annotations(doc.rel)]
    assert spans == [(3, 5), (3, 8), (20, 25), (40, 45)]


def test_bad_range_and_unknown_theme_are_usage_errors(store: Store, doc: Document) -> None:
    for start, end in ((5, 5), (-1, 3), (0, len(TEXT) + 1), (9, 4)):
        with pytest.raises(UsageError, match="not inside the text"):
            store.add(doc, start, end, ["arms"])
    with pytest.raises(UsageError, match="unknown theme 'weather'"):
        store.add(doc, 0, 3, ["weather"])
    with pytest.raises(UsageError, match="at least one theme"):
        store.add(doc, 0, 3, [])
    assert reopen(store).annotations(doc.rel) == []


def test_toggle_theme_adds_edits_and_deletes_the_span(store: Store, doc: Document) -> None:
    first = store.toggle_theme(doc, 0, 4, "arms")
    assert first is not None and first.themes == ["arms"]
    second = store.toggle_theme(doc, 0, 4, "china")
    assert second is not None and second.id == first.id and second.themes == ["arms", "china"]
    third = store.toggle_theme(doc, 0, 4, "arms")
    assert third is not None and third.themes == ["china"]
    assert store.toggle_theme(doc, 0, 4, "china") is None
    assert reopen(store).annotations(doc.rel) == []
    assert store.find_span(doc.rel, 0, 4) is None


def test_set_note_and_delete(store: Store, doc: Document) -> None:
    ann = store.add(doc, 0, 4, ["troops"])
    noted = store.set_note(ann.id, "see paragraph 2")
    assert noted.note == "see paragraph 2" and noted.updated >= ann.updated
    assert reopen(store).find_span(doc.rel, 0, 4) == noted
    store.delete(ann.id)
    assert reopen(store).annotations(doc.rel) == []
    with pytest.raises(UsageError, match="no annotation"):
        store.set_note(ann.id, "x")


def _state(store: Store, doc: Document) -> list[tuple[int, int, list[str], str]]:
    return [(a.start, a.end, a.themes, a.note) for a in reopen(store).annotations(doc.rel)]


def test_undo_and_redo_every_kind_of_change_durably(store: Store, doc: Document) -> None:
    states = [_state(store, doc)]
    ann = store.add(doc, 0, 4, ["arms"])
    states.append(_state(store, doc))
    store.toggle_theme(doc, 0, 4, "china")
    states.append(_state(store, doc))
    store.set_note(ann.id, "note")
    states.append(_state(store, doc))
    store.delete(ann.id)
    states.append(_state(store, doc))
    assert len({json.dumps(s) for s in states[:-1]}) == 4 and states[-1] == []
    for expected in reversed(states[:-1]):
        assert store.undo()
        assert _state(store, doc) == expected  # read back from disk by another instance
    assert not store.undo()
    for expected in states[1:]:
        assert store.redo()
        assert _state(store, doc) == expected
    assert not store.redo()


def test_undo_of_a_deletion_restores_the_same_id(store: Store, doc: Document) -> None:
    ann = store.add(doc, 0, 4, ["arms"])
    store.delete(ann.id)
    store.undo()
    assert [a.id for a in reopen(store).annotations(doc.rel)] == [ann.id]


def test_a_new_change_clears_redo(store: Store, doc: Document) -> None:
    store.add(doc, 0, 4, ["arms"])
    store.undo()
    store.add(doc, 5, 9, ["arms"])
    assert not store.redo()


def test_two_instances_take_turns_without_losing_updates(store: Store, doc: Document) -> None:
    other = Store(store.root, store.annotator)  # the same analyst in two windows
    ours = store.add(doc, 0, 4, ["arms"])
    theirs = other.add(doc, 5, 9, ["troops"])  # other has not read ours: it must reload
    store.set_note(theirs.id, "seen by the first instance")
    other.toggle_theme(doc, 0, 4, "china")
    final = {a.id: a for a in reopen(store).annotations(doc.rel)}
    assert final[ours.id].themes == ["arms", "china"]
    assert final[theirs.id].note == "seen by the first instance"
    assert store.annotations(doc.rel) == other.annotations(doc.rel) == list(final.values())


def test_all_annotations_spans_documents(store: Store, tmp_path: Path) -> None:
    docs = [write_doc(tmp_path / "corpus", f"d{i}.txt", TEXT) for i in range(3)]
    made = {store.add(d, i, i + 3, ["arms"]).id for i, d in enumerate(docs)}
    assert {a.id for a in reopen(store).all_annotations()} == made


def test_a_locked_store_refuses_after_the_timeout_and_writes_nothing(
    tmp_path: Path, doc: Document
) -> None:
    import fcntl

    root = tmp_path / "annotations"
    store = Store(root, lock_timeout=0.05)
    store.add(doc, 0, 3, ["arms"])
    holder = os.open(root / ".lock", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(StoreError, match="store is busy"):
            store.add(doc, 4, 8, ["arms"])
    finally:
        os.close(holder)
    assert len(reopen(store).annotations(doc.rel)) == 1
    store.add(doc, 4, 8, ["arms"])
    assert len(reopen(store).annotations(doc.rel)) == 2


def test_read_only_store_refuses_writes(tmp_path: Path, doc: Document) -> None:
    store = Store(tmp_path / "annotations", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.add(doc, 0, 3, ["arms"])
    assert not (tmp_path / "annotations").exists()


# --- processes ----------------------------------------------------------------------


def test_two_processes_tagging_at_once_lose_nothing(tmp_path: Path) -> None:
    doc = read_document(SEED, SEED.parent)
    root = tmp_path / "annotations"
    children = [
        subprocess.Popen(tagger_argv(doc, SEED.parent, root, 100, offset), stdout=subprocess.PIPE)
        for offset in (0, 3)
    ]
    acknowledged: set[str] = set()
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        acknowledged.update(out.decode().split())
    assert len(acknowledged) == 200
    store = Store(root)
    assert store.problems == []
    assert {a.id for a in store.annotations(doc.rel)} == acknowledged


def _read_lines(pipe: int, need: int, deadline: float) -> bytes:
    buffer = b""
    while buffer.count(b"\n") < need and time.monotonic() < deadline:
        chunk = os.read(pipe, 4096)
        if not chunk:
            break
        buffer += chunk
    return buffer


def test_kill_9_at_random_moments_never_loses_an_acknowledged_tag(tmp_path: Path) -> None:
    doc = read_document(SEED, SEED.parent)
    root = tmp_path / "annotations"
    rng = random.Random(20261121)
    acknowledged: set[str] = set()
    for round_ in range(50):
        child = subprocess.Popen(
            tagger_argv(doc, SEED.parent, root, 0, round_), stdout=subprocess.PIPE
        )
        assert child.stdout is not None
        # Let it acknowledge a few tags, then kill it mid-loop at a random instant.
        seen = _read_lines(child.stdout.fileno(), rng.randint(0, 4), time.monotonic() + 30)
        time.sleep(rng.uniform(0, 0.012))
        child.send_signal(signal.SIGKILL)
        output = seen + child.stdout.read()  # everything it printed before dying
        child.wait()
        assert child.returncode == -signal.SIGKILL
        # Only complete lines count: a line is printed after `add` returned.
        acknowledged.update(output.decode().split("\n")[:-1])
        store = Store(root)
        assert store.problems == [], f"round {round_}"
        present = {a.id for a in store.annotations(doc.rel)}
        missing = acknowledged - present
        assert not missing, f"round {round_}: {len(missing)} acknowledged tag(s) lost"
        store.close()
    assert len(acknowledged) >= 50


def test_put_keeps_an_annotation_as_given_and_refuses_an_invalid_one(
    store: Store, doc: Document
) -> None:
    made = store.add(doc, 0, 4, ["arms"])
    imported = made.copy(
        themes=["arms", "economy"], note="from an export", updated="2030-01-01T00:00:00.000Z"
    )
    assert store.put(imported) == made
    [again] = reopen(store).annotations(doc.rel)
    assert (again.id, again.themes, again.updated) == (
        made.id,
        ["arms", "economy"],
        imported.updated,
    )
    with pytest.raises(StoreError, match="bad range"):
        store.put(made.copy(id="other", start=9, end=3))
    assert [a.id for a in reopen(store).annotations(doc.rel)] == [made.id]


def test_a_worker_thread_can_read_while_the_ui_thread_writes(store: Store, doc: Document) -> None:
    import threading

    errors: list[BaseException] = []
    done = threading.Event()
    seen: list[int] = []

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(len(list(store.all_annotations())))
                store.annotations(doc.rel)
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)

    worker = threading.Thread(target=read)
    worker.start()
    try:
        for i in range(60):
            store.add(doc, i, i + 3, ["arms"])
    finally:
        done.set()
        worker.join()
    assert errors == []
    assert seen == sorted(seen) and len(reopen(store).annotations(doc.rel)) == 60
