"""Import: json → empty store → json is the same; jsonl and w3c too; checks against the text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from export_support import HOSTILE, SEED_B, build_store, load_data

from reader.corpus import read_document
from reader.errors import UsageError
from reader.export import write
from reader.export.importer import adopt_themes, import_into, parse
from reader.export.records import ExportData
from reader.export.sources import Corpus
from reader.store import Store


def export_text(data: ExportData, fmt: str) -> str:
    out = io.StringIO(newline="")
    write(fmt, data, out)
    return out.getvalue()


def import_file(path: Path, store_dir: Path, corpus: Path) -> tuple[str, str]:
    """Import like ``reader import`` does; returns (summary line, the new store's json)."""
    parsed = parse(path)
    documents = Corpus.open([corpus]).load(a.doc for a in parsed.annotations)
    adopt_themes(store_dir, parsed)
    store = Store(store_dir, "importer")
    try:
        line = import_into(store, parsed, documents).line()
    finally:
        store.close()
    return line, export_text(load_data(store_dir, corpus), "json")


@pytest.fixture
def fixed(tmp_path: Path) -> tuple[Path, Path]:
    return build_store(tmp_path / "src")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "w3c"])
def test_round_trip_into_an_empty_store(fixed: tuple[Path, Path], tmp_path: Path, fmt: str) -> None:
    store_dir, corpus = fixed
    original = export_text(load_data(store_dir, corpus), "json")
    exported = tmp_path / f"export.{fmt}"
    exported.write_text(export_text(load_data(store_dir, corpus), fmt), encoding="utf-8")
    line, again = import_file(exported, tmp_path / "empty", corpus)
    assert line.startswith("added 9, updated 0, unchanged 0, re-anchored 0, orphaned 1, rejected 0")
    if fmt == "json":  # only json carries the theme set
        assert again == original
    else:
        assert json.loads(again)["annotations"] == json.loads(original)["annotations"]


def test_importing_twice_keeps_each_id_once(fixed: tuple[Path, Path], tmp_path: Path) -> None:
    store_dir, corpus = fixed
    exported = tmp_path / "export.jsonl"
    exported.write_text(export_text(load_data(store_dir, corpus), "jsonl"), encoding="utf-8")
    import_file(exported, tmp_path / "target", corpus)
    line, after = import_file(exported, tmp_path / "target", corpus)
    assert line.startswith("added 0, updated 0, unchanged 9,")
    assert len(json.loads(after)["annotations"]) == 9


def test_newer_update_wins_and_duplicates_in_a_file_count_once(
    fixed: tuple[Path, Path], tmp_path: Path
) -> None:
    store_dir, corpus = fixed
    lines = export_text(load_data(store_dir, corpus), "jsonl").split("\n")
    records = [json.loads(line) for line in lines if line]
    first = records[1]
    newer = dict(first, note="revised", updated="2027-01-01T00:00:00.000Z")
    older = dict(first, note="stale", updated="2020-01-01T00:00:00.000Z")
    path = tmp_path / "edits.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (older, newer)), "utf-8")
    line, after = import_file(path, store_dir, corpus)
    assert line.startswith("added 0, updated 1, unchanged 1,")
    notes = {a["id"]: a["note"] for a in json.loads(after)["annotations"]}
    assert notes[first["id"]] == "revised"


def test_moved_passages_are_reanchored_and_vanished_ones_orphaned(
    fixed: tuple[Path, Path], tmp_path: Path
) -> None:
    store_dir, corpus = fixed
    exported = tmp_path / "export.json"
    exported.write_text(export_text(load_data(store_dir, corpus), "json"), encoding="utf-8")
    # Another version of the documents: words inserted before the passages, one passage gone.
    edited = tmp_path / "edited"
    edited.mkdir()
    for path in corpus.iterdir():
        (edited / path.name).write_bytes(path.read_bytes())
    seed_b = edited / SEED_B
    seed_b.write_text("سطر جديد في أول النص.\n" + seed_b.read_text("utf-8"), "utf-8")
    hostile = edited / HOSTILE
    text = hostile.read_text("utf-8").replace("<script>alert('x')</script>", "—")
    hostile.write_text(text, "utf-8")
    line, after = import_file(exported, tmp_path / "target", edited)
    # Seed B's two passages moved; in the hostile text one is gone and two moved.
    assert "re-anchored 4, orphaned 2," in line
    by_id = {a["id"]: a for a in json.loads(after)["annotations"]}
    texts = {name: read_document(edited / name, edited).text for name in (SEED_B, HOSTILE)}
    moved = [a for a in by_id.values() if a["doc"] in texts and a["status"] == "reanchored"]
    assert len(moved) == 4
    for ann in moved:
        assert texts[ann["doc"]][ann["start"] : ann["end"]] == ann["quote"]
    assert by_id["00000000-0000-4000-8000-000000000005"]["status"] == "orphaned"


def test_bad_records_are_rejected_with_their_line(fixed: tuple[Path, Path], tmp_path: Path) -> None:
    store_dir, corpus = fixed
    good = export_text(load_data(store_dir, corpus), "jsonl").splitlines()[0]
    record = json.loads(good)
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                good,
                "{not json",
                json.dumps({k: v for k, v in record.items() if k != "quote"}),
                json.dumps(dict(record, id="x2", start=9, end=3)),
                json.dumps(dict(record, id="x3", themes=[])),
            ]
        ),
        "utf-8",
    )
    parsed = parse(path)
    assert len(parsed.annotations) == 1
    assert [r.split(":")[0] for r in parsed.rejected] == ["line 2", "line 3", "line 4", "line 5"]
    line, _ = import_file(path, tmp_path / "target", corpus)
    assert line.startswith("added 1,") and "rejected 4" in line


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"format": "something else"}', "not a json, jsonl or w3c export"),
        (b'{"format": "reader-annotations", "version": 99, "annotations": []}', "version 99"),
        (b"just words\nmore words\n", "no JSON record"),
    ],
)
def test_a_file_that_is_no_export_is_one_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(UsageError) as caught:
        parse(path)
    assert reason in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_foreign_w3c_annotation_is_found_by_its_quote(
    fixed: tuple[Path, Path], tmp_path: Path
) -> None:
    """Another tool's annotation: no id, no position selector, no dates, one body."""
    _, corpus = fixed
    text = read_document(corpus / SEED_B, corpus).text
    quote = "ورغم أن روسيا تعارض تشديد العقوبات"
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "sanctions"},
        "target": {"source": SEED_B, "selector": {"type": "TextQuoteSelector", "exact": quote}},
    }
    path = tmp_path / "foreign.jsonld"
    path.write_text(json.dumps(item, ensure_ascii=False), "utf-8")
    line, after = import_file(path, tmp_path / "target", corpus)
    assert line.startswith("added 1, updated 0, unchanged 0, re-anchored 1,")
    (ann,) = json.loads(after)["annotations"]
    assert text[ann["start"] : ann["end"]] == quote == ann["quote"]
    assert ann["start"] == text.index(quote) and ann["themes"] == ["sanctions"]
    item["created"] = "2099-01-01T00:00:00Z"  # only the date differs: the same annotation
    path.write_text(json.dumps(item, ensure_ascii=False), "utf-8")
    line, _ = import_file(path, tmp_path / "target", corpus)
    assert line.startswith("added 0, updated 0, unchanged 1,")  # its derived id is stable
