"""Deep nesting in every file the program parses (issue 12, item 11).

Seen: ``themes.toml`` or ``keymap.toml`` holding 5,000 nested arrays, or an import record
about 985 levels deep, ended in ``internal error: RecursionError`` with exit 1, and the app
would not start. Expected: one line naming the file (exit 2 for a command, a warning and
the defaults for themes), never a RecursionError — whatever the depth, whatever the
brackets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.export import importer
from reader.index import LibraryIndex
from reader.store import Store, load_themes
from reader.store.legacy import LegacyJSONStorage
from reader.ui.keymap import load_keymap
from reader.ui.suggestions import Rejections

from .fixtures import ARABIC, reader_cli
from .strategies import fuzz_settings

DEPTHS = st.one_of(st.sampled_from([900, 985, 1000, 5000, 50_000]), st.integers(1, 3000))
JSON_OPEN = {"array": ("[", "]"), "object": ('{"a":', "}"), "mixed": ('[{"a":', "}]")}
TOML_OPEN = {"array": ("[", "]"), "table": ("{a=", "}"), "mixed": ("[{a=", "}]")}


def deep_json(depth: int, shape: str) -> str:
    left, right = JSON_OPEN[shape]
    return left * depth + "1" + right * depth


def deep_toml(key: str, depth: int, shape: str) -> str:
    left, right = TOML_OPEN[shape]
    return f"{key} = {left * depth}1{right * depth}\n"


def record(extra: object) -> dict[str, object]:
    return {
        "id": "a1", "doc": "doc.txt", "doc_sha256": "0" * 64, "start": 0, "end": 3,
        "quote": ARABIC[:3], "prefix": "", "suffix": ARABIC[3:10], "themes": ["arms"],
        "note": "", "annotator": "x", "created": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z", "status": "anchored", "extra": extra,
    }  # fmt: skip


def one_line(exc: BaseException, name: str) -> None:
    assert isinstance(exc, ReaderError), repr(exc)
    assert "\n" not in str(exc) and name in str(exc), str(exc)


toml_cases = given(DEPTHS, st.sampled_from(list(TOML_OPEN)))


@fuzz_settings(40)
@toml_cases
def test_deep_toml_themes_fall_back_to_the_defaults_with_one_line(
    tmp_path_factory: pytest.TempPathFactory, depth: int, shape: str
) -> None:
    store = tmp_path_factory.mktemp("store")
    (store / "themes.toml").write_text(deep_toml("theme", depth, shape), "utf-8")
    try:
        load_themes(store)
    except ReaderError as exc:
        one_line(exc, "themes.toml")
    opened = Store(store, "tester", scan=False)
    assert opened.themes.keys() == ["arms", "troops", "sanctions", "china"]
    assert len(opened.problems) == 1 and "themes.toml" in opened.problems[0]
    opened.close()


@fuzz_settings(40)
@toml_cases
def test_a_deep_keymap_is_one_line(
    tmp_path_factory: pytest.TempPathFactory, depth: int, shape: str
) -> None:
    store = tmp_path_factory.mktemp("store")
    (store / "keymap.toml").write_text(deep_toml("tag_1", depth, shape), "utf-8")
    with pytest.raises(ReaderError) as caught:
        load_keymap(store)
    one_line(caught.value, "keymap.toml")


@fuzz_settings(60)
@given(DEPTHS, st.sampled_from(list(JSON_OPEN)), st.sampled_from(["whole", "jsonl", "json"]))
def test_deep_json_in_an_import_is_refused_and_nothing_is_stored(
    tmp_path_factory: pytest.TempPathFactory, depth: int, shape: str, where: str
) -> None:
    tmp = tmp_path_factory.mktemp("import")
    path = tmp / "in.json"
    inner = deep_json(depth, shape)
    if where == "whole":
        path.write_text(inner, "utf-8")
    else:
        text = json.dumps(record("PLACE"))
        line = text.replace('"PLACE"', inner)
        if where == "json":
            line = f'{{"format": "reader-annotations", "version": 1, "annotations": [{line}]}}'
        path.write_text(line + "\n", "utf-8")
    store = Store(tmp / "store", "tester")
    try:
        parsed = importer.parse(path)
        importer.import_into(store, parsed, {})
    except ReaderError as exc:
        one_line(exc, "in.json")
    else:
        shallow = depth + (2 if shape == "array" else 3) <= importer.MAX_RECORD_DEPTH
        assert shallow or (parsed.annotations == [] and len(parsed.rejected) == 1)
    finally:
        store.close()
    again = Store(tmp / "store", "tester")
    assert again.problems == []  # whatever was written reads back
    again.close()


def test_deep_store_files_make_one_line_each(tmp_path: Path) -> None:
    """The store's own JSON files, nested too deeply: a problem each, no RecursionError."""
    deep = deep_json(100_000, "array")
    store = tmp_path / "store"
    (store / "docs").mkdir(parents=True)
    (store / "docs" / "doc.txt.json").write_text(deep, "utf-8")
    with pytest.raises(ReaderError, match="nested too deeply") as caught:
        LegacyJSONStorage(store / "docs" / "doc.txt.json").read()
    one_line(caught.value, "doc.txt.json")
    (store / "store.json").write_text(deep, "utf-8")
    (store / "suggestions.json").write_text(deep, "utf-8")
    (store / ".index.json").write_text(deep, "utf-8")
    opened = Store(store, "tester")
    assert any("store.json" in p for p in opened.problems), opened.problems
    opened.close()
    rejections = Rejections(store)
    assert rejections is not None  # read as damaged, not raised
    index = LibraryIndex(store)
    index.load()
    assert index.error is not None and ".index.json" in index.error


def test_the_commands_of_the_issue(tmp_path: Path) -> None:
    """The reproductions: tag with deep themes, open with a deep keymap, import 985 deep."""
    doc = tmp_path / "doc.txt"
    doc.write_text(ARABIC + "\n", "utf-8")
    themes_store, keymap_store = tmp_path / "s1", tmp_path / "s2"
    themes_store.mkdir()
    keymap_store.mkdir()
    (themes_store / "themes.toml").write_text(deep_toml("x", 5000, "array"), "utf-8")
    (keymap_store / "keymap.toml").write_text(deep_toml("x", 5000, "array"), "utf-8")
    tag = reader_cli("tag", str(doc), "--start", "0", "--end", "3", "--theme", "arms",
                     "--store", str(themes_store), cwd=tmp_path)  # fmt: skip
    assert tag.returncode == 0 and len(tag.stdout.split()) == 1, tag.stderr
    assert tag.stderr.count("\n") == 1 and "themes.toml" in tag.stderr
    assert "default themes" in tag.stderr
    opened = reader_cli("open", str(doc), "--store", str(keymap_store), cwd=tmp_path)
    assert opened.returncode == 2 and opened.stderr.count("\n") == 1, opened.stderr
    assert "keymap.toml" in opened.stderr and "nested too deeply" in opened.stderr
    deep = tmp_path / "deep.jsonl"
    deep.write_text(json.dumps(record(None)).replace("null", deep_json(985, "array")) + "\n")
    imported = reader_cli("import", str(deep), "--store", str(tmp_path / "s3"), cwd=tmp_path)
    assert imported.returncode == 1, imported.stderr  # a rejected record: the import's code
    assert imported.stderr.count("\n") == 1 and "deep.jsonl" in imported.stderr
    assert "nested more than" in imported.stderr
    for done in (tag, opened, imported):
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize("depth", [985, 5000, 100_000])
def test_deep_foreign_projects_import_without_a_recursion_error(tmp_path: Path, depth: int) -> None:
    """REFI-QDA XML (codes inside codes) and a brat ReaderMeta comment, nested deep."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc.txt").write_text(ARABIC + "\n", "utf-8")
    codes = (
        "".join(
            f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="c{n}" isCodable="true">'
            for n in range(depth)
        )
        + "</Code>" * depth
    )
    qde = tmp_path / "deep.qde"
    qde.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="deep"><CodeBook><Codes>{codes}</Codes></CodeBook></Project>\n',
        "utf-8",
    )
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "doc.txt").write_text(ARABIC + "\n", "utf-8")
    meta = json.dumps({"id": "a1", "annotator": "PLACE"}).replace(
        '"PLACE"', deep_json(depth, "array")
    )
    (brat / "doc.ann").write_text(
        f"T1\tarms 0 3\t{ARABIC[:3]}\n#1\tReaderMeta T1\t{meta}\n", "utf-8"
    )
    for source in (qde, brat):
        done = reader_cli(
            "import", str(source), "--store", str(tmp_path / f"store-{source.name}"),
            "--corpus", str(corpus), cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode in (0, 1, 2), done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
        assert all(source.name in line for line in done.stderr.splitlines()), done.stderr
