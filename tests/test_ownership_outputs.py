"""Whose annotation is whose, in the outputs: every export format names the annotator,
``--by`` filters export and stats, and stats count a passage two annotators tagged once."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from store_support import write_doc

from reader.cli import main
from reader.export import FORMATS, KINDS
from reader.export.records import ExportData
from reader.export.stats import compute
from reader.store import Store, default_themes

TEXT = "الجملة الأولى هنا. والجملة الثانية هناك. وجملة ثالثة أخيرة."


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path]:
    """One store, two annotators: the same first sentence, and one sentence each."""
    corpus = tmp_path / "corpus"
    doc = write_doc(corpus, "news.txt", TEXT)
    first, second, third = [(s.start, s.end) for s in doc.all_sentences()]
    store = tmp_path / "store"
    for who, themes, own in (
        ("alice", ["arms", "troops"], second),
        ("bob", ["arms", "troops"], third),
    ):
        s = Store(store, who)
        s.add(doc, *first, themes)
        s.add(doc, *own, ["china"])
        s.close()
    return store, corpus


def where(shared: tuple[Path, Path]) -> list[str]:
    return ["--store", str(shared[0]), "--corpus", str(shared[1])]


def test_stats_count_a_passage_tagged_by_two_annotators_once(shared, capsys) -> None:
    store = Store(shared[0], read_only=True)
    anns = list(store.all_annotations())
    store.close()
    stats = compute(ExportData(anns, default_themes(), {}))
    assert len(anns) == 4 and stats.annotations == 4
    assert stats.total == 3  # the first sentence, tagged by both, is one passage
    assert stats.count("news.txt", "arms") == 1 and stats.count("news.txt", "china") == 2
    assert stats.cooccurrence == {("arms", "troops"): 1}  # one passage, not two
    assert stats.annotators == ["alice", "bob"]
    assert main(["stats", *where(shared)]) == 0
    out = capsys.readouterr().out
    assert "3 passages in 1 document;" in out
    assert "counted once however many annotators tagged it: 4 annotations by 2" in out


def test_stats_and_export_filter_by_annotator(shared, capsys) -> None:
    assert main(["stats", *where(shared), "--by", "alice"]) == 0
    assert "2 passages in 1 document;" in capsys.readouterr().out
    assert main(["export", "-f", "jsonl", *where(shared), "--by", "bob"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 2 and {r["annotator"] for r in records} == {"bob"}
    assert main(["export", "-f", "jsonl", *where(shared), "--by", "alice", "bob"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    code = main(["export", "-f", "jsonl", *where(shared), "--by", "carol"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "no annotation by 'carol' (annotators: alice, bob)" in err


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_export_format_names_the_annotators(shared, capsys, tmp_path, fmt) -> None:
    target = tmp_path / f"out.{fmt}"
    assert main(["export", "-f", fmt, *where(shared), "-o", str(target)]) == 0, capsys.readouterr()
    kind = KINDS.get(fmt)
    if kind == "zip":
        with zipfile.ZipFile(target) as archive:
            text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    elif kind == "folder":
        text = "".join(p.read_text("utf-8") for p in sorted(target.rglob("*")) if p.is_file())
    else:
        text = target.read_text("utf-8")
    assert "alice" in text and "bob" in text
