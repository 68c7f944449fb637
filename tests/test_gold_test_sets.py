"""Integrity of the second held-out gold set (``tests/data/gold/heldout2/``).

Integrity only: every record is one sentence exactly as ``reader.corpus`` cuts it,
quoted at its offsets, with known themes; the documents are clean UTF-8; the
README's counts are the JSONL's; and no sentence is shared with the seeds or with
the first held-out set. What the build script guarantees (it reproduces the JSONL,
refuses drifted or incomplete labels in one line) is in ``test_gold_sets.py``.
The first set is compared by sentence hash only: its text is never shown, so that
nobody reads it through this test. Nothing here measures the suggestions.
"""

from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path
from typing import Any

from reader.corpus import Document, read_document
from reader.store.model import context, from_record
from reader.store.themes import default_themes

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests/data/gold"
SET = GOLD_DIR / "heldout2"
DOCS = SET / "docs"
JSONL = SET / "heldout2_gold.jsonl"


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines()]


def documents(folder: Path) -> list[Document]:
    return [read_document(path, folder) for path in sorted(folder.glob("*.txt"))]


def sentence_hashes(folder: Path) -> dict[str, str]:
    """Hash of each sentence (whitespace collapsed) → the sentence."""
    out: dict[str, str] = {}
    for doc in documents(folder):
        for span in doc.all_sentences():
            text = " ".join(doc.text[span.start : span.end].split())
            out[hashlib.sha256(text.encode("utf-8")).hexdigest()] = text
    return out


def test_every_record_is_a_corpus_sentence_quoted_at_its_offsets() -> None:
    docs = {doc.rel: doc for doc in documents(DOCS)}
    known = set(default_themes().keys())
    recs = records()
    assert recs, "the set has records"
    assert len({r["id"] for r in recs}) == len(recs)
    for rec in recs:
        doc = docs[rec["doc"]]
        start, end = rec["start"], rec["end"]
        assert rec["doc_sha256"] == doc.sha256
        assert (start, end) in {(s.start, s.end) for s in doc.all_sentences()}
        assert rec["quote"] == doc.text[start:end]
        assert (rec["quote"], rec["prefix"], rec["suffix"]) == context(doc.text, start, end)
        themes = rec["themes"]
        assert isinstance(themes, list) and themes and set(themes) <= known
        assert len(set(themes)) == len(themes)
        ann = from_record(rec)
        assert (ann.annotator, ann.status) == ("heldout2", "anchored")


def test_documents_are_clean_utf8_with_a_paragraph_a_line() -> None:
    for path in sorted(DOCS.glob("*.txt")):
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n"), path.name
        doc = read_document(path, DOCS)
        assert (doc.encoding, doc.warnings) == ("utf-8", ()), path.name


def test_the_readme_counts_are_the_jsonl_counts() -> None:
    readme = (SET / "README.md").read_text(encoding="utf-8")
    per_theme = collections.Counter(t for r in records() for t in r["themes"])
    total = sum(len(list(doc.all_sentences())) for doc in documents(DOCS))
    row = (
        f"| **total** | {total} | {len(records())} | {per_theme['arms']} | "
        f"{per_theme['troops']} | {per_theme['sanctions']} | {per_theme['china']} |"
    )
    assert row in readme


def test_no_sentence_is_shared_with_the_seeds() -> None:
    mine = sentence_hashes(DOCS)
    shared = [mine[h] for h in set(mine) & set(sentence_hashes(ROOT / "seeds"))]
    assert not shared, shared


def test_no_sentence_is_shared_with_the_first_held_out_set_by_hash() -> None:
    first = GOLD_DIR / "heldout/docs"
    assert len(list(first.glob("*.txt"))) > 0
    mine = sentence_hashes(DOCS)
    # Only this set's own sentences are ever shown; the first set's text stays unread.
    shared = sorted(mine[h] for h in set(mine) & set(sentence_hashes(first)))
    assert not shared, shared
