"""Which passages an exchange format can carry: those whose quote is in their document's text.

Formats that ship the text with the offsets (qdpx, brat, CoNLL, doccano, Label
Studio) need the document and need the offsets to slice it to the quote. A
passage whose document was not found, or that is orphaned (its quote is gone
from the text), cannot be placed: it is left out and counted, and the command
says so in one line per reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.corpus import Document
from reader.export.progress import Tick, ticking
from reader.export.records import ExportData
from reader.store import ORPHANED, Annotation


@dataclass
class Placed:
    """The passages of each document that lie in its text, in reading order."""

    documents: dict[str, Document] = field(default_factory=dict)
    passages: dict[str, list[Annotation]] = field(default_factory=dict)
    orphaned: int = 0
    no_text: int = 0
    missing_docs: set[str] = field(default_factory=set)

    def warnings(self, fmt: str) -> list[str]:
        """One line per reason a passage was left out."""
        lines = []
        if self.orphaned:
            lines.append(
                f"{fmt}: {self.orphaned} orphaned passage(s) left out:"
                " their quote is not in the text"
            )
        if self.no_text:
            docs = ", ".join(sorted(self.missing_docs)[:3])
            more = "…" if len(self.missing_docs) > 3 else ""
            lines.append(
                f"{fmt}: {self.no_text} passage(s) left out: document text not found ({docs}{more})"
            )
        return lines

    def total(self) -> int:
        return sum(len(anns) for anns in self.passages.values())


def place(data: ExportData, tick: Tick | None = None) -> Placed:
    """Sort ``data``'s annotations into their documents, leaving out those without a place."""
    placed = Placed()
    for ann in ticking(data.annotations, tick):
        doc = data.documents.get(ann.doc)
        if doc is None:
            placed.no_text += 1
            placed.missing_docs.add(ann.doc)
            continue
        if ann.status == ORPHANED or not _at(doc.text, ann):
            placed.orphaned += 1
            continue
        if ann.doc not in placed.passages:
            placed.documents[ann.doc] = doc
            placed.passages[ann.doc] = []
        placed.passages[ann.doc].append(ann)
    return placed


def _at(text: str, ann: Annotation) -> bool:
    return (
        0 <= ann.start < ann.end <= len(text)
        and text.startswith(ann.quote, ann.start)
        and (ann.end - ann.start == len(ann.quote))
    )
