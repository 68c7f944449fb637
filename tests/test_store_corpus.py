"""The store remembers its corpus (issue 17, item 12).

``reader export`` and ``reader stats`` run from another folder said "the document's text
was not found" and listed passages out of context. The store now notes, in its local
``.corpus.json``, the folder its documents were tagged from (relative to the store's
folder and absolute), and the commands look there when no ``--corpus`` is given. The
shared ``store.json`` never changes for it: clones keep their corpus where they like.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from store_support import SEEDS

from reader.cli import main
from reader.corpus import read_document
from reader.store import Store
from reader.store.corpus_memory import MAX_FOLDERS, document_folder, remembered_folders
from reader.store.folder import CORPUS_FILE

QUOTE = "كوريا الشمالية"
SEED = "000_0430b5cc33e0e526.txt"


@pytest.fixture
def tagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A corpus and a store beside it, tagged with ``reader tag``; the cwd elsewhere."""
    corpus = tmp_path / "project" / "texts"
    shutil.copytree(SEEDS, corpus)
    store = tmp_path / "project" / "annotations"
    argv = ["--store", str(store), "--root", str(corpus), "--annotator", "me"]
    assert main(["tag", str(corpus / SEED), "--quote", QUOTE, "--theme", "arms", *argv]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return corpus, store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # what came before
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tagging_notes_the_corpus_folder_locally_and_once(tagged: tuple[Path, Path]) -> None:
    corpus, store = tagged
    memory = store / CORPUS_FILE
    body = json.loads(memory.read_text())
    assert body == {"folders": [{"relative": "../texts", "absolute": str(corpus.resolve())}]}
    shared = (store / "store.json").read_bytes()
    assert json.loads(shared) == {"format": "reader-store", "schema": 2}
    before = os.stat(memory)
    other = Store(store, "me")
    made = other.add(read_document(corpus / "001_7a27a54a086accf8.txt", corpus), 0, 5, ["troops"])
    other.toggle_theme(read_document(corpus / SEED, corpus), made.start, made.end, "arms")
    other.close()
    after = os.stat(memory)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # known
    assert (store / "store.json").read_bytes() == shared  # the shared file never changes


def test_export_and_stats_from_elsewhere_find_the_text(
    tagged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "export", "-f", "html", "--store", str(tagged[1]))
    assert code == 0 and err == "" and "not found" not in out, out + err
    assert "الشمالية" in out
    code, out, err = run(capsys, "stats", "--store", str(tagged[1]))
    assert code == 0 and err == "", err
    [row] = [line for line in out.splitlines() if line.startswith(SEED)]
    assert "1 (0.2%)" in row and "—" not in row  # its text was read: the share is known


def test_a_project_moved_whole_finds_its_corpus_by_the_relative_path(
    tagged: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, _ = tagged
    moved = tmp_path / "moved"
    shutil.move(str(corpus.parent), moved)
    assert remembered_folders(moved / "annotations") == [moved / "texts"]
    code, out, err = run(capsys, "export", "-f", "html", "--store", str(moved / "annotations"))
    assert code == 0 and err == "" and "not found" not in out


def test_a_store_moved_alone_finds_its_corpus_by_the_absolute_path(
    tagged: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, store = tagged
    moved = tmp_path / "else" / "where" / "store"
    shutil.move(str(store), moved)
    assert remembered_folders(moved) == [corpus.resolve()]
    code, out, err = run(capsys, "export", "-f", "html", "--store", str(moved))
    assert code == 0 and err == "" and "not found" not in out


def test_without_the_memory_the_text_is_not_found(
    tagged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """What the memory is for: without it, export from elsewhere cannot find the text."""
    (tagged[1] / CORPUS_FILE).unlink()
    code, out, _ = run(capsys, "export", "-f", "html", "--store", str(tagged[1]))
    assert code == 0 and "not found" in out


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[1, 2]",
        b'{"folders": "../texts"}',
        b'{"folders": [1, null, {}, {"relative": 3, "absolute": []}]}',
        b'{"folders": [{"relative": "\\u0000", "absolute": "/x\\u0000"}]}',
        b'{"folders": [{"relative": "../../../../../../../nowhere", "absolute": "/nowhere"}]}',
        b"[" * 100_000,
        b" " * 70_000 + b"{}",
    ],
    ids=["empty", "bad", "list", "string", "odd", "nul", "gone", "deep", "big"],
)
def test_a_memory_that_is_odd_or_gone_is_ignored(
    tagged: tuple[Path, Path], capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    (tagged[1] / CORPUS_FILE).write_bytes(content)
    code, out, err = run(capsys, "export", "-f", "jsonl", "--store", str(tagged[1]))
    assert code == 0 and err == "" and len(out.splitlines()) == 1  # the annotation, as stored
    store = Store(tagged[1], "me")
    assert store.problems == []
    # A tag writes a good one again.
    corpus = tagged[0]
    store.add(read_document(corpus / SEED, corpus), 0, 4, ["arms"])
    assert remembered_folders(tagged[1]) == [corpus]


def test_a_fifo_in_its_place_is_not_waited_on(
    tagged: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tagged[1] / CORPUS_FILE).unlink()
    os.mkfifo(tagged[1] / CORPUS_FILE)
    code, out, _ = run(capsys, "export", "-f", "html", "--store", str(tagged[1]))
    assert code == 0 and "not found" in out  # ignored, not blocked on


def test_corpus_given_on_the_command_line_wins(
    tagged: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    argv = ["export", "-f", "html", "--store", str(tagged[1]), "--corpus", str(empty)]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "not found" in out  # that corpus has no such document


def test_reader_import_notes_the_corpus_it_found_the_documents_in(
    tagged: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, store = tagged
    export = tmp_path / "out.jsonl"
    assert run(capsys, "export", "-f", "jsonl", "--store", str(store), "-o", str(export))[0] == 0
    fresh = tmp_path / "fresh"
    argv = ["import", str(export), "--store", str(fresh), "--corpus", str(corpus)]
    assert run(capsys, *argv)[0] == 0
    assert remembered_folders(fresh) == [corpus]
    code, out, _ = run(capsys, "export", "-f", "html", "--store", str(fresh))
    assert code == 0 and "not found" not in out


def test_at_most_so_many_folders_the_latest_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "store", "me")
    for n in range(MAX_FOLDERS + 3):
        folder = tmp_path / f"corpus{n}"
        folder.mkdir()
        (folder / "a.txt").write_text("نص قصير للتجربة", encoding="utf-8")
        store.add(read_document(folder / "a.txt", folder), 0, 2, ["arms"])
    found = remembered_folders(tmp_path / "store")
    assert found == [tmp_path / f"corpus{n}" for n in range(3, MAX_FOLDERS + 3)]


def test_the_folder_of_a_document_is_its_path_less_its_key(tmp_path: Path) -> None:
    (tmp_path / "c" / "sub").mkdir(parents=True)
    (tmp_path / "c" / "sub" / "a.txt").write_text("نص", encoding="utf-8")
    assert document_folder(read_document(tmp_path / "c" / "sub" / "a.txt", tmp_path / "c")) == (
        tmp_path / "c"
    )
    doc = read_document(tmp_path / "c" / "sub" / "a.txt", tmp_path / "c")
    assert document_folder(doc.__class__(**{**doc.__dict__, "rel": "other/a.txt"})) is None
