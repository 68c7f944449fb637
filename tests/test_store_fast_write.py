"""The store's record-by-record write path leaves exactly the file a full rewrite would.

Writes go straight to the storage (``AtomicJSONStorage.update``), which re-serialises
only the records that changed and reuses the cached JSON of the others. Here random
sequences of every kind of change — add, toggle, note, delete, undo, redo, a second
instance writing in between, TinyDB's own table API on the same storage — are
checked after each step against the file parsed afresh and serialised whole.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import write_doc
from tinydb import TinyDB

from reader.corpus import Document
from reader.store import Store
from reader.store.docfile import ANNOTATIONS_TABLE, META_TABLE
from reader.store.storage import AtomicJSONStorage, doc_filename

TEXT = "قالت الوزارة إن العقوبات الجديدة تستهدف شبكات تهريب الأسلحة.\nوأضافت أن القوات انتشرت."
SPANS = [(0, 4), (5, 12), (13, 15), (16, 24), (0, 12), (40, 50)]
THEMES = ["arms", "troops", "sanctions", "china"]

STEP = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(SPANS), st.sampled_from(THEMES)),
    st.tuples(st.just("toggle"), st.sampled_from(SPANS), st.sampled_from(THEMES)),
    st.tuples(st.just("note"), st.integers(0, 20), st.text(max_size=4)),
    st.tuples(st.just("delete"), st.integers(0, 20), st.none()),
    st.tuples(st.just("undo"), st.none(), st.none()),
    st.tuples(st.just("redo"), st.none(), st.none()),
    st.tuples(st.just("other"), st.sampled_from(SPANS), st.sampled_from(THEMES)),
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from(THEMES)),
)


def _canonical(path: Path) -> bytes:
    """The file as a full rewrite makes it: parsed, then serialised whole."""
    data = json.loads(path.read_bytes())
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _apply(store: Store, other: Store, doc: Document, step: tuple[str, object, object]) -> None:
    kind, a, b = step
    ids = [ann.id for ann in store.annotations(doc.rel, store.annotator)]  # keys: one's own
    every = [ann.id for ann in store.annotations(doc.rel)]
    if kind == "add":
        assert isinstance(a, tuple) and isinstance(b, str)
        store.add(doc, a[0], a[1], [b])
    elif kind == "toggle":
        assert isinstance(a, tuple) and isinstance(b, str)
        store.toggle_theme(doc, a[0], a[1], b)
    elif kind == "note" and ids:
        assert isinstance(a, int) and isinstance(b, str)
        store.set_note(ids[a % len(ids)], b)
    elif kind == "delete" and ids:
        assert isinstance(a, int)
        store.delete(ids[a % len(ids)])
    elif kind == "undo":
        store.undo()
    elif kind == "redo":
        store.redo()
    elif kind == "edit" and every:  # an explicit edit, of another's annotation too
        assert isinstance(a, int) and isinstance(b, str)
        store.edit(every[a % len(every)], themes=[b], note=b)
    elif kind == "other":  # a second instance writes in between
        assert isinstance(a, tuple) and isinstance(b, str)
        other.add(doc, a[0], a[1], [b])


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_every_write_leaves_the_file_a_full_rewrite_would(
    steps: list[tuple[str, object, object]],
) -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        doc = write_doc(tmp / "corpus", "a.txt", TEXT)
        store, other = Store(tmp / "store", "one"), Store(tmp / "store", "two")
        path = tmp / "store" / "docs" / doc_filename(doc.rel)
        for step in steps:
            _apply(store, other, doc, step)
            if not path.exists():
                continue
            assert path.read_bytes() == _canonical(path)
            fresh = Store(tmp / "store", read_only=True)
            assert fresh.annotations(doc.rel) == store.annotations(doc.rel)
            assert not fresh.problems
            data = json.loads(path.read_bytes())
            assert list(data) == [META_TABLE, ANNOTATIONS_TABLE]
            assert data[META_TABLE] == {"1": {"schema": 1, "doc": "a.txt"}}
        store.close()
        other.close()


def test_tinydb_table_api_and_store_writes_mix_on_one_storage(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.read()
    storage.update({"t": {"1": {"n": 1, "s": "ي"}, "2": {"n": 2}}})
    db = TinyDB(storage=lambda: storage)  # TinyDB on the very same storage object
    table = db.table("t")
    table.update({"s": "changed"}, doc_ids=[1])  # in place: the cache must notice
    table.insert({"n": 3})
    storage.update({"t": {"2": None, "4": {"n": 4}}})
    table.update({"n": 30}, doc_ids=[3])
    storage.update({"t": {"1": {"n": -1}}})
    storage.update({"t": {"9": {"n": 9}, "5": {"n": 5}}})  # new keys, not in number order
    expected = {"t": {"1": {"n": -1}, "3": {"n": 30}, "4": {"n": 4}, "9": {"n": 9}, "5": {"n": 5}}}
    assert json.loads(path.read_bytes()) == expected
    assert list(json.loads(path.read_bytes())["t"]) == ["1", "3", "4", "9", "5"]
    assert path.read_bytes() == _canonical(path)
    assert storage.read() == expected
