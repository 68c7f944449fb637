"""The library index: records agree with the documents, the cache is trusted only while fresh."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import reader.index as index_module
from reader.corpus import collect, read_document
from reader.errors import DocumentError
from reader.index import INDEX_NAME, IndexRecord, LibraryIndex

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
UDHR = ROOT / "tests" / "data" / "udhr"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The seeds, the UDHR translations, one legacy-encoded file and two unreadable ones."""
    folder = tmp_path / "library"
    shutil.copytree(SEEDS, folder / "seeds")
    for path in sorted(UDHR.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "legacy.txt").write_bytes("01-مارس-2023\r\nعنوان قديم\r\n".encode("cp1256"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    return folder


def scan(store: Path, folder: Path, **kwargs: object) -> dict[Path, IndexRecord]:
    entries, problems = collect([folder])
    assert not problems
    return LibraryIndex(store).scan(entries, **kwargs)  # type: ignore[arg-type]


def test_records_agree_with_the_documents(tmp_path: Path, library: Path) -> None:
    records = scan(tmp_path / "store", library)
    entries, _ = collect([library])
    assert set(records) == {e.path for e in entries} and len(records) == 11
    for entry in entries:
        record = records[entry.path]
        try:
            doc = read_document(entry.path, entry.root)
        except DocumentError as exc:
            assert record.problem == exc.reason and not record.ok
            continue
        assert record.ok
        assert record.title == doc.title
        assert record.day == doc.date
        assert record.encoding == doc.encoding
        assert record.paragraphs == doc.paragraph_count
        assert record.warnings == doc.warnings
        assert (record.size, record.mtime_ns) == (
            entry.path.stat().st_size,
            entry.path.stat().st_mtime_ns,
        )
    legacy = records[library / "legacy.txt"]
    assert (legacy.title, legacy.date, legacy.encoding) == (
        "عنوان قديم",
        "2023-03-01",
        "windows-1256",
    )
    assert records[library / "empty.txt"].problem == "empty file"


def test_a_warm_start_reads_no_file(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = scan(tmp_path / "store", library)
    assert (tmp_path / "store" / INDEX_NAME).is_file()

    def fail(*_: object) -> IndexRecord:
        raise AssertionError("a fresh cached record was read again")

    monkeypatch.setattr(index_module, "derive", fail)
    batches: list[list[tuple[object, IndexRecord]]] = []
    second = scan(tmp_path / "store", library, on_update=batches.append)
    assert second == first
    assert len(batches) == 1 and len(batches[0]) == len(first)  # everything known at once


def test_a_changed_file_is_read_again_and_only_it(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    scan(store, library)
    grown, touched = library / "legacy.txt", library / "seeds" / "002_691f64315ff478ca.txt"
    grown.write_text("02-أبريل-2024\nعنوان جديد أطول من القديم\n", "utf-8")
    info = touched.stat()
    os.utime(touched, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # same size
    read: list[Path] = []
    real = index_module.derive

    def spy(path: Path, info: os.stat_result) -> IndexRecord:
        read.append(path)
        return real(path, info)

    monkeypatch.setattr(index_module, "derive", spy)
    records = scan(store, library)
    assert sorted(read) == sorted([grown, touched])
    assert (records[grown].title, records[grown].date) == (
        "عنوان جديد أطول من القديم",
        "2024-04-02",
    )
    assert records[touched].mtime_ns == touched.stat().st_mtime_ns


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"code": "other code", "files": {}}',
    ],
)
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, library: Path, damage: bytes) -> None:
    store = tmp_path / "store"
    expected = scan(store, library)
    (store / INDEX_NAME).write_bytes(damage)
    index = LibraryIndex(store)
    entries, _ = collect([library])
    assert index.scan(entries) == expected
    raw = json.loads((store / INDEX_NAME).read_bytes())
    assert len(raw["files"]) == len(expected)  # unreadable files too: their problem is cached


def test_a_damaged_record_is_read_again_and_the_rest_kept(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    expected = scan(store, library)
    raw = json.loads((store / INDEX_NAME).read_bytes())
    victim = str(library / "legacy.txt")
    raw["files"][victim]["paragraphs"] = "three"
    (store / INDEX_NAME).write_text(json.dumps(raw), "utf-8")
    read: list[Path] = []
    real = index_module.derive
    monkeypatch.setattr(index_module, "derive", lambda p, i: read.append(p) or real(p, i))
    assert scan(store, library) == expected
    assert read == [Path(victim)]


def test_a_cache_from_other_code_is_not_trusted(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    scan(store, library)
    monkeypatch.setattr(index_module, "_code_stamp", lambda: "changed")
    read: list[Path] = []
    real = index_module.derive
    monkeypatch.setattr(index_module, "derive", lambda p, i: read.append(p) or real(p, i))
    scan(store, library)
    assert len(read) == 11


def test_the_cache_is_written_atomically(tmp_path: Path, library: Path) -> None:
    store = tmp_path / "store"
    scan(store, library)
    assert sorted(p.name for p in store.iterdir()) == [INDEX_NAME]  # no temp file left
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store folder should be", "utf-8")
    index = LibraryIndex(blocked)
    entries, _ = collect([library])
    assert len(index.scan(entries)) == len(entries)  # still works without a cache
    assert index.error is not None and str(blocked) in index.error
    assert "\n" not in index.error


def test_read_only_never_writes(tmp_path: Path, library: Path) -> None:
    entries, _ = collect([library])
    LibraryIndex(tmp_path / "store", read_only=True).scan(entries)
    assert not (tmp_path / "store").exists()


def test_deleted_files_are_forgotten_other_folders_kept(tmp_path: Path, library: Path) -> None:
    store = tmp_path / "store"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEEDS / "004_3e647ad5bef2f076.txt", other / "kept.txt")
    scan(store, other)
    scan(store, library)
    (library / "legacy.txt").unlink()
    scan(store, library)
    files = json.loads((store / INDEX_NAME).read_bytes())["files"]
    assert str(library / "legacy.txt") not in files
    assert str(other / "kept.txt") in files
    assert str(library / "seeds" / "004_3e647ad5bef2f076.txt") in files


def test_opening_one_file_keeps_its_neighbours(tmp_path: Path, library: Path) -> None:
    store = tmp_path / "store"
    scan(store, library)
    entries, _ = collect([library / "legacy.txt"])
    LibraryIndex(store).scan(entries)
    files = json.loads((store / INDEX_NAME).read_bytes())["files"]
    assert len(files) == 11


def test_batches_come_fresh_first_then_in_order(tmp_path: Path, library: Path) -> None:
    store = tmp_path / "store"
    entries, _ = collect([library])
    LibraryIndex(store).scan(entries[:3])
    batches = list(LibraryIndex(store).batches(entries, batch_size=2, max_delay=60))
    assert [e.path for e, _ in batches[0]] == [e.path for e in entries[:3]]
    rest = [e.path for batch in batches[1:] for e, _ in batch]
    assert rest == [e.path for e in entries[3:]]
    assert all(len(batch) <= 2 for batch in batches[1:])


def test_stopping_early_keeps_what_was_read(tmp_path: Path, library: Path) -> None:
    store = tmp_path / "store"
    entries, _ = collect([library])
    calls = iter(range(100))
    found = LibraryIndex(store).scan(entries, should_stop=lambda: next(calls) >= 4)
    assert len(found) == 4
    assert len(json.loads((store / INDEX_NAME).read_bytes())["files"]) == 4


def test_a_file_gone_since_the_walk_is_a_problem_not_a_crash(tmp_path: Path, library: Path) -> None:
    entries, _ = collect([library])
    (library / "legacy.txt").unlink()
    found = LibraryIndex(tmp_path / "store").scan(entries)
    assert found[library / "legacy.txt"].problem == "no such file"
