"""Integrity of the held-out test sets made by other helpers (``heldout2/`` to ``heldout5/``).

Integrity only: every record is one sentence exactly as ``reader.corpus`` cuts it,
quoted at its offsets, with known themes and the set's annotator; the documents
are clean UTF-8; the README's counts are the JSONL's; and no sentence is shared
with the seeds or with an earlier held-out set. What the build scripts guarantee
(they reproduce the JSONL, refuse drifted or incomplete labels in one line) is in
``test_gold_sets.py``. Earlier sets are compared by sentence hash only: their text
is never shown, so that nobody reads them through this test. Nothing here
measures the suggestions.
"""

from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from reader.corpus import Document, read_document
from reader.store.model import context, from_record
from reader.store.themes import default_themes

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests/data/gold"
#: Each test set → the earlier held-out sets it must share no sentence with.
SETS = {
    "heldout2": ("heldout",),
    "heldout3": ("heldout", "heldout2"),
    "heldout4": ("heldout", "heldout2", "heldout3"),
    "heldout5": ("heldout", "heldout2", "heldout3", "heldout4"),
}
#: The four themes by key only: a Theme object printed would show its terms.
THEME_KEYS = ("arms", "troops", "sanctions", "china")


def records(name: str) -> list[dict[str, Any]]:
    jsonl = GOLD_DIR / name / f"{name}_gold.jsonl"
    return [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]


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


@pytest.mark.parametrize("name", SETS)
def test_every_record_is_a_corpus_sentence_quoted_at_its_offsets(name: str) -> None:
    docs = {doc.rel: doc for doc in documents(GOLD_DIR / name / "docs")}
    known = set(default_themes().keys())
    recs = records(name)
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
        assert (ann.annotator, ann.status) == (name, "anchored")


@pytest.mark.parametrize("name", SETS)
def test_documents_are_clean_utf8_with_a_paragraph_a_line(name: str) -> None:
    docs = GOLD_DIR / name / "docs"
    for path in sorted(docs.glob("*.txt")):
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n"), path.name
        doc = read_document(path, docs)
        assert (doc.encoding, doc.warnings) == ("utf-8", ()), path.name


@pytest.mark.parametrize("name", SETS)
def test_the_readme_counts_are_the_jsonl_counts(name: str) -> None:
    readme = (GOLD_DIR / name / "README.md").read_text(encoding="utf-8")
    recs = records(name)
    per_theme = collections.Counter(t for r in recs for t in r["themes"])
    total = sum(len(list(doc.all_sentences())) for doc in documents(GOLD_DIR / name / "docs"))
    row = (
        f"| **total** | {total} | {len(recs)} | {per_theme['arms']} | "
        f"{per_theme['troops']} | {per_theme['sanctions']} | {per_theme['china']} |"
    )
    assert row in readme


@pytest.mark.parametrize("name", ["heldout3", "heldout4", "heldout5"])
def test_every_theme_of_a_recent_test_set_has_twenty_positive_sentences(name: str) -> None:
    # Fewer and a theme's precision and recall on the set would say little.
    assert sorted(THEME_KEYS) == sorted(default_themes().keys())
    per_theme = collections.Counter(t for r in records(name) for t in r["themes"])
    few = {key: per_theme[key] for key in THEME_KEYS if per_theme[key] < 20}
    assert not few, few


@pytest.mark.parametrize("name", SETS)
def test_no_sentence_is_shared_with_the_seeds(name: str) -> None:
    mine = sentence_hashes(GOLD_DIR / name / "docs")
    shared = [mine[h] for h in set(mine) & set(sentence_hashes(ROOT / "seeds"))]
    assert not shared, shared


@pytest.mark.parametrize(("name", "earlier"), [(n, e) for n, es in SETS.items() for e in es])
def test_no_sentence_is_shared_with_an_earlier_held_out_set_by_hash(
    name: str, earlier: str
) -> None:
    other = GOLD_DIR / earlier / "docs"
    assert len(list(other.glob("*.txt"))) > 0
    mine = sentence_hashes(GOLD_DIR / name / "docs")
    # Only this set's own sentences are ever shown; the earlier set's text stays unread.
    shared = sorted(mine[h] for h in set(mine) & set(sentence_hashes(other)))
    assert not shared, shared
