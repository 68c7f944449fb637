"""Store files on disk: durable appends, compaction backups, damaged files left byte for
byte, safe names."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import log_path, read_log, write_doc, write_log

from reader.corpus import Document
from reader.errors import StoreError
from reader.store import Store
from reader.store.docfile import COMPACT_MIN
from reader.store.names import annotator_filename, doc_dirname

TEXT = "تزايد القلق الدولي من صفقات الأسلحة بين البلدين.\nوفرضت واشنطن عقوبات جديدة."
ME = "tester"


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Document, Document]:
    root = tmp_path / "annotations"
    a = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    b = write_doc(tmp_path / "corpus", "b.txt", TEXT)
    store = Store(root, ME)
    store.add(a, 0, 5, ["arms"])
    store.add(a, 6, 10, ["troops"])
    store.add(b, 0, 5, ["arms"])
    store.close()
    return root, a, b


def _edit(fn: Callable[[dict, list], tuple[dict, list]]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        header, lines = read_log(path)
        write_log(path, *fn(header, lines))

    return damage


def _corrupt(path: Path) -> None:
    head, first, *rest = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([head, first[:20] + b"\x00\xff garbage" + first[30:], *rest]))


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "corrupted line": (_corrupt, "line 2: not"),
    "empty": (lambda p: p.write_bytes(b""), "empty file"),
    "header cut short": (lambda p: p.write_bytes(p.read_bytes()[:20]), "truncated (no complete"),
    "blank": (lambda p: p.write_bytes(b"  \n"), "line 1: a blank line"),
    "not an object": (lambda p: p.write_bytes(b"[1, 2]\n"), "not a reader-log header"),
    "future schema": (_edit(lambda h, ls: ({**h, "schema": 99}, ls)), "schema version 99 is newer"),
    "missing field": (
        _edit(lambda h, ls: (h, [{k: v for k, v in ls[0].items() if k != "quote"}, *ls[1:]])),
        "lacks quote",
    ),
    "another annotator's record": (
        _edit(lambda h, ls: (h, [{**ls[0], "annotator": "someone"}, *ls[1:]])),
        "is 'someone''s, in 'tester''s file",
    ),
    "another document's record": (
        _edit(lambda h, ls: (h, [{**ls[0], "doc": "b.txt"}, *ls[1:]])),
        "for another document",
    ),
    "neither record nor deletion": (_edit(lambda h, ls: (h, [*ls, {"x": 1}])), "lacks"),
    "bad deletion": (_edit(lambda h, ls: (h, [*ls, {"deleted": 7}])), "not a record nor"),
    "wrong document in header": (_edit(lambda h, ls: ({**h, "doc": "b.txt"}, ls)), "holds the"),
    "wrong annotator in header": (_edit(lambda h, ls: ({**h, "annotator": "x"}, ls)), "its name"),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_file_is_reported_kept_read_only_and_never_touched(
    corpus: tuple[Path, Document, Document], kind: str
) -> None:
    root, a, b = corpus
    damage, reason = DAMAGE[kind]
    path = log_path(root, a.rel, ME)
    damage(path)
    damaged = path.read_bytes()
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}

    store = Store(root, ME)  # starts
    lines = [p for p in store.problems if str(path) in p]
    assert len(lines) == 1 and reason in lines[0] and "read-only" in lines[0], store.problems
    assert "\n" not in lines[0]
    assert not store.is_writable(a.rel)
    with pytest.raises(StoreError, match="nothing written") as caught:
        store.add(a, 11, 14, ["arms"])
    assert str(path) in str(caught.value)
    with pytest.raises(StoreError):
        store.toggle_theme(a, 0, 5, "china")
    store.sync(a)
    store.add(b, 6, 10, ["troops"])  # the other document stays writable
    Store(root, "someone else").add(a, 11, 14, ["arms"])  # and so do others' files of this one
    store.close()
    assert len(Store(root).annotations(b.rel)) == 2
    assert path.read_bytes() == damaged
    after = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    assert after.pop(annotator_filename("someone else")) and after == before


def test_a_repaired_file_becomes_writable_again(corpus: tuple[Path, Document, Document]) -> None:
    root, a, _ = corpus
    path = log_path(root, a.rel, ME)
    good = path.read_bytes()
    _corrupt(path)
    store = Store(root, ME)
    assert not store.is_writable(a.rel)
    path.write_bytes(good)
    assert store.is_writable(a.rel) and store.problems == []
    store.add(a, 11, 14, ["arms"])
    assert len(Store(root).annotations(a.rel)) == 3


def test_records_that_do_not_fit_the_text_make_the_file_read_only(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, b = corpus
    path = log_path(root, a.rel, ME)
    original = path.read_bytes()
    for field, value, reason in (
        ("end", len(TEXT) + 40, "past the end of the text"),
        ("quote", "شيء آخر", "quote does not match"),
    ):
        path.write_bytes(original)
        _edit(lambda h, ls, f=field, v=value: (h, [{**ls[0], f: v}, *ls[1:]]))(path)
        raw = path.read_bytes()
        store = Store(root, ME)
        store.sync(a)
        assert any(reason in p and str(path) in p for p in store.problems)
        with pytest.raises(StoreError):
            store.add(a, 11, 14, ["arms"])
        assert path.read_bytes() == raw
        store.add(b, 6, 10, ["arms"])


def test_unknown_theme_keys_are_reported_kept_and_the_document_stays_writable(
    corpus: tuple[Path, Document, Document],
) -> None:
    """Issue 12 item 7: a record with an unknown theme never locks its document."""
    root, a, _ = corpus
    path = log_path(root, a.rel, ME)
    header, lines = read_log(path)
    lines[0]["themes"] = ["arms", "economy"]
    lines[0]["reviewed_by"] = "a newer program"  # an unknown field, kept too
    write_log(path, header, lines)
    store = Store(root, ME)
    [line] = [p for p in store.problems if "economy" in p]
    assert "stays writable" in line and "read-only" not in line
    ann = next(x for x in store.annotations(a.rel) if x.id == lines[0]["id"])
    assert ann.themes == ["arms", "economy"]
    assert store.is_writable(a.rel)
    store.toggle_theme(a, ann.start, ann.end, "china")
    store.close()
    kept = Store(root, ME).get(ann.id)
    assert kept is not None and kept.themes == ["arms", "economy", "china"]
    assert kept.extra == {"reviewed_by": "a newer program"}


def test_a_future_store_schema_makes_the_whole_store_read_only(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, _ = corpus
    meta = root / "store.json"
    meta.write_text('{"format": "reader-store", "schema": 7}')
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    store = Store(root, ME)
    assert store.read_only and any("schema version 7" in p for p in store.problems)
    assert len(store.annotations(a.rel)) == 2  # still readable
    with pytest.raises(StoreError, match="read-only"):
        store.add(a, 11, 14, ["arms"])
    store.close()
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_change_is_one_appended_line_and_compaction_keeps_a_backup(tmp_path: Path) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "annotations", ME)
    first = store.add(doc, 0, 5, ["arms"])
    path = log_path(store.root, doc.rel, ME)
    before = path.read_bytes()
    second = store.add(doc, 6, 9, ["arms"])
    store.set_note(first.id, "n")
    store.delete(second.id)
    after = path.read_bytes()
    assert after.startswith(before)  # appended, never rewritten
    header, lines = read_log(path)
    assert header == {"format": "reader-log", "schema": 2, "doc": "a.txt", "annotator": ME}
    assert [x.get("id", x.get("deleted")) for x in lines] == [
        first.id,
        second.id,
        first.id,
        second.id,
    ]
    assert not path.with_name(path.name + ".bak").exists()
    store.close()  # a small file with a journal is compacted on close
    header, lines = read_log(path)
    assert [(x["id"], x["note"]) for x in lines] == [(first.id, "n")]
    assert path.with_name(path.name + ".bak").read_bytes() == after


def test_compaction_folds_the_journal_in_once_it_is_long_enough(tmp_path: Path) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "annotations", ME)
    path = log_path(store.root, doc.rel, ME)
    ann = store.add(doc, 0, 5, ["arms"])
    for i in range(COMPACT_MIN - 1):  # the journal: every line after the record's first
        store.set_note(ann.id, str(i))
    assert len(path.read_bytes().splitlines()) == COMPACT_MIN + 1  # header, add, notes
    store.set_note(ann.id, "last")
    _, lines = read_log(path)
    assert [(x["id"], x["note"]) for x in lines] == [(ann.id, "last")]
    assert Store(tmp_path / "annotations", "x").get(ann.id) == store.get(ann.id)


def test_a_failed_append_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "annotations", ME)
    store.add(doc, 0, 5, ["arms"])
    path = log_path(store.root, doc.rel, ME)
    before = path.read_bytes()

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdatasync", full_disk)  # after the bytes went in: cut back
    with pytest.raises(StoreError, match="No space left"):
        store.add(doc, 6, 9, ["arms"])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [a.start for a in Store(store.root).annotations(doc.rel)] == [0]
    store.add(doc, 6, 9, ["arms"])  # the same instance goes on
    assert [a.start for a in Store(store.root).annotations(doc.rel)] == [0, 6]


def test_a_failed_first_write_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "annotations", ME)
    store.add(write_doc(tmp_path / "corpus", "b.txt", TEXT), 0, 5, ["arms"])

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        store.add(doc, 0, 5, ["arms"])
    monkeypatch.undo()
    folder = log_path(store.root, doc.rel, ME).parent
    assert list(folder.iterdir()) == []
    store.add(doc, 0, 5, ["arms"])
    assert len(Store(store.root).annotations(doc.rel)) == 1


def test_an_append_is_refused_when_the_file_changed_outside_the_lock(tmp_path: Path) -> None:
    from reader.store.journal import LogStorage

    path = tmp_path / "x.jsonl"
    storage = LogStorage(path)
    storage.create({"format": "reader-log"}, [{"id": "1"}])
    with path.open("ab") as out:
        out.write(b'{"id": "2"}\n')  # someone else, without the lock
    with pytest.raises(StoreError, match="changed on disk"):
        storage.append([{"id": "3"}])
    assert path.read_bytes().count(b"\n") == 3


def test_tinydb_reads_and_writes_a_log_through_its_own_api(tmp_path: Path) -> None:
    """TinyDB stays the store's API: its tables over the log, its writes as appended lines."""
    from tinydb import TinyDB, where

    from reader.store.journal import LogStorage

    path = tmp_path / "log.jsonl"
    db = TinyDB(path, storage=LogStorage)
    db.table("_meta").insert({"format": "reader-log", "schema": 2})
    table = db.table("annotations")
    table.insert_multiple([{"id": f"r{i}", "n": i, "s": "ي"} for i in range(4)])
    table.update({"s": "changed"}, where("id") == "r1")
    table.remove(where("id") == "r2")
    table.insert({"id": "r9", "odd": "\udc80"})
    assert [r["id"] for r in table.all()] == ["r0", "r1", "r3", "r9"]
    assert table.get(where("id") == "r1") == {"id": "r1", "n": 1, "s": "changed"}
    raw = path.read_bytes().splitlines()
    assert json.loads(raw[0])["format"] == "reader-log"
    assert {"deleted": "r2"} in [json.loads(line) for line in raw]
    again = TinyDB(path, storage=LogStorage).table("annotations")
    assert again.get(where("id") == "r9") == {"id": "r9", "odd": "\udc80"}


HOSTILE_NAMES = ["../../escape.txt", "/etc/passwd", "a/../../b.txt", "..", ".", "\x1b]52;c;\x07",
                 "C:\\Windows\\x.txt", "x" * 400, "\u202eevil.txt", ""]  # fmt: skip


@pytest.mark.parametrize("rel", HOSTILE_NAMES)
def test_document_names_cannot_make_the_store_write_outside_its_folder(
    tmp_path: Path, rel: str
) -> None:
    root = tmp_path / "box" / "annotations"
    doc = Document(tmp_path / "x.txt", rel, TEXT, "utf-8", len(TEXT))
    store = Store(root, rel or "x")  # the annotator's name is as hostile
    ann = store.add(doc, 0, 5, ["arms"])
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.is_relative_to(root) for p in written)
    assert Store(root).annotations(rel) == [ann]
    assert [a.doc for a in Store(root).all_annotations()] == [rel]


@given(st.text(max_size=300))
def test_file_names_are_always_one_plain_name(name: str) -> None:
    for made in (doc_dirname(name), annotator_filename(name)):
        assert "/" not in made and "\\" not in made and "\x00" not in made
        assert not made.startswith(".") and len(made.encode()) < 255
    assert annotator_filename(name).endswith(".jsonl") and not doc_dirname(name).endswith(".json")
    assert doc_dirname(name) == doc_dirname(name)


@settings(max_examples=15, deadline=None)
@given(
    text=st.text(min_size=1, max_size=200),
    note=st.text(max_size=50),
    rel=st.text(min_size=1, max_size=40),
    data=st.data(),
)
def test_any_text_note_and_name_round_trip(
    text: str, note: str, rel: str, data: st.DataObject
) -> None:
    """Controls, bidi controls, marks, lone surrogates: what is written reads back the same."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    with tempfile.TemporaryDirectory() as name:
        root = Path(name) / "annotations"
        doc = Document(Path(name) / "x.txt", rel, text, "utf-8", len(text))
        ann = Store(root, note or "n").add(doc, start, end, ["arms"], note)
        again = Store(root)
        assert again.problems == []
        assert again.sync(doc) == [ann]
        assert [a.doc for a in again.all_annotations()] == [rel]


def test_problem_lines_never_carry_control_characters(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, _ = corpus
    path = log_path(root, a.rel, ME)
    header, lines = read_log(path)
    lines[0]["themes"] = ["arms", "\x1b[2J"]
    write_log(path, header, lines)
    problems = Store(root).problems
    assert len(problems) == 1 and "unknown theme" in problems[0]  # the hostile key, drawn safely
    lines[0]["id"] = "\x1b]52;c;aGk=\x07"
    lines += [{**lines[0], "annotator": "\x1b]0;x\x07"}, {"deleted": 7}]
    write_log(path, header, lines)
    store = Store(root)
    [line] = [p for p in store.problems if str(path) in p and "read-only" in p]  # one a file
    assert "and 1 more" in line
    for line in problems + store.problems:
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in line), line
