"""``reader import`` writes a document at a time (issue 12, item 8).

It was one durable rewrite of the document's file per record: 2,000 records took 2.9 s,
8,000 took 29 s, 200,000 would have taken hours. Now: one write per document and
annotator, whatever the number of records (the speed: ``bench/bench_import.py``), and
lines on stderr while a long import runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_support import SEED, SEEDS

from reader.cli import main
from reader.commands import import_ as import_command
from reader.corpus import read_document
from reader.store import Store
from reader.store.journal import LogStorage
from reader.store.model import context, new_id


def export_file(path: Path, count: int, annotators: tuple[str, ...] = ("a",)) -> list[str]:
    """A jsonl export of ``count`` annotations of the seed (on its sentences, in turn)."""
    doc = read_document(SEED, SEEDS)
    spans = list(doc.all_sentences())
    ids, lines = [], []
    for n in range(count):
        span = spans[n % len(spans)]
        quote, prefix, suffix = context(doc.text, span.start, span.end)
        record = {
            "id": new_id(), "doc": doc.rel, "doc_sha256": doc.sha256, "start": span.start,
            "end": span.end, "quote": quote, "prefix": prefix, "suffix": suffix,
            "themes": ["arms"], "note": f"n{n}", "annotator": annotators[n % len(annotators)],
            "created": "2026-11-21T13:00:00.000Z", "updated": "2026-11-21T13:00:00.000Z",
            "status": "anchored",
        }  # fmt: skip
        ids.append(record["id"])
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def count_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every durable write of a log file from now on: ``append`` or ``create`` (new file)."""
    writes: list[str] = []
    for name in ("append", "create"):
        real = getattr(LogStorage, name)

        def counting(
            self: LogStorage, *args: object, real: object = real, name: str = name
        ) -> None:
            writes.append(f"{name} {self.path.name}")
            real(self, *args)  # type: ignore[operator]

        monkeypatch.setattr(LogStorage, name, counting)
    return writes


def test_an_import_writes_each_annotators_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    ids = export_file(source, 3000, ("a", "b"))
    store = tmp_path / "store"
    Store(store, "a").add(read_document(SEED, SEEDS), 0, 5, ["china"])  # a file there already
    writes = count_writes(monkeypatch)
    code = main(["import", str(source), "--store", str(store), "--corpus", str(SEEDS)])
    out, _ = capsys.readouterr()
    assert code == 0 and "added 3000," in out
    appends = [w for w in writes if w.startswith("append")]
    creates = [w for w in writes if w.startswith("create")]
    # a's existing file: one append; b's new file: one create; compaction may rewrite once each
    assert len(appends) == 1 and 1 <= len(creates) <= 3, writes
    monkeypatch.undo()
    held = {a.id for a in Store(store, "x").all_annotations()}
    assert set(ids) <= held and len(held) == 3001


def test_a_long_import_says_how_far_it_is_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    export_file(source, 50)
    doc_b = SEEDS / "001_7a27a54a086accf8.txt"
    more = json.loads(source.read_text().splitlines()[0])
    text = read_document(doc_b, SEEDS).text
    more.update(id=new_id(), doc=doc_b.name, start=0, end=5, quote=text[:5], prefix="",
                suffix=text[5:37])  # fmt: skip
    with source.open("a", encoding="utf-8") as out:
        out.write(json.dumps(more, ensure_ascii=False) + "\n")  # a second document
    monkeypatch.setattr(import_command.Progress, "EVERY", 0.0)
    code = main(["import", str(source), "--store", str(tmp_path / "s"), "--corpus", str(SEEDS)])
    _, err = capsys.readouterr()
    assert code == 0
    assert err.splitlines() == [f"reader: {source}: 50 of 51 records written"]


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_a_number_longer_than_int_takes_is_one_rejected_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str
) -> None:
    """It was ``internal error: ValueError: Exceeds the limit (4300 digits)…``, exit 1."""
    source = tmp_path / "export.jsonl"
    good = export_file(source, 2)
    huge = '{"id": ' + "1" * 5000 + "}"
    lines = source.read_text(encoding="utf-8").splitlines()
    text = "\n".join([huge, *lines]) if layout == "jsonl" else "[\n" + huge + "\n]"
    source.write_text(text + "\n", encoding="utf-8")
    code = main(["import", str(source), "--store", str(tmp_path / "s"), "--corpus", str(SEEDS)])
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err
    if layout == "jsonl":
        assert code == 1 and "line 1: not valid JSON (a number too long to read)" in err
        assert {a.id for a in Store(tmp_path / "s", read_only=True).all_annotations()} == set(good)
    else:
        assert code == 2 and err.count("\n") == 1, err
