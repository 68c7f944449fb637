"""Build the held-out gold set (heldout_gold.jsonl) from the hand-written labels.

``labels.txt`` lists every sentence of every document in ``docs/``, as
``reader.corpus`` cuts them (``Document.all_sentences()``), one line each::

    ## h01_kursk.txt
    <index> | <themes: "-" or "arms,troops"> | <the sentence's opening words> [| <note>]

The opening words catch drift: if a document is edited and its sentences move,
the labels no longer start their sentences and the build stops. Every sentence
must be listed (a sentence with no theme is labelled "-"), so that adding a
sentence to a document forces someone to read and label it.

Sentences with at least one theme become store records (annotator ``heldout``),
in the format of ``tests/data/gold/seeds_gold.jsonl``.

    python3 tests/data/gold/heldout/build.py            # write heldout_gold.jsonl
    python3 tests/data/gold/heldout/build.py --check    # exit 1 if it is out of date
    python3 tests/data/gold/heldout/build.py --skeleton h15_new.txt   # label lines to fill in

Bad labels: one line naming the file and the problem, exit status 2.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script, the checkout this file is in provides `reader` (not an installed copy).
sys.path.insert(0, str(HERE.parents[3]))

from reader.corpus import Document, read_document  # noqa: E402
from reader.errors import DocumentError  # noqa: E402
from reader.store.model import context  # noqa: E402
from reader.store.themes import default_themes  # noqa: E402

DOCS = HERE / "docs"
LABELS = HERE / "labels.txt"
OUTPUT = HERE / "heldout_gold.jsonl"
ANNOTATOR = "heldout"
#: When the labels were written; fixed so that the output is reproducible.
STAMP = "2026-12-02T18:00:00.000Z"
#: Ids are derived from the position, so rebuilding gives the same ids.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "reader:gold:heldout")


class LabelError(Exception):
    """A problem in the labels, reported as one line."""


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


def records_for(doc: Document, labels: list[Label]) -> list[dict[str, object]]:
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
                "id": str(uuid.uuid5(ID_NAMESPACE, key)),
                "doc": doc.rel,
                "doc_sha256": doc.sha256,
                "start": span.start,
                "end": span.end,
                "quote": quote,
                "prefix": prefix,
                "suffix": suffix,
                "themes": list(label.themes),
                "note": label.note,
                "annotator": ANNOTATOR,
                "created": STAMP,
                "updated": STAMP,
                "status": "anchored",
            }
        )
    return records


def build(docs: Path = DOCS, labels_path: Path = LABELS) -> str:
    """The JSONL text of the gold set."""
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
        for record in records_for(doc, labels[name]):
            lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def skeleton(name: str, docs: Path = DOCS) -> str:
    """Label lines (themes '?') for every sentence of one document, to fill in by hand."""
    doc = read_document(docs / name, docs)
    out = [f"## {name}"]
    for index, span in enumerate(doc.all_sentences()):
        opening = " ".join(doc.text[span.start : span.end].split()[:4])
        out.append(f"{index} | ? | {opening}")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["--skeleton"] and len(argv) == 2:
            sys.stdout.write(skeleton(argv[1]))
            return 0
        built = build()
        if argv == ["--check"]:
            current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
            if current != built:
                print(f"{OUTPUT}: out of date; run {Path(__file__).name}", file=sys.stderr)
                return 1
            return 0
        if argv:
            print("usage: build.py [--check | --skeleton DOC]", file=sys.stderr)
            return 2
        # Whole or nothing: a failed write never leaves half a gold set.
        partial = OUTPUT.with_name(OUTPUT.name + ".part")
        partial.write_text(built, encoding="utf-8")
        os.replace(partial, OUTPUT)
    except LabelError as exc:
        print(f"{LABELS}: {exc}", file=sys.stderr)
        return 2
    except DocumentError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
