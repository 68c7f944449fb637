"""Build a hand-labelled gold set (a store export, JSONL) from its ``labels.txt``.

Shared by the gold sets that label every sentence of a folder of documents
(``heldout/`` to ``heldout5/``); each set's ``build.py`` only names its folder,
annotator, time stamp and output file.

``labels.txt`` lists every sentence of every document in ``docs/``, as
``reader.corpus`` cuts them (``Document.all_sentences()``), one line each::

    ## g01_kursk_wire.txt
    <index> | <themes: "-" or "arms,troops"> | <the sentence's opening words> [| <note>]

The opening words catch drift: if a document is edited and its sentences move,
the labels no longer start their sentences and the build stops. Every sentence
must be listed (a sentence with no theme is labelled "-"), so that adding a
sentence to a document forces someone to read and label it.

Sentences with at least one theme become store records, in the format of
``tests/data/gold/seeds_gold.jsonl``; ids are derived from the position, so a
rebuild gives the same ids. Bad labels: one line naming the file and the
problem, exit status 2; nothing is written.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Run as a script, the checkout this file is in provides `reader` (not an installed copy).
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from reader.corpus import Document, read_document
from reader.errors import DocumentError
from reader.store.model import context
from reader.store.themes import default_themes


class LabelError(Exception):
    """A problem in the labels, reported as one line."""


@dataclass(frozen=True)
class GoldSet:
    """Where one gold set lives and how its records are signed."""

    folder: Path
    annotator: str
    #: When the labels were written; fixed so that the output is reproducible.
    stamp: str
    output_name: str

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    @property
    def labels(self) -> Path:
        return self.folder / "labels.txt"

    @property
    def output(self) -> Path:
        return self.folder / self.output_name

    @property
    def id_namespace(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"reader:gold:{self.annotator}")

    def build(self, docs: Path | None = None, labels_path: Path | None = None) -> str:
        """The JSONL text of the set (from other documents or labels, for tests)."""
        return build(self, docs, labels_path)

    def main(self, argv: list[str]) -> int:
        """The set's ``build.py``: see :func:`main`."""
        return main(self, argv)


#: The label-built sets, by folder: annotator, time stamp (when the labels were
#: written, fixed so that a rebuild is identical) and output file.
SETS = {
    "heldout": ("heldout", "2026-12-02T18:00:00.000Z", "heldout_gold.jsonl"),
    "heldout2": ("heldout2", "2026-12-02T21:00:00.000Z", "heldout2_gold.jsonl"),
    "heldout3": ("heldout3", "2026-12-03T03:00:00.000Z", "heldout3_gold.jsonl"),
    "heldout4": ("heldout4", "2026-12-03T03:30:00.000Z", "heldout4_gold.jsonl"),
    "heldout5": ("heldout5", "2026-12-03T06:30:00.000Z", "heldout5_gold.jsonl"),
}


def script(build_py: str) -> tuple[Path, Path, Path, Callable[..., str], Callable[..., int]]:
    """What a set's ``build.py`` exports: ``DOCS, LABELS, OUTPUT, build, main``."""
    folder = Path(build_py).resolve().parent
    annotator, stamp, output_name = SETS[folder.name]
    gold = GoldSet(folder, annotator, stamp, output_name)
    return gold.docs, gold.labels, gold.output, gold.build, gold.main


@dataclass(frozen=True)
class Label:
    line: int
    index: int
    themes: tuple[str, ...]
    opening: str
    note: str


def parse_labels(text: str, known: set[str]) -> dict[str, list[Label]]:
    """Document name → its labels, in file order."""
    labels: dict[str, list[Label]] = {}
    current: list[Label] | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        if not line or (line.startswith("#") and not line.startswith("## ")):
            continue
        if line.startswith("## "):
            name = line[3:].strip()
            if name in labels:
                raise LabelError(f"line {number}: {name} has a second section")
            current = labels[name] = []
            continue
        if current is None:
            raise LabelError(f"line {number}: a label before any '## document' line")
        fields = [field.strip() for field in line.split("|", 3)]
        if len(fields) < 3:
            raise LabelError(f"line {number}: expected 'index | themes | opening words [| note]'")
        index_text, themes_text, opening = fields[:3]
        if not index_text.isdigit():
            raise LabelError(f"line {number}: sentence index {index_text!r} is not a number")
        themes: tuple[str, ...] = ()
        if themes_text != "-":
            themes = tuple(themes_text.split(","))
            unknown = [t for t in themes if t not in known]
            if unknown or len(set(themes)) != len(themes) or not themes:
                raise LabelError(f"line {number}: bad themes {themes_text!r}")
        if not opening:
            raise LabelError(f"line {number}: no opening words")
        note = fields[3] if len(fields) == 4 else ""
        current.append(Label(number, int(index_text), themes, opening, note))
    return labels


def records_for(gold: GoldSet, doc: Document, labels: list[Label]) -> list[dict[str, object]]:
    """The store records of one document's themed sentences, checking every label."""
    spans = list(doc.all_sentences())
    if [label.index for label in labels] != list(range(len(spans))):
        raise LabelError(
            f"{doc.rel}: labels must list sentences 0..{len(spans) - 1} in order, once each"
        )
    records: list[dict[str, object]] = []
    for label, span in zip(labels, spans, strict=True):
        quote, prefix, suffix = context(doc.text, span.start, span.end)
        if not quote.startswith(label.opening):
            raise LabelError(
                f"line {label.line}: {doc.rel} sentence {label.index} does not start with "
                f"{label.opening!r} (it starts {quote[:40]!r})"
            )
        if not label.themes:
            continue
        key = f"{doc.rel}:{span.start}:{span.end}"
        records.append(
            {
                "id": str(uuid.uuid5(gold.id_namespace, key)),
                "doc": doc.rel,
                "doc_sha256": doc.sha256,
                "start": span.start,
                "end": span.end,
                "quote": quote,
                "prefix": prefix,
                "suffix": suffix,
                "themes": list(label.themes),
                "note": label.note,
                "annotator": gold.annotator,
                "created": gold.stamp,
                "updated": gold.stamp,
                "status": "anchored",
            }
        )
    return records


def build(gold: GoldSet, docs: Path | None = None, labels_path: Path | None = None) -> str:
    """The JSONL text of the gold set (``docs`` and ``labels_path`` default to the set's)."""
    docs = gold.docs if docs is None else docs
    labels_path = gold.labels if labels_path is None else labels_path
    known = set(default_themes().keys())
    try:
        text = labels_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelError(f"cannot read: {exc}") from None
    labels = parse_labels(text, known)
    names = sorted(p.name for p in docs.glob("*.txt"))
    if sorted(labels) != names:
        missing = sorted(set(names) - set(labels))
        extra = sorted(set(labels) - set(names))
        raise LabelError(f"documents without labels {missing}, labels without documents {extra}")
    lines: list[str] = []
    for name in names:
        doc = read_document(docs / name, docs)
        for record in records_for(gold, doc, labels[name]):
            lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def skeleton(gold: GoldSet, name: str) -> str:
    """Label lines (themes '?') for every sentence of one document, to fill in by hand."""
    doc = read_document(gold.docs / name, gold.docs)
    out = [f"## {name}"]
    for index, span in enumerate(doc.all_sentences()):
        opening = " ".join(doc.text[span.start : span.end].split()[:4])
        out.append(f"{index} | ? | {opening}")
    return "\n".join(out) + "\n"


def main(gold: GoldSet, argv: list[str]) -> int:
    """``build.py`` writes the JSONL, ``--check`` says whether it is current (exit 1 if
    not), ``--skeleton DOC`` prints label lines to fill in."""
    script = gold.folder / "build.py"
    try:
        if argv[:1] == ["--skeleton"] and len(argv) == 2:
            sys.stdout.write(skeleton(gold, argv[1]))
            return 0
        if argv not in ([], ["--check"]):
            print(f"usage: {script} [--check | --skeleton DOC]", file=sys.stderr)
            return 2
        built = build(gold)
        if argv == ["--check"]:
            current = gold.output.read_text(encoding="utf-8") if gold.output.exists() else ""
            if current != built:
                print(f"{gold.output}: out of date; run {script}", file=sys.stderr)
                return 1
            print(f"{gold.output}: up to date")
            return 0
        # Whole or nothing: a failed write never leaves half a gold set.
        partial = gold.output.with_name(gold.output.name + ".part")
        partial.write_text(built, encoding="utf-8")
        os.replace(partial, gold.output)
    except LabelError as exc:
        print(f"{gold.labels}: {exc}", file=sys.stderr)
        return 2
    except (DocumentError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0
