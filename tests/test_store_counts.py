"""Tag counts without reading annotation files: the store's cache of what each file held.

Start-up must not grow with the store (issue 13): the library takes each document's
counts from ``.logs.json`` while the document's folder holds exactly the files the cache
describes, each with the signature it had; anything else is counted by reading it.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from store_support import log_path, write_doc

from reader.corpus import Document
from reader.store import Store

TEXT = "تزايد القلق الدولي من صفقات الأسلحة بين البلدين.\nوفرضت واشنطن عقوبات جديدة."


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Document, Document, Document]:
    """A store with a: 2 annotations (arms, arms+china), b: 1 (troops); c untagged."""
    a, b, c = (write_doc(tmp_path / "corpus", f"{n}.txt", TEXT) for n in "abc")
    store = Store(tmp_path / "store", "me")
    store.add(a, 0, 5, ["arms"])
    store.add(a, 6, 10, ["arms", "china"])
    store.add(b, 0, 5, ["troops"])
    store.close()  # remembers what it read and wrote
    return tmp_path / "store", a, b, c


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The log files read from now on (by name)."""
    from reader.store import journal

    seen: list[str] = []
    real = journal.LogStorage.poll

    def poll(self: journal.LogStorage, replay: journal.Replay) -> bool:
        seen.append(self.path.name)
        return real(self, replay)

    monkeypatch.setattr(journal.LogStorage, "poll", poll)
    return seen


def test_counts_come_from_the_cache_without_reading_a_file(
    docs: tuple[Path, Document, Document, Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, a, b, c = docs
    read = reads(monkeypatch)
    known, unknown = Store(root, "me", scan=False).known_counts([a.rel, b.rel, c.rel])
    assert known == {
        a.rel: Counter(arms=2, china=1), b.rel: Counter(troops=1), c.rel: Counter()
    }  # fmt: skip
    assert unknown == [] and read == []


@pytest.mark.parametrize("change", ["appended", "new annotator", "rewritten", "no cache"])
def test_counts_of_files_changed_since_are_read_again(
    docs: tuple[Path, Document, Document, Document], change: str
) -> None:
    root, a, b, c = docs
    if change == "appended":
        Store(root, "me", scan=False).add(a, 11, 14, ["troops"])  # another instance
    elif change == "new annotator":
        other = Store(root, "you")
        other.add(a, 11, 14, ["troops"])
    elif change == "rewritten":
        path = log_path(root, a.rel, "me")
        raw = path.read_bytes()
        path.write_bytes(raw.replace(b'"china"', b'"troop"'))
        os.utime(path, ns=(1, 1))
    else:
        (root / ".logs.json").unlink()
    store = Store(root, "me", scan=False)
    known, unknown = store.known_counts([a.rel, b.rel, c.rel])
    if change == "no cache":
        assert unknown == [a.rel, b.rel] and known == {c.rel: Counter()}
    else:
        assert unknown == [a.rel] and known[b.rel] == Counter(troops=1)
    counted = store.count_and_release(a.rel)
    expected = Counter(arms=2, china=1)
    if change in ("appended", "new annotator"):
        expected["troops"] += 1
    elif change == "rewritten":
        expected = Counter(arms=2, troop=1)
    assert counted == expected
    assert store.known_counts([a.rel])[0] == {a.rel: expected}  # remembered, released
    assert a.rel not in {f.rel for f in store._files.values() if f.read_once}
    store.save_cache()
    assert Store(root, "me", scan=False).known_counts([a.rel]) == ({a.rel: expected}, [])


def test_a_document_open_in_this_instance_is_counted_as_it_is(
    docs: tuple[Path, Document, Document, Document],
) -> None:
    root, a, _, _ = docs
    store = Store(root, "me", scan=False)
    mine = store.add(a, 11, 14, ["troops"])
    store.toggle_theme(a, 0, 5, "china")
    known, unknown = store.known_counts([a.rel])
    assert unknown == [] and known[a.rel] == Counter(arms=2, china=2, troops=1)
    store.delete(mine.id)
    assert store.known_counts([a.rel])[0][a.rel] == Counter(arms=2, china=2)


def test_a_damaged_file_is_never_counted_from_the_cache(
    docs: tuple[Path, Document, Document, Document],
) -> None:
    root, a, _, _ = docs
    path = log_path(root, a.rel, "me")
    path.write_bytes(path.read_bytes() + b"garbage\n")
    store = Store(root, "me", scan=False)
    assert store.known_counts([a.rel])[1] == [a.rel]
    store.count_and_release(a.rel)
    assert any(str(path) in p for p in store.problems)
    store.close()
    assert Store(root, "me", scan=False).known_counts([a.rel])[1] == [a.rel]  # not remembered
