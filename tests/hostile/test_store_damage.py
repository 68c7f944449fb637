"""Damaged store files: the program starts, names the file and the problem, keeps the
document read-only, and never overwrites the damaged file; names never escape the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.corpus import Document, read_document
from reader.errors import ReaderError, StoreError
from reader.store import Store
from reader.ui.app import make_app

from .fixtures import ARABIC, ESC, record_notifications

TEXT = ARABIC + "\n" + "وقالت الوكالة إن العقوبات لم تمنع وصول الصواريخ.\n"


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (links not followed) → digest of its bytes."""
    found = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Document, Path]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, "utf-8")
    return read_document(folder / "doc.txt", folder), tmp_path / "store"


def _stored(doc: Document, store_dir: Path, count: int = 2) -> Path:
    """A healthy store holding ``count`` annotations of ``doc``; returns tester's log file."""
    store = Store(store_dir, "tester")
    for i in range(count):
        store.add(doc, i * 4, i * 4 + 3, ["arms"], note=f"note {i}")
    store.close()
    (path,) = (store_dir / "docs").glob("*/*.jsonl")
    return path


def _lines(path: Path) -> list[dict[str, object]]:
    """The log's lines after its header: its records, as compacted on close."""
    return [json.loads(line) for line in path.read_bytes().splitlines()[1:]]


def _rewrite(path: Path, change: Callable[[list[dict[str, object]]], object]) -> None:
    """Apply ``change`` to the parsed lines (the header first) and write them back."""
    lines = [json.loads(line) for line in path.read_bytes().splitlines()]
    change(lines)
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")


def _give_an_unknown_theme(path: Path) -> None:
    _rewrite(path, lambda ls: ls[1].update(themes=["arms", "smuggling"]))


def _damage_truncated(path: Path) -> None:
    # Cut inside the header. Cut after it, the last line would be what an interrupted
    # append leaves: ignored and set aside, not damage (tests/test_store_journal.py).
    raw = path.read_bytes()
    path.write_bytes(raw[: raw.index(b"\n") // 2])


def _damage_corrupted(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 3 : len(raw) // 3 + 8] = b"\xff\x00{]\x1b[2J"
    path.write_bytes(bytes(raw))


def _damage_empty(path: Path) -> None:
    path.write_bytes(b"")


def _damage_wrong_schema_list(path: Path) -> None:
    path.write_text('[{"id": 1}]\n', "utf-8")


def _damage_no_schema(path: Path) -> None:
    _rewrite(path, lambda ls: ls[0].pop("schema"))


def _damage_future_schema(path: Path) -> None:
    _rewrite(path, lambda ls: ls[0].update(schema=99))


def _damage_mistyped_record(path: Path) -> None:
    _rewrite(path, lambda ls: ls[1].update(start="zero"))


def _damage_duplicate_ids(path: Path) -> None:
    # Another annotator's file of the document holding one of this file's ids: the first
    # file by name keeps it, the other is damaged.
    from reader.store.names import annotator_filename

    lines = [json.loads(line) for line in path.read_bytes().splitlines()]
    header = {**lines[0], "annotator": "another"}
    record = {**lines[1], "annotator": "another"}
    other = path.with_name(annotator_filename("another"))
    assert other.name < path.name
    other.write_text(json.dumps(header) + "\n" + json.dumps(record) + "\n", "utf-8")


def _damage_offsets_past_end(path: Path) -> None:
    _rewrite(path, lambda ls: ls[2].update(start=10_000, end=10_010))


def _damage_huge_number(path: Path) -> None:
    # A number of 5,000 digits: int() refuses it (Python's digit limit).
    with path.open("a", encoding="utf-8") as out:
        out.write("9" * 5000 + "\n")


def _damage_deep_nesting(path: Path) -> None:
    path.write_text('{"annotations": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "utf-8")


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    # name → (damage, a word the problem line must hold)
    "truncated": (_damage_truncated, "truncated"),
    "corrupted": (_damage_corrupted, "not"),
    "empty": (_damage_empty, "empty"),
    "wrong_schema_list": (_damage_wrong_schema_list, "not"),
    "no_schema": (_damage_no_schema, "schema"),
    "future_schema": (_damage_future_schema, "schema"),
    "mistyped_record": (_damage_mistyped_record, "start"),
    "duplicate_ids": (_damage_duplicate_ids, "duplicate"),
    "offsets_past_end": (_damage_offsets_past_end, "past the end"),
    "huge_number": (_damage_huge_number, "line 4"),
    "deep_nesting": (_damage_deep_nesting, ""),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_file_is_named_kept_read_only_and_never_overwritten(
    damage: str, corpus: tuple[Document, Path]
) -> None:
    doc, store_dir = corpus
    path = _stored(doc, store_dir)
    ids = [line["id"] for line in _lines(path)]
    damage_fn, word = DAMAGES[damage]
    damage_fn(path)
    before = path.read_bytes()
    outside_before = tree_digest(store_dir.parent / "corpus")

    store = Store(store_dir, "tester")  # opens: no exception
    store.sync(doc)
    problems = [p for p in store.problems if str(path) in p]
    assert problems, store.problems  # names the file
    assert all("\n" not in p for p in store.problems)
    assert word in problems[0], problems[0]
    assert not store.is_writable(doc.rel)

    # Every kind of write is refused with a one-line error, and the file is untouched.
    attempts: list[Callable[[], object]] = [
        lambda: store.add(doc, 20, 25, ["troops"]),
        lambda: store.toggle_theme(doc, 20, 25, "troops"),
    ]
    for ann in store.annotations(doc.rel):
        attempts += [
            lambda a=ann: store.set_note(a.id, "overwritten?"),
            lambda a=ann: store.toggle_theme(doc, a.start, a.end, "arms"),
            lambda a=ann: store.delete(a.id),
        ]
    for attempt in attempts:
        with pytest.raises(ReaderError) as info:
            attempt()
        assert "\n" not in str(info.value)
    store.undo()
    store.close()
    assert path.read_bytes() == before
    assert tree_digest(store_dir.parent / "corpus") == outside_before
    assert len(ids) == 2  # the healthy file really held the annotations we damaged


def test_valid_records_of_a_damaged_file_are_still_shown(corpus: tuple[Document, Path]) -> None:
    doc, store_dir = corpus
    path = _stored(doc, store_dir, count=3)
    _damage_mistyped_record(path)
    store = Store(store_dir, "tester")
    shown = store.sync(doc)
    assert len(shown) == 2  # the one bad record is left out, the others stay visible


def test_damaged_store_meta_makes_the_whole_store_read_only(corpus: tuple[Document, Path]) -> None:
    doc, store_dir = corpus
    path = _stored(doc, store_dir)
    meta = store_dir / "store.json"
    meta.write_text('{"format": "reader-store", "schema": 7}', "utf-8")
    before = {p: p.read_bytes() for p in (meta, path)}
    store = Store(store_dir, "tester")
    assert any(str(meta) in p and "schema" in p for p in store.problems), store.problems
    with pytest.raises(StoreError):
        store.add(doc, 20, 25, ["troops"])
    store.close()
    assert {p: p.read_bytes() for p in before} == before


def test_damaged_themes_file_falls_back_to_defaults_and_says_so(
    corpus: tuple[Document, Path],
) -> None:
    doc, store_dir = corpus
    _stored(doc, store_dir)
    themes = store_dir / "themes.toml"
    themes.write_text('[[theme]]\nkey = "arms"\nlabel_en = \x1b]52;c;HX\x07\n', "utf-8")
    before = themes.read_bytes()
    store = Store(store_dir, "tester")
    assert any(str(themes) in p for p in store.problems), store.problems
    assert "arms" in store.themes
    assert len(store.sync(doc)) == 2
    store.close()
    assert themes.read_bytes() == before


def test_unknown_theme_keys_are_reported_and_never_lost(corpus: tuple[Document, Path]) -> None:
    doc, store_dir = corpus
    path = _stored(doc, store_dir)
    _give_an_unknown_theme(path)
    store = Store(store_dir, "tester")
    store.sync(doc)
    line = next((p for p in store.problems if "smuggling" in p), None)
    assert line is not None and str(path) in line, store.problems
    # Whether or not the document stays writable, a write must not drop the unknown key.
    with contextlib.suppress(StoreError):
        store.add(doc, 20, 25, ["troops"])
    store.close()
    themes = [r["themes"] for r in _lines(path) if "themes" in r]
    assert ["arms", "smuggling"] in themes


# --- names that try to leave the store ---------------------------------------------

HOSTILE_NAMES = [
    "../../escaped.txt",
    "../outside/doc.txt",
    "/tmp/absolute-escape.txt",
    "..",
    ".",
    "",
    "a/../../../b.txt",
    "..\\..\\win.txt",
    "C:\\Windows\\evil.txt",
    f"{ESC}]0;title\x07\u202e\x00.txt",
    "x" * 1000 + ".txt",
    "ب" * 300 + ".txt",
    "con.txt",
    ".lock",
    "store.json",
    "../store.json",
    "docs/../../x",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_document_names_cannot_write_outside_the_store(
    name: str, tmp_path: Path, corpus: tuple[Document, Path]
) -> None:
    real, _ = corpus
    root = tmp_path / "sandbox"
    store_dir = root / "a" / "store"
    outside_before = {
        k: v for k, v in tree_digest(tmp_path).items() if not k.startswith("sandbox/a/store/")
    }
    doc = Document(real.path, name, real.text, real.encoding, real.size)
    store = Store(store_dir, "tester")
    ann = store.add(doc, 0, 5, ["arms"], note=name)
    store.close()
    outside_after = {
        k: v for k, v in tree_digest(tmp_path).items() if not k.startswith("sandbox/a/store/")
    }
    assert outside_after == outside_before
    assert not Path("/tmp/absolute-escape.txt").exists()
    files = list((store_dir / "docs").rglob("*"))
    assert all(f.parent.parent in (store_dir, store_dir / "docs") for f in files)
    assert all(len(f.name.encode()) < 255 for f in files)
    assert json.loads((store_dir / "store.json").read_bytes())["schema"] == 2
    # and the annotation is there when the store is opened again
    again = Store(store_dir, "tester")
    assert [a.id for a in again.annotations(name)] == [ann.id]
    assert again.problems == []


# --- the app on a damaged store ------------------------------------------------------


@pytest.mark.parametrize(
    "damage", ["truncated", "future_schema", "duplicate_ids", "offsets_past_end"]
)
async def test_app_starts_on_a_damaged_store_says_so_and_writes_nothing(
    damage: str, corpus: tuple[Document, Path]
) -> None:
    doc, store_dir = corpus
    path = _stored(doc, store_dir)
    DAMAGES[damage][0](path)
    before = tree_digest(store_dir.parent)
    app = make_app([doc.path], store_dir, "app", "tester", open_path=doc.path)
    toasts = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # tagging keys on the first sentence, a note, a delete, undo: all refused
        await pilot.press("1", "2", "d", "u")
        await pilot.pause()
        assert any(str(path) in t for t in toasts), toasts  # says which file…
        assert any("read-only" in t for t in toasts), toasts  # …and what it means
    after = tree_digest(store_dir.parent)
    assert after == before  # the damaged file untouched, nothing written anywhere


async def test_library_starts_on_a_damaged_store(corpus: tuple[Document, Path]) -> None:
    doc, store_dir = corpus
    path = _stored(doc, store_dir)
    _damage_corrupted(path)
    raw = path.read_bytes()
    app = make_app([doc.path.parent], store_dir, "app", "tester")
    toasts = record_notifications(app)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert any(str(path) in t for t in toasts), toasts
        await pilot.press("enter")  # open the document from the library
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
    assert path.read_bytes() == raw


@pytest.mark.parametrize("field", ["label_en", "label_ar"])
def test_theme_labels_with_control_characters_are_refused(
    field: str, corpus: tuple[Document, Path]
) -> None:
    """TOML strings may hold \\u001b: such a label would be drawn raw by Rich and Textual."""
    doc, store_dir = corpus
    _stored(doc, store_dir)
    labels = {"label_en": "Arms", "label_ar": "الأسلحة"}
    labels[field] += r" \u001b]0;HXLABEL\u0007"
    themes = store_dir / "themes.toml"
    themes.write_text(
        '[[theme]]\nkey = "arms"\ncolor = "#e4572e"\ndigit = "1"\n'
        + "".join(f'{k} = "{v}"\n' for k, v in labels.items()),
        "utf-8",
    )
    store = Store(store_dir, "tester")
    line = next((p for p in store.problems if str(themes) in p), "")
    assert field in line and "control character" in line, store.problems
    assert all("\x1b" not in t.label_en + t.label_ar for t in store.themes)
    assert len(store.sync(doc)) == 2  # the annotations are still all there


@pytest.mark.parametrize("kind", ["dev_zero", "fifo", "directory"])
def test_a_store_file_that_is_not_a_regular_file_is_refused_not_read(
    kind: str, tmp_path: Path
) -> None:
    """``docs/x.json`` → /dev/zero would be read forever, a FIFO would block the start."""
    docs = tmp_path / "store" / "docs"
    docs.mkdir(parents=True)
    evil = docs / "evil-0123456789abcdef.json"
    if kind == "dev_zero":
        evil.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(evil)
    else:
        evil.mkdir()
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from reader.store import Store\n"
        f"print('\\n'.join(Store({str(tmp_path / 'store')!r}, 'tester').problems))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr[-500:]
    assert str(evil) in done.stdout, done.stdout


@pytest.mark.parametrize("name", ["store.json", "themes.toml", "keymap.toml", ".index.json"])
def test_store_folder_files_that_are_fifos_do_not_block_the_start(
    name: str, tmp_path: Path, corpus: tuple[Document, Path]
) -> None:
    """Every file the program reads from the store folder: a FIFO is refused, not waited on."""
    doc, store_dir = corpus
    _stored(doc, store_dir)
    fifo = store_dir / name
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    code = (
        "import asyncio, sys\n"
        "from reader.errors import ReaderError\n"
        "from reader.ui.app import make_app\n"
        "async def main():\n"
        f"    app = make_app([{str(doc.path.parent)!r}], {str(store_dir)!r}, 'app', 't')\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause(0.5)\n"
        "    print('started')\n"
        "try:\n"
        "    asyncio.run(main())\n"
        "except ReaderError as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr[-800:]
    # the app starts (the store names the file), or refuses in one line naming it
    assert "started" in done.stdout or (name in done.stdout and "regular" in done.stdout)


def test_unknown_theme_keys_leave_the_document_writable(
    corpus: tuple[Document, Path],
) -> None:
    """Issue 12 item 7: an unknown theme key (anyone's export can carry one) is reported
    and kept, and never locks the document it names: it stays writable."""
    doc, store_dir = corpus
    path = _stored(doc, store_dir)
    _give_an_unknown_theme(path)
    store = Store(store_dir, "tester")
    store.sync(doc)
    assert store.is_writable(doc.rel)
    assert any("smuggling" in p and "stays writable" in p for p in store.problems)
    store.add(doc, 20, 25, ["troops"])
    assert len(Store(store_dir, "x").annotations(doc.rel)) == 3
