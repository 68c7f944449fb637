"""The log files' journal: appends, replay, compaction, and what crashes and other writers
leave behind.

A change appends one line to its annotator's file; reading replays the lines; compaction
rewrites the file sorted with each id once. Random sequences of every kind of change —
two instances writing in turn, compaction forced often — are checked after each step
against a fresh instance reading the files; processes killed while appending or
compacting, and two processes appending and compacting at once, never lose an
acknowledged tag.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_support import SEED, acknowledged, log_path, read_log, write_doc, write_log

from reader.corpus import Document, read_document
from reader.errors import StoreError
from reader.store import Store, docfile
from reader.store.journal import TORN_SUFFIX

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
    st.tuples(st.just("close"), st.none(), st.none()),
)


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
    elif kind == "other":  # a second instance (another annotator) writes in between
        assert isinstance(a, tuple) and isinstance(b, str)
        other.add(doc, a[0], a[1], [b])
    elif kind == "close":  # compacts the small files it wrote; the instance goes on
        store.close()


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_what_a_fresh_instance_replays_is_what_the_writer_holds(
    steps: list[tuple[str, object, object]],
) -> None:
    with tempfile.TemporaryDirectory() as name, pytest.MonkeyPatch.context() as patch:
        patch.setattr(docfile, "COMPACT_MIN", 3)  # compaction every few lines
        patch.setattr(docfile, "COMPACT_SHARE", 1)
        tmp = Path(name)
        doc = write_doc(tmp / "corpus", "a.txt", TEXT)
        store, other = Store(tmp / "store", "one"), Store(tmp / "store", "two")
        for step in steps:
            _apply(store, other, doc, step)
            fresh = Store(tmp / "store", read_only=True)
            assert fresh.annotations(doc.rel) == store.annotations(doc.rel)
            assert other.annotations(doc.rel) == store.annotations(doc.rel)
            assert not fresh.problems
            for annotator in ("one", "two"):
                path = log_path(tmp / "store", doc.rel, annotator)
                if path.exists():
                    header, _ = read_log(path)
                    assert header == {
                        "format": "reader-log", "schema": 2, "doc": "a.txt", "annotator": annotator
                    }  # fmt: skip
        store.close()
        other.close()
        for annotator in ("one", "two"):  # closed: every file compacted, sorted by id, once
            path = log_path(tmp / "store", doc.rel, annotator)
            if path.exists():
                ids = [line["id"] for line in read_log(path)[1]]
                assert ids == sorted(set(ids))


# --- what crashes leave ------------------------------------------------------------------


@pytest.fixture
def tagged(tmp_path: Path) -> tuple[Path, Document, Path, bytes]:
    """A store with two annotations of one document; its log and the log's bytes."""
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "store", "me")
    store.add(doc, 0, 4, ["arms"])
    store.add(doc, 5, 12, ["troops"])
    path = log_path(store.root, doc.rel, "me")
    return store.root, doc, path, path.read_bytes()


def test_a_torn_last_line_is_ignored_then_set_aside_by_the_next_writer(
    tagged: tuple[Path, Document, Path, bytes],
) -> None:
    root, doc, path, good = tagged
    torn = b'{"id":"half-written","doc":"a.txt","sta'
    path.write_bytes(good + torn)
    reader = Store(root, read_only=True)
    assert len(reader.annotations(doc.rel)) == 2 and reader.problems == []
    writer = Store(root, "me")
    assert writer.is_writable(doc.rel)
    made = writer.add(doc, 13, 15, ["china"])
    assert path.read_bytes().startswith(good) and torn not in path.read_bytes()
    assert path.with_name(path.name + TORN_SUFFIX).read_bytes() == torn + b"\n"  # kept
    assert [a.id for a in Store(root, read_only=True).annotations(doc.rel)][-1] == made.id
    assert [a.id for a in reader.annotations(doc.rel)][-1] == made.id


def test_a_line_from_a_newer_program_makes_the_file_read_only(
    tagged: tuple[Path, Document, Path, bytes],
) -> None:
    root, doc, path, good = tagged
    for line in (b'{"op":"move","id":"x","by":3}\n', b"\x00" * 10 + b"\n", b"[" * 100_000 + b"\n"):
        path.write_bytes(good + line)
        store = Store(root, "me")
        [problem] = store.problems
        assert str(path) in problem and "line 4" in problem and len(problem) < 400
        with pytest.raises(StoreError, match="nothing written"):
            store.add(doc, 13, 15, ["china"])
        assert len(store.annotations(doc.rel)) == 2
        assert path.read_bytes() == good + line


def test_a_huge_garbage_line_is_one_short_problem(
    tagged: tuple[Path, Document, Path, bytes],
) -> None:
    root, doc, path, good = tagged
    path.write_bytes(good + b"x" * 20_000_000 + b"\n")
    store = Store(root, "me")
    [problem] = store.problems
    assert "line 4: not valid JSON" in problem and len(problem) < 400
    assert len(store.annotations(doc.rel)) == 2


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling", "directory"])
def test_a_log_that_is_not_a_regular_file_is_neither_read_nor_written_through(
    tmp_path: Path, tagged: tuple[Path, Document, Path, bytes], kind: str
) -> None:
    root, doc, path, good = tagged
    outside = tmp_path / "outside.jsonl"
    outside.write_bytes(good)
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        path.symlink_to(outside)
    elif kind == "dangling":
        path.symlink_to(tmp_path / "nowhere")
    else:
        path.mkdir()
    store = Store(root, "me")  # would block on a FIFO if it were read
    [problem] = store.problems
    assert str(path) in problem and "read-only" in problem
    with pytest.raises(StoreError):
        store.add(doc, 13, 15, ["china"])
    assert outside.read_bytes() == good and not (tmp_path / "nowhere").exists()


def test_a_full_disk_during_compaction_keeps_the_log_and_the_change(
    tagged: tuple[Path, Document, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, doc, path, _ = tagged
    store = Store(root, "me")
    monkeypatch.setattr(docfile, "COMPACT_MIN", 1)
    monkeypatch.setattr(docfile, "COMPACT_SHARE", 1)
    real = os.replace

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    made = store.add(doc, 13, 15, ["china"])  # appended; the compaction after it fails
    monkeypatch.setattr(os, "replace", real)
    assert made in Store(root, read_only=True).annotations(doc.rel)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(path.read_bytes().splitlines()) == 4  # header and three appended lines


# --- processes ------------------------------------------------------------------------

#: Tags in a loop like store_support.TAGGER, compacting after every few lines.
COMPACTING_TAGGER = """
import sys
from reader.corpus import read_document
from reader.store import Store, docfile
docfile.COMPACT_MIN, docfile.COMPACT_SHARE = 3, 1
doc = read_document(sys.argv[1], sys.argv[2])
store = Store(sys.argv[3], sys.argv[6], scan=False)
count, offset = int(sys.argv[4]), int(sys.argv[5])
i = 0
while count == 0 or i < count:
    start = (offset + i * 7) % (len(doc.text) - 20)
    ann = store.add(doc, start, start + 10, ["arms"])
    if i % 2:
        store.set_note(ann.id, "n" * (i % 5))
    sys.stdout.write(ann.id + "\\n")
    sys.stdout.flush()
    i += 1
"""


def _tagger(root: Path, count: int, offset: int, annotator: str) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-c", COMPACTING_TAGGER, str(SEED), str(SEED.parent), str(root)]
    return subprocess.Popen([*argv, str(count), str(offset), annotator], stdout=subprocess.PIPE)


def test_two_writers_appending_and_compacting_one_file_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "store"
    children = [_tagger(root, 60, offset, "same") for offset in (0, 3)]
    ids = acknowledged(children)
    assert len(ids) == 120
    store = Store(root, read_only=True)
    assert store.problems == []
    doc = read_document(SEED, SEED.parent)
    assert {a.id for a in store.annotations(doc.rel)} == ids


def test_kill_9_while_appending_or_compacting_never_loses_an_acknowledged_tag(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    doc = read_document(SEED, SEED.parent)
    rng = random.Random(20261202)
    acked: set[str] = set()
    for round_ in range(30):
        child = _tagger(root, 0, round_, "me")
        assert child.stdout is not None
        deadline = time.monotonic() + 30
        seen = b""
        while seen.count(b"\n") < rng.randint(1, 8) and time.monotonic() < deadline:
            seen += os.read(child.stdout.fileno(), 4096)
        time.sleep(rng.uniform(0, 0.01))
        child.send_signal(signal.SIGKILL)
        output = seen + child.stdout.read()
        child.wait()
        acked.update(output.decode().split("\n")[:-1])
        store = Store(root, "me")
        assert store.problems == [], f"round {round_}"
        present = {a.id for a in store.annotations(doc.rel)}
        assert not acked - present, f"round {round_}: acknowledged tags lost"
        store.close()
    assert not list(root.rglob("*.tmp"))  # the killed compactions' files were removed


# --- appending without reading: what the cache of earlier reads vouches for ----------------


@pytest.fixture
def big(tmp_path: Path) -> tuple[Path, Document, Path]:
    """A document whose log is over 1 MB (so not compacted on close), read once: cached."""
    doc = write_doc(tmp_path / "corpus", "a.txt", TEXT)
    store = Store(tmp_path / "store", "me")
    path = log_path(store.root, doc.rel, "me")
    ann = store.add(doc, 0, 4, ["arms"], note="x" * 1000)
    header, [line] = read_log(path)
    lines = [{**line, "id": f"{i:05d}-{line['id']}"} for i in range(1500)]
    write_log(path, header, lines)
    store.close()
    reader = Store(tmp_path / "store", "me")
    assert len(reader.annotations(doc.rel)) == 1500 and ann.id
    reader.close()  # remembers what it read in .logs.json
    return tmp_path / "store", doc, path


def _parsed_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from reader.store import journal

    seen: list[int] = []
    real = journal._parse

    def counting(chunk: bytes, first: int, replay: object) -> None:
        seen.append(len(chunk))
        real(chunk, first, replay)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "_parse", counting)
    return seen


def test_a_new_annotation_is_appended_to_a_big_file_without_reading_it(
    big: tuple[Path, Document, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, doc, _ = big
    parsed = _parsed_bytes(monkeypatch)
    made = Store(root, "me", scan=False).add(doc, 5, 12, ["troops"])
    assert parsed == []  # nothing read: the cache vouched for the whole file
    monkeypatch.undo()
    again = Store(root, read_only=True)
    assert len(again.annotations(doc.rel)) == 1501 and again.get(made.id) == made


def test_what_others_appended_since_is_read_and_checked_first(
    big: tuple[Path, Document, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, doc, path = big
    other = Store(root, "me", scan=False)
    other.add(doc, 13, 15, ["china"])  # another process appends (it read the file whole)
    size = path.stat().st_size
    with path.open("ab") as out:
        out.write(b'{"op":"from the future"}\n')  # ... and something it cannot check
    parsed = _parsed_bytes(monkeypatch)
    with pytest.raises(StoreError, match="nothing written"):
        Store(root, "me", scan=False).add(doc, 5, 12, ["troops"])
    assert parsed and parsed[0] < 1000  # the new lines only, then the whole file: damaged
    assert path.stat().st_size == size + 25


def test_a_file_rewritten_since_it_was_cached_is_read_whole(
    big: tuple[Path, Document, Path],
) -> None:
    root, doc, path = big
    header, lines = read_log(path)
    lines[700]["start"] = "corrupted in place"
    raw = write_log(path, header, lines)
    with pytest.raises(StoreError, match="nothing written"):
        Store(root, "me", scan=False).add(doc, 5, 12, ["troops"])
    assert path.read_bytes() == raw


def test_a_cache_that_is_garbage_is_ignored(big: tuple[Path, Document, Path]) -> None:
    root, doc, _ = big
    for garbage in (b"\x00\xff", b'{"schema": 1, "docs": {"x": {"logs": {"y": 5}}}}', b"[" * 10**5):
        (root / ".logs.json").write_bytes(garbage)
        made = Store(root, "me", scan=False).add(doc, 5, 12, ["troops"])
        assert Store(root, read_only=True).get(made.id) == made


def test_closing_after_another_annotator_started_a_log_in_the_same_document(
    tmp_path: Path,
) -> None:
    """Closing compacts the logs this instance appended to; refreshing the document on the
    way finds the other annotator's new log (it changed the dict being walked)."""
    doc = write_doc(tmp_path / "corpus", "d.txt", "جملة أولى هنا. وجملة ثانية هناك.")
    first, second = list(doc.all_sentences())
    alice, bob = Store(tmp_path / "store", "alice"), Store(tmp_path / "store", "bob")
    mine = alice.add(doc, first.start, first.end, ["arms"])
    time.sleep(0.05)  # the folder's mtime moves on, as between two processes
    theirs = bob.add(doc, second.start, second.end, ["china"])
    time.sleep(0.05)
    alice.close()
    bob.close()
    after = Store(tmp_path / "store", read_only=True)
    assert {a.id for a in after.all_annotations()} == {mine.id, theirs.id}
