"""One annotator's log of one document, replayed into records and checked line by line.

:class:`LogFile` is what a :class:`~reader.store.journal.LogStorage` feeds the lines of
one file to; it keeps the file's records, its problems, its theme counts and how long
its journal is, and tells its :class:`~reader.store.docfile.DocFile` each change, which
merges the files of one document.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.journal import Exact, LogStorage
from reader.store.logcheck import check_header, check_line, header
from reader.store.model import Annotation, from_record, plain_record

if TYPE_CHECKING:
    from reader.store.docfile import DocFile


class LogFile:
    """One annotator's log of one document, as this process last read or wrote it."""

    def __init__(self, doc: DocFile, path: Path, annotator: str | None) -> None:
        self.doc = doc
        self.path = path
        self.annotator = annotator
        """Whose file it is: from its name when known, else from its header."""
        self.storage = LogStorage(path, read_only=doc.read_only)
        self.records: dict[str, Annotation] = {}
        self.problems: list[str] = []
        self.io_error: str | None = None
        self.mismatch: str | None = None
        """Set by ``Store.sync``: a record that claims this text but does not fit it."""
        self.journal = 0
        """Lines after the sorted, compacted part: what compaction would fold in."""
        self._last: str | None = ""
        self.appended = False
        """This process appended to it since it was last compacted."""
        self.counts: Counter[str] = Counter()
        """Its records per theme key."""
        self.bulk = False
        """Being read whole: the document's index is rebuilt once at the end."""

    @property
    def damaged(self) -> str | None:
        empty = None
        if self.storage.exists and not self.storage.lines:
            empty = "truncated (no complete header line)" if self.storage.torn else "empty file"
        duplicate = self.doc.duplicates.get(self.path.name)
        reasons = [r for r in (self.io_error, empty, *self.problems, self.mismatch, duplicate) if r]
        if not reasons:
            return None
        more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
        return reasons[0] + more

    def header(self) -> dict[str, Any]:
        assert self.doc.rel is not None and self.annotator is not None
        return header(self.doc.rel, self.annotator)

    # --- replay (reader.store.journal.Replay) ----------------------------------------

    def restart(self) -> None:
        # Read whole from here: the records only, the counts and the document's index
        # once at the end (finish), not record by record.
        self.bulk = True
        self.doc.merge_later()
        self.records, self.problems, self.journal, self._last = {}, [], 0, ""
        self.counts = Counter()

    def finish(self) -> None:
        """After a whole read: count the themes, let the document merge its files again."""
        if self.bulk:
            self.bulk = False
            self.counts = Counter(key for ann in self.records.values() for key in ann.themes)
            self.doc.merge_later()

    def line(self, number: int, value: Any) -> None:
        if number == 1:
            rel, annotator, problems = check_header(
                value, self.doc.rel, self.doc.folder.name, self.path.name
            )
            self.problems += problems
            if self.doc.rel is None and rel is not None:
                self.doc.rel = rel
            if self.annotator is None and annotator is not None:
                self.annotator = annotator
            return
        ann, deleted, problem = check_line(number, value, self.doc.rel, self.annotator)
        if problem is not None:
            self.problems.append(problem)
        if ann is None and deleted is None:
            return
        if ann is None:
            self._last = None  # a deletion: the sorted, compacted part has ended
            self.journal += 1
            old = self.records.pop(deleted or "", None)
            if old is not None and not self.bulk:
                self.counts.subtract(old.themes)
                self.doc.dropped(self, old.id)
            return
        self.take(ann)

    def take(self, ann: Annotation) -> None:
        """A record line, checked already: what this process just wrote is taken as is."""
        if self._last is not None and ann.id > self._last and ann.id not in self.records:
            self._last = ann.id  # still in the sorted part
        else:
            self._last = None
            self.journal += 1
        if self.bulk:
            self.records[ann.id] = ann
            return
        old = self.records.get(ann.id)
        if old is not None:
            self.counts.subtract(old.themes)
        self.counts.update(ann.themes)
        self.records[ann.id] = ann
        self.doc.changed(self, ann)

    def lines(self, first: int, values: list[Any], exact: Exact | None) -> None:
        """:meth:`line` for many lines at once: the loop of reading a whole file.

        Plain records of this document and annotator go straight in (what nearly every
        line is); anything else takes :meth:`line`, which says what is wrong with it.
        ``values`` came from orjson when ``exact`` is given: every line but a plain record
        is then taken as ``json`` parses it (``exact.line(i)`` for ``values[i]``).
        """
        skip = 0
        if first == 1 and values:
            self._exact_line(1, values, 0, exact)  # the header: which document and annotator
            first, skip = 2, 1
        if not self.bulk or self.annotator is None or self.problems:
            for i in range(skip, len(values)):
                self._exact_line(first + i - skip, values, i, exact)
            return
        records, rel, annotator = self.records, self.doc.rel, self.annotator
        last, journal = self._last, self.journal
        for i in range(skip, len(values)):
            value = values[i]
            ann = plain_record(value)
            if ann is None and exact is not None:
                value, problem = exact.line(i)
                if problem is not None:
                    self.bad_line(first + i - skip, problem)
                    continue
            if ann is None and type(value) is dict and "deleted" not in value:
                try:
                    ann = from_record(value)
                except ValueError as exc:
                    self.problems.append(f"line {first + i - skip}: {exc}")
                    continue
            if ann is not None and ann.doc == rel and ann.annotator == annotator:
                ann.doc, ann.annotator = rel, annotator  # one string each, not one a record
                ann_id = ann.id
                if last is not None and ann_id > last and ann_id not in records:
                    last = ann_id
                else:
                    last = None
                    journal += 1
                records[ann_id] = ann
                continue
            self._last, self.journal = last, journal
            self.line(first + i - skip, value)
            last, journal = self._last, self.journal
        self._last, self.journal = last, journal

    def _exact_line(self, number: int, values: list[Any], i: int, exact: Exact | None) -> None:
        """:meth:`line` of ``values[i]``, as ``json`` reads it."""
        if exact is None:
            self.line(number, values[i])
            return
        value, problem = exact.line(i)
        if problem is None:
            self.line(number, value)
        else:
            self.bad_line(number, problem)

    def bad_line(self, number: int, reason: str) -> None:
        self.problems.append(f"line {number}: {reason}")
