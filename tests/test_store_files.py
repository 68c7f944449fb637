"""Store files on disk: atomic writes, backups, damaged files left byte for byte, safe names."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import write_doc

from reader.corpus import Document
from reader.errors import StoreError
from reader.store import Store
from reader.store.storage import AtomicJSONStorage, doc_filename

TEXT = "تزايد القلق الدولي من صفقات الأسلحة بين البلدين.\nوفرضت واشنطن عقوبات جديدة."


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Document, Document]:
    root = tmp_path / "annotations"
    a = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    b = write_doc(tmp_path / "corpus", "b.txt", TEXT)
    store = Store(root)
    store.add(a, 0, 5, ["arms"])
    store.add(b, 0, 5, ["arms"])
    store.close()
    return root, a, b


def doc_file(root: Path, doc: Document) -> Path:
    return root / "docs" / doc_filename(doc.rel)


def _truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _corrupt(raw: bytes) -> bytes:
    middle = len(raw) // 2
    return raw[:middle] + b"\x00\xff garbage \x00" + raw[middle + 12 :]


def _future(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["_meta"]["1"]["schema"] = 99
    return json.dumps(data).encode()


def _duplicate(raw: bytes) -> bytes:
    data = json.loads(raw)
    table = data["annotations"]
    table["7"] = dict(next(iter(table.values())))
    return json.dumps(data).encode()


def _missing_field(raw: bytes) -> bytes:
    data = json.loads(raw)
    del next(iter(data["annotations"].values()))["quote"]
    return json.dumps(data).encode()


DAMAGE = {
    "truncated": (_truncate, "truncated"),
    "corrupted": (_corrupt, "corrupted"),
    "empty": (lambda raw: b"", "empty file"),
    "blank": (lambda raw: b"  \n", "blank"),
    "not an object": (lambda raw: b"[1, 2]", "not a TinyDB file"),
    "future schema": (_future, "schema version 99 is newer"),
    "duplicate id": (_duplicate, "duplicate id"),
    "missing field": (_missing_field, "lacks quote"),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_file_is_reported_kept_read_only_and_never_touched(
    corpus: tuple[Path, Document, Document], kind: str
) -> None:
    root, a, b = corpus
    damage, reason = DAMAGE[kind]
    path = doc_file(root, a)
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)
    bak = path.with_name(path.name + ".bak")
    backup = bak.read_bytes() if bak.exists() else None  # a file written once has none

    store = Store(root)  # starts
    lines = [p for p in store.problems if str(path) in p]
    assert len(lines) == 1 and reason in lines[0] and "read-only" in lines[0]
    assert "\n" not in lines[0]
    assert not store.is_writable(a.rel)
    with pytest.raises(StoreError, match="nothing written") as caught:
        store.add(a, 6, 10, ["arms"])
    assert str(path) in str(caught.value)
    with pytest.raises(StoreError):
        store.toggle_theme(a, 0, 5, "china")
    store.sync(a)
    # The other document stays writable.
    store.add(b, 6, 10, ["troops"])
    assert len(Store(root).annotations(b.rel)) == 2
    assert path.read_bytes() == damaged
    assert (bak.read_bytes() if bak.exists() else None) == backup


def test_a_repaired_file_becomes_writable_again(corpus: tuple[Path, Document, Document]) -> None:
    root, a, _ = corpus
    path = doc_file(root, a)
    good = path.read_bytes()
    path.write_bytes(_truncate(good))
    store = Store(root)
    assert not store.is_writable(a.rel)
    path.write_bytes(good)
    assert store.is_writable(a.rel) and store.problems == []
    store.add(a, 6, 10, ["arms"])
    assert len(Store(root).annotations(a.rel)) == 2


def test_records_that_do_not_fit_the_text_make_the_document_read_only(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, b = corpus
    path = doc_file(root, a)
    original = path.read_bytes()
    for field, value, reason in (
        ("end", len(TEXT) + 40, "past the end of the text"),
        ("quote", "شيء آخر", "quote does not match"),
    ):
        data = json.loads(original)
        next(iter(data["annotations"].values()))[field] = value
        path.write_bytes(raw := json.dumps(data).encode())
        store = Store(root)
        store.sync(a)
        assert any(reason in p and str(path) in p for p in store.problems)
        with pytest.raises(StoreError):
            store.add(a, 6, 10, ["arms"])
        assert path.read_bytes() == raw
        store.add(b, 6, 10, ["arms"])


def test_unknown_theme_keys_are_reported_kept_and_read_only_until_known(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, b = corpus
    path = doc_file(root, a)
    data = json.loads(path.read_bytes())
    record = next(iter(data["annotations"].values()))
    record["themes"] = ["arms", "economy"]
    record["reviewed_by"] = "a newer program"  # an unknown field, kept too
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    store = Store(root)
    assert any("economy" in p and str(path) in p for p in store.problems)
    ann = store.annotations(a.rel)[0]
    assert ann.themes == ["arms", "economy"]
    # Issue 6: that document is read-only until the theme set knows the key ...
    assert not store.is_writable(a.rel)
    with pytest.raises(StoreError, match="economy"):
        store.toggle_theme(a, 0, 5, "china")
    assert path.read_bytes() == raw
    store.add(b, 6, 10, ["arms"])  # ... the others stay writable
    store.close()
    # Once themes.toml knows it, writing the document keeps every key and field.
    themes = "".join(
        f'[[theme]]\nkey = "{k}"\nlabel_en = "{k}"\nlabel_ar = "{k}"\n'
        f'color = "#{c}"\ndigit = "{d}"\n'
        for k, c, d in [("arms", "aa0000", 1), ("china", "00aa00", 2), ("economy", "0000aa", 3)]
    )
    (root / "themes.toml").write_text(themes, "utf-8")
    store = Store(root)
    assert store.problems == [] and store.is_writable(a.rel)
    store.toggle_theme(a, 0, 5, "china")
    kept = json.loads(path.read_bytes())["annotations"]
    record = next(r for r in kept.values() if r["id"] == ann.id)
    assert record["themes"] == ["arms", "economy", "china"]
    assert record["reviewed_by"] == "a newer program"


def test_a_future_store_schema_makes_the_whole_store_read_only(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, _ = corpus
    meta = root / "store.json"
    meta.write_text('{"format": "reader-store", "schema": 7}')
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    store = Store(root)
    assert store.read_only and any("schema version 7" in p for p in store.problems)
    assert len(store.annotations(a.rel)) == 1  # still readable
    with pytest.raises(StoreError, match="read-only"):
        store.add(a, 6, 10, ["arms"])
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_every_write_keeps_the_previous_version_as_backup(tmp_path: Path) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "annotations")
    store.add(doc, 0, 5, ["arms"])
    path = doc_file(store.root, doc)
    previous = path.read_bytes()
    store.add(doc, 6, 9, ["arms"])
    assert path.with_name(path.name + ".bak").read_bytes() == previous
    assert path.read_bytes() != previous


def test_a_failed_write_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "annotations")
    store.add(doc, 0, 5, ["arms"])
    path = doc_file(store.root, doc)
    before = path.read_bytes()

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        store.add(doc, 6, 9, ["arms"])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.tmp")) and not list(path.parent.glob(".*.tmp"))
    assert [a.start for a in Store(store.root).annotations(doc.rel)] == [0]
    store.add(doc, 6, 9, ["arms"])  # the same instance recovers: it re-reads the file
    assert [a.start for a in Store(store.root).annotations(doc.rel)] == [0, 6]


def test_storage_refuses_to_replace_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None
    storage.write({"t": {"1": {"x": 1}}})
    path.write_bytes(b'{"t": {"1": {"x": 2}}}')  # someone else, outside the lock
    with pytest.raises(StoreError, match="changed on disk"):
        storage.write({"t": {"1": {"x": 3}}})
    assert json.loads(path.read_bytes()) == {"t": {"1": {"x": 2}}}


def test_storage_rewrites_records_changed_in_place(tmp_path: Path) -> None:
    """Cached JSON fragments must never hide a change TinyDB makes in place."""
    from tinydb import TinyDB
    from tinydb.operations import delete, increment
    from tinydb.operations import set as set_field

    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    table = db.table("t")
    for i in range(5):
        table.insert({"n": i, "s": "ي", "odd": "\udc80", "tags": ["a"]})
    table.update({"s": "changed"}, doc_ids=[1])
    table.update(increment("n"), doc_ids=[2])
    table.update(delete("odd"), doc_ids=[3])
    table.update(set_field("tags", ["a", "b"]), doc_ids=[4])
    table.update(lambda doc: doc.clear() or doc.update(n=-1), doc_ids=[5])
    table.remove(doc_ids=[3])
    table.insert({"n": 6})
    expected = {
        "1": {"n": 0, "s": "changed", "odd": "\udc80", "tags": ["a"]},
        "2": {"n": 2, "s": "ي", "odd": "\udc80", "tags": ["a"]},
        "4": {"n": 3, "s": "ي", "odd": "\udc80", "tags": ["a", "b"]},
        "5": {"n": -1},
        "6": {"n": 6},
    }
    assert json.loads(path.read_bytes()) == {"t": expected}
    assert TinyDB(path, storage=AtomicJSONStorage).table("t").get(doc_id=5) == {"n": -1}


HOSTILE_NAMES = ["../../escape.txt", "/etc/passwd", "a/../../b.txt", "..", ".", "\x1b]52;c;\x07",
                 "C:\\Windows\\x.txt", "x" * 400, "\u202eevil.txt", ""]  # fmt: skip


@pytest.mark.parametrize("rel", HOSTILE_NAMES)
def test_document_names_cannot_make_the_store_write_outside_its_folder(
    tmp_path: Path, rel: str
) -> None:
    root = tmp_path / "box" / "annotations"
    doc = Document(tmp_path / "x.txt", rel, TEXT, "utf-8", len(TEXT))
    store = Store(root)
    ann = store.add(doc, 0, 5, ["arms"])
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.is_relative_to(root) for p in written)
    assert Store(root).annotations(rel) == [ann]
    assert [a.doc for a in Store(root).all_annotations()] == [rel]


@given(st.text(max_size=300))
def test_doc_filename_is_always_one_plain_name(rel: str) -> None:
    name = doc_filename(rel)
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name.endswith(".json") and len(name.encode()) < 255
    assert name == doc_filename(rel)


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
        ann = Store(root).add(doc, start, end, ["arms"], note)
        again = Store(root)
        assert again.problems == []
        assert again.sync(doc) == [ann]
        assert [a.doc for a in again.all_annotations()] == [rel]


def test_problem_lines_never_carry_control_characters(
    corpus: tuple[Path, Document, Document],
) -> None:
    root, a, _ = corpus
    path = doc_file(root, a)
    data = json.loads(path.read_bytes())
    record = next(iter(data["annotations"].values()))
    record["id"] = "\x1b]52;c;aGk=\x07"
    record["themes"] = ["arms", "\x1b[2J"]
    path.write_bytes(json.dumps(data).encode())
    lines = Store(root).problems
    assert len(lines) == 1 and "unknown theme" in lines[0]  # the hostile key, drawn safely
    data["annotations"]["9"] = dict(record)
    path.write_bytes(json.dumps(data).encode())
    store = Store(root)
    assert len(store.problems) == 1  # one line per file: the duplicate id, and 1 more
    assert "duplicate id" in store.problems[0] and "and 1 more" in store.problems[0]
    for line in lines + store.problems:
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in line), line
