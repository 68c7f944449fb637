"""The held-out gold set's integrity (not its quality, nor any matcher's score on it).

Every record is a valid store record whose quote is exactly one sentence as
``reader.corpus`` cuts it. What the build script guarantees (it reproduces the
JSONL from the hand-written labels, and stops when a document drifts under its
labels) is tested for every label-built set in ``test_gold_sets.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from reader.corpus import read_document
from reader.store.model import CONTEXT_CHARS, from_record
from reader.store.themes import default_themes

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests/data/gold/heldout"
DOCS = HELDOUT / "docs"
GOLD = HELDOUT / "heldout_gold.jsonl"


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
