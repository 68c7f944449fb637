"""The second labeller's file of ``heldout5/`` is complete and matches its documents.

``tests/data/gold/heldout5/labels_b.txt`` labels the same sentences as the set's own
``labels.txt``, independently (``heldout5/SECOND.md``); ``bench/bench_gold_labellers.py``
compares the two. This checks the second file alone, so that the comparison counts
every sentence once: it parses with ``goldset.parse_labels``, lists every document of
``docs/`` and, for each, every sentence ``Document.all_sentences()`` cuts, in order, with
the opening words ``build.py --skeleton`` prints. The set's own labels are not read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.corpus import read_document
from reader.store.themes import default_themes

SET_DIR = Path(__file__).resolve().parent / "data/gold/heldout5"
SECOND = SET_DIR / "labels_b.txt"

sys.path.insert(0, str(SET_DIR.parent))
from goldset import LabelError, parse_labels  # type: ignore[import-not-found]  # noqa: E402


def skeleton_lines(docs: Path) -> dict[str, list[tuple[int, str]]]:
    """Document → (index, opening words) of each sentence, as ``--skeleton`` prints them."""
    out: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(docs.glob("*.txt")):
        doc = read_document(path, docs)
        out[path.name] = [
            (index, " ".join(doc.text[span.start : span.end].split()[:4]))
            for index, span in enumerate(doc.all_sentences())
        ]
    return out


def problems(text: str, docs: Path) -> list[str]:
    """What is wrong with a second labeller's file for the documents in ``docs``."""
    try:
        labels = parse_labels(text, set(default_themes().keys()))
    except LabelError as exc:
        return [str(exc)]
    expected = skeleton_lines(docs)
    found: list[str] = []
    if sorted(labels) != sorted(expected):
        found.append(f"documents {sorted(expected)}, labelled {sorted(labels)}")
    for name in sorted(set(labels) & set(expected)):
        got = [(label.index, label.opening) for label in labels[name]]
        if got != expected[name]:
            found.append(f"{name}: labels do not list its sentences once each, in order")
    return found


def test_the_second_labellers_file_labels_every_sentence_once() -> None:
    text = SECOND.read_text(encoding="utf-8")
    assert problems(text, SET_DIR / "docs") == []
    labels = parse_labels(text, set(default_themes().keys()))
    assert sum(len(doc_labels) for doc_labels in labels.values()) == sum(
        len(lines) for lines in skeleton_lines(SET_DIR / "docs").values()
    )


def without_line(text: str, index: int) -> str:
    """The file without its ``index``-th label line (counting from 0)."""
    lines = text.split("\n")
    label_rows = [n for n, line in enumerate(lines) if line[:1].isdigit()]
    del lines[label_rows[index]]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda text: without_line(text, 7), id="a sentence left out"),
        pytest.param(lambda text: without_line(text, -1), id="the last sentence left out"),
        pytest.param(lambda text: text.replace("\n## n16_", "\n## n17_", 1), id="a misnamed doc"),
        pytest.param(lambda text: text.replace("\n0 | - | ", "\n0 | troupes | ", 1), id="theme"),
        pytest.param(lambda text: text.replace("\n0 | - | ", "\n0 | - | زائد ", 1), id="opening"),
    ],
)
def test_a_broken_second_file_is_refused(change: Callable[[str], str]) -> None:
    text = SECOND.read_text(encoding="utf-8")
    broken = change(text)
    assert broken != text
    assert problems(broken, SET_DIR / "docs") != []
