"""The held-out gold set's integrity (not its quality, nor any matcher's score on it).

Every record is a valid store record whose quote is exactly one sentence as
``reader.corpus`` cuts it; the build script reproduces the JSONL from the
hand-written labels, and stops when a document drifts under its labels.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from reader.corpus import read_document
from reader.store.model import CONTEXT_CHARS, from_record
from reader.store.themes import default_themes

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests/data/gold/heldout"
DOCS = HELDOUT / "docs"
GOLD = HELDOUT / "heldout_gold.jsonl"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("heldout_build", HELDOUT / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def records() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def test_every_record_is_one_sentence_as_the_corpus_cuts_it() -> None:
    known = set(default_themes().keys())
    docs = {p.name: read_document(p, DOCS) for p in DOCS.glob("*.txt")}
    sentences = {
        name: {(s.start, s.end) for s in doc.all_sentences()} for name, doc in docs.items()
    }
    found = records()
    assert found
    for record in found:
        ann = from_record(record)  # a valid store record, or ValueError
        doc = docs[ann.doc]
        assert ann.doc_sha256 == doc.sha256
        assert ann.quote == doc.text[ann.start : ann.end]
        assert (ann.start, ann.end) in sentences[ann.doc], ann.quote
        assert ann.prefix == doc.text[max(0, ann.start - CONTEXT_CHARS) : ann.start]
        assert ann.suffix == doc.text[ann.end : ann.end + CONTEXT_CHARS]
        assert ann.themes and set(ann.themes) <= known
        assert len(set(ann.themes)) == len(ann.themes)
        assert (ann.annotator, ann.status) == ("heldout", "anchored")
    assert len({r["id"] for r in found}) == len(found)
    assert len({(r["doc"], r["start"]) for r in found}) == len(found)


def test_the_build_script_reproduces_the_jsonl() -> None:
    build = load_build()
    assert build.build() == GOLD.read_text(encoding="utf-8")
    assert build.main(["--check"]) == 0


def test_a_document_that_drifts_under_its_labels_stops_the_build(tmp_path: Path) -> None:
    build = load_build()
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    name = "h04_shells.txt"
    text = (docs / name).read_text(encoding="utf-8")
    # One sentence more at the start of a paragraph moves every later sentence by one.
    anchor = "وتقدّر وزارة الخارجية الأميركية"
    assert anchor in text
    (docs / name).write_text(text.replace(anchor, "جملة مضافة. " + anchor), encoding="utf-8")
    with pytest.raises(build.LabelError, match=name):
        build.build(docs=docs)


def test_labels_cover_every_sentence_of_every_document(tmp_path: Path) -> None:
    build = load_build()
    labels = tmp_path / "labels.txt"
    text = build.LABELS.read_text(encoding="utf-8")
    last = text.rstrip("\n").rsplit("\n", 1)[0] + "\n"  # drop the last sentence's label
    labels.write_text(last, encoding="utf-8")
    with pytest.raises(build.LabelError, match="once each"):
        build.build(labels_path=labels)
    labels.write_text(text.replace("| china |", "| chinese |", 1), encoding="utf-8")
    with pytest.raises(build.LabelError, match="bad themes"):
        build.build(labels_path=labels)


def test_the_held_out_documents_share_no_sentence_with_the_seeds() -> None:
    def sentence_texts(folder: Path) -> set[str]:
        out: set[str] = set()
        for path in folder.glob("*.txt"):
            doc = read_document(path, folder)
            out |= {doc.text[s.start : s.end] for s in doc.all_sentences()}
        return out

    shared = sentence_texts(DOCS) & sentence_texts(ROOT / "seeds")
    # Bylines and datelines aside, nothing is taken from the seeds.
    assert not {s for s in shared if len(s.split()) > 4}
