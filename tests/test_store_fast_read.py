"""The store's fast read path gives exactly what the full checks give.

``from_record`` takes a fast path for plain records of exact JSON types; the
full check (``_checked_record``) is the specification. Read-only stores drop a
file's parsed data once it is indexed, and notice when the file changes.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import log_path, read_log, write_doc, write_log

from reader.store import Store
from reader.store.docfile import gc_paused
from reader.store.model import FIELDS, _checked_record, from_record

GOOD: dict[str, Any] = {
    "id": "00000000-0000-4000-8000-000000000001",
    "doc": "a.txt",
    "doc_sha256": "ab" * 32,
    "start": 3,
    "end": 9,
    "quote": "القلق",
    "prefix": "",
    "suffix": " الدولي",
    "themes": ["arms", "china"],
    "note": "",
    "annotator": "analyst",
    "created": "2026-11-21T13:00:00.000Z",
    "updated": "2026-11-21T13:00:00.000Z",
    "status": "anchored",
}


class _Str(str):
    pass


class _Int(int):
    pass


#: Values that are wrong for some fields and right for others, of every JSON type and beyond.
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.sampled_from(["anchored", "reanchored", "orphaned", "arms", "", _Str("x"), _Int(4)]),
    st.lists(st.one_of(st.text(max_size=2), st.integers(), st.none()), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)


def _outcome(build: Any, record: Any) -> tuple[str, Any]:
    try:
        ann = build(record)
    except ValueError as exc:
        return "error", str(exc)
    return "ok", (ann, ann.extra, type(ann.themes), ann.themes is record.get("themes"))


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(
    changes=st.dictionaries(st.sampled_from([*FIELDS, "extra", "later"]), ODD_VALUES, max_size=3),
    dropped=st.lists(st.sampled_from(FIELDS), max_size=2),
)
def test_the_fast_path_accepts_and_refuses_exactly_as_the_full_check(
    changes: dict[str, Any], dropped: list[str]
) -> None:
    record = {**GOOD, **changes}
    for name in dropped:
        record.pop(name, None)
    fast, full = _outcome(from_record, record), _outcome(_checked_record, record)
    assert fast == full
    if fast[0] == "ok":
        ann = from_record(record)
        assert ann.themes is not record["themes"]  # never shares the record's list
        ann.themes.append("x")
        assert record["themes"] != ann.themes


def test_the_fast_path_builds_a_real_annotation() -> None:
    ann = from_record(dict(GOOD))
    assert ann == _checked_record(dict(GOOD)) and ann.extra == {}
    copy = ann.copy(note="n")
    assert (copy.note, ann.note, copy.themes == ann.themes) == ("n", "", True)
    assert copy.themes is not ann.themes and copy.extra is not ann.extra
    assert "themes=['arms', 'china']" in repr(ann)


def test_gc_paused_restores_the_collector_and_nests() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # the program's own choice is kept
    finally:
        gc.enable()


def test_a_read_only_store_sees_what_was_appended_and_what_was_rewritten(tmp_path: Path) -> None:
    doc = write_doc(tmp_path / "corpus", "a.txt", "تزايد القلق الدولي من صفقات الأسلحة.")
    writer = Store(tmp_path / "store", "w")
    first = writer.add(doc, 0, 5, ["arms"])
    reader = Store(tmp_path / "store", read_only=True)
    assert [a.id for a in reader.annotations(doc.rel)] == [first.id]
    path = log_path(tmp_path / "store", doc.rel, "w")
    read = reader._file(doc.rel).logs[path.name].storage
    assert read.size == path.stat().st_size
    second = writer.add(doc, 6, 11, ["china"])  # appended: only the new line is read
    assert [a.id for a in reader.annotations(doc.rel)] == [first.id, second.id]
    assert read.size == path.stat().st_size
    # Rewritten in place (the same inode), as an editor may: same size, new mtime ...
    raw = path.read_bytes()
    with path.open("r+b") as out:
        out.write(raw.replace(b'"arms"', b'"amrs"'))
    os.utime(path, ns=(1, 1))
    assert [a.themes for a in reader.annotations(doc.rel)] == [["amrs"], ["china"]]
    # ... or longer: the bytes before the last offset read changed, so all is read again.
    with path.open("r+b") as out:
        out.write(path.read_bytes().replace(b'"note":""', b'"note":"xyz"'))
    header, lines = read_log(path)
    assert [a.note for a in reader.annotations(doc.rel)] == [x["note"] for x in lines]
    assert [a.note for a in reader.annotations(doc.rel)] == ["xyz", "xyz"]
    # Replaced (a new inode), as compaction does.
    write_log(path.with_suffix(".new"), header, [{**lines[0], "note": "y"}])
    os.replace(path.with_suffix(".new"), path)
    assert [a.note for a in reader.annotations(doc.rel)] == ["y"]
    writer.close()
    reader.close()


@pytest.mark.parametrize("read_only", [True, False])
def test_a_store_lists_files_other_processes_create_after_its_first_look(
    tmp_path: Path, read_only: bool
) -> None:
    corpus = tmp_path / "corpus"
    a = write_doc(corpus, "a.txt", "تزايد القلق الدولي من صفقات الأسلحة.")
    b = write_doc(corpus, "b.txt", "وفرضت واشنطن عقوبات جديدة.")
    writer = Store(tmp_path / "store")
    writer.add(a, 0, 5, ["arms"])
    seen = Store(tmp_path / "store", read_only=read_only)
    assert [x.doc for x in seen.all_annotations()] == ["a.txt"]
    # Listed long after the folder last changed: the listing is trusted from now on.
    folder = tmp_path / "store" / "docs"
    os.utime(folder, (1_000_000_000, 1_000_000_000))
    assert [x.doc for x in seen.all_annotations()] == ["a.txt"]
    assert seen._listed is not None
    writer.add(b, 0, 5, ["troops"])  # a new document file, made after seen's scan
    assert [x.doc for x in seen.all_annotations()] == ["a.txt", "b.txt"]
    writer.close()
    seen.close()
