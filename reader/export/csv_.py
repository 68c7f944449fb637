"""The ``csv`` export: one row per annotation, for spreadsheets and pandas.

Columns: ``document, title, start, end, themes, quote, note, annotator, created,
updated, status``; ``themes`` are joined with ``;``. Rows end in CRLF (RFC 4180)
and fields holding commas, quotes or newlines are quoted, so Python's ``csv``
module reads every quote back as the document has it at its offsets.

CSV is read by people too (``cat``, ``less``, a spreadsheet), so control
characters are drawn as their visible placeholders, one for one (issue 6): a
document's ``ESC ] 52 …`` cannot reach a terminal, and offsets and lengths stay
true. Text without controls — all ordinary Arabic text — is written unchanged.

``excel=True`` is for people opening the file in a spreadsheet: a UTF-8 BOM so
Excel decodes the Arabic, and cells starting with ``= + - @`` (or tab/CR)
prefixed with an apostrophe so they are shown rather than run as formulas
(CSV injection).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from contextlib import closing
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, TextIO

from reader.export.ahead import Render
from reader.export.gather import batches
from reader.export.output import write_bytes
from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, needs_placeholder, visible
from reader.store import Annotation

COLUMNS: tuple[str, ...] = (
    "document",
    "title",
    "start",
    "end",
    "themes",
    "quote",
    "note",
    "annotator",
    "created",
    "updated",
    "status",
)

BOM = "\ufeff"
#: A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Make a text cell inert in a spreadsheet: a leading apostrophe shows it as text."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write(data: ExportData, out: TextIO, tick: Tick | None = None, *, excel: bool = False) -> None:
    """Write the header and one row per annotation to ``out`` (open it with ``newline=""``)."""
    if excel:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cells = _Cells(data, excel)

    def renderer(rel: str) -> Render:  # a document's rows, in a helper (reader.export.ahead)
        return partial(render_records, title=data.title(rel), excel=excel)

    # Closed at once on an error or Ctrl-C: the helpers, if any, are stopped then.
    with closing(batches(data.annotations, renderer)) as documents:
        for batch in documents:
            if batch.rendered is not None:
                write_bytes(out, batch.rendered)
                if tick is not None:
                    tick(batch.count)
            elif batch.records:
                text = cells.record_text(batch.records, batch.text)
                if text is None:
                    writer.writerows(cells.record_rows(batch.records))
                else:
                    out.write(text)
                if tick is not None:
                    tick(len(batch.records))
            else:
                writer.writerows(map(cells.row, ticking(batch.annotations, tick)))


def render_records(
    records: list[dict[str, Any]], text: str | None, *, title: str, excel: bool
) -> bytes | None:
    """One document's plain records as :func:`write` writes them, in UTF-8 (in a helper
    process: ``title`` is the document's title); None when the writer must write them."""
    cells = _Cells(None, excel)
    cells.titles[records[0]["doc"]] = cells.cell(visible(title))
    rows = cells.record_text(records, text)
    return None if rows is None else rows.encode("utf-8")


class _Cells:
    """An annotation's row; documents, theme lists and annotators repeat from row to row,
    so each is made visible (and neutralised) once."""

    def __init__(self, data: ExportData | None, excel: bool) -> None:
        self.data = data
        self.cell = neutralise if excel else _same
        self.excel = excel
        self.seen: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.clean: tuple[str | None, bool] = (None, False)

    def short(self, text: str) -> str:
        shown = self.seen.get(text)
        if shown is None:
            shown = self.seen[text] = self.cell(visible(text))
        return shown

    def title(self, doc: str) -> str:
        title = self.titles.get(doc)
        if title is None:
            name = doc if self.data is None else self.data.title(doc)
            title = self.titles[doc] = self.cell(visible(name))
        return title

    def row(self, ann: Annotation) -> tuple[object, ...]:
        cell, short = self.cell, self.short
        return (
            short(ann.doc), self.title(ann.doc), ann.start, ann.end, short(";".join(ann.themes)),
            cell(visible(ann.quote)), cell(visible(ann.note)), short(ann.annotator),
            ann.created, ann.updated, ann.status,
        )  # fmt: skip

    def record_rows(self, records: list[dict[str, Any]]) -> Iterator[tuple[object, ...]]:
        """The rows of one document's plain records (what :meth:`row` makes of their
        annotations), a column at a time: the same rows, without a call per cell."""
        doc = records[0]["doc"]  # a batch is one document
        themes = list(map(";".join, map(_THEMES, records)))
        annotators = list(map(_ANNOTATOR, records))
        shown = {text: self.short(text) for text in {*themes, *annotators}}
        return zip(
            repeat(self.short(doc)), repeat(self.title(doc)), map(_START, records),
            map(_END, records), map(shown.__getitem__, themes), self._texts(_QUOTE, records),
            self._texts(_NOTE, records), map(shown.__getitem__, annotators),
            map(_CREATED, records), map(_UPDATED, records), map(_STATUS, records),
        )  # fmt: skip

    def record_text(self, records: list[dict[str, Any]], whole: str | None = None) -> str | None:
        """The rows of :meth:`record_rows` as ``csv.writer`` writes them (QUOTE_MINIMAL, CRLF),
        joined a column at a time; None when a cell holds a NUL, which csv.writer treats
        differently from one Python version to the next (the caller then uses it).

        ``whole``: a text every quote is part of (the document's): when it has no control,
        no quote has one, and the quotes need not be scanned for them.
        """
        doc = records[0]["doc"]
        themes = list(map(";".join, map(_THEMES, records)))
        annotators = list(map(_ANNOTATOR, records))
        shown = {text: _field(self.short(text)) for text in {*themes, *annotators}}
        start = _field(self.short(doc)) + "," + _field(self.title(doc)) + ","
        columns = [
            self._texts(_QUOTE, records, self._clean(whole)), self._texts(_NOTE, records),
            list(map(_CREATED, records)), list(map(_UPDATED, records)),
            list(map(_STATUS, records)),
        ]  # fmt: skip
        if "\0" in start or any("\0" in text for text in shown):
            return None
        for column in columns:
            joined = "".join(column)
            if "\0" in joined:
                return None
            if _SPECIAL.search(joined) is not None:  # which cells: found in C, quoted here
                for at in compress(range(len(column)), map(_SPECIAL.search, column)):
                    column[at] = _quoted(column[at])
        quote, note, created, updated, status = columns
        lines = map(
            ",".join,
            zip(
                map(str, map(_START, records)), map(str, map(_END, records)),
                map(shown.__getitem__, themes), quote, note, map(shown.__getitem__, annotators),
                created, updated, status, strict=True,
            ),
        )  # fmt: skip
        return start + ("\r\n" + start).join(lines) + "\r\n"

    def _clean(self, whole: str | None) -> bool:
        """Whether ``whole`` is a text without a character :func:`visible` changes."""
        if whole is None:
            return False
        if self.clean[0] is not whole:
            self.clean = (whole, not needs_placeholder(whole))
        return self.clean[1]

    def _texts(
        self, field: Callable[[Any], str], records: list[dict[str, Any]], clean: bool = False
    ) -> list[str]:
        """A text column made visible and neutralised: one scan of the whole column for the
        usual case, where neither changes a cell (none if ``clean``: none can)."""
        texts = list(map(field, records))
        if not clean and needs_placeholder("\n".join(texts)):  # newlines are kept
            texts = list(map(visible, texts))
        if self.excel and any(map(str.startswith, texts, repeat(FORMULA_STARTS))):
            texts = list(map(neutralise, texts))
        return texts


_THEMES, _ANNOTATOR, _START, _END, _QUOTE, _NOTE, _CREATED, _UPDATED, _STATUS = map(
    itemgetter,
    ("themes", "annotator", "start", "end", "quote", "note", "created", "updated", "status"),
)


def _same(cell: str) -> str:
    return cell


#: What makes ``csv.writer`` quote a cell: the delimiter, the quote character, the line end's.
_SPECIAL = re.compile('[,"\r\n]')


def _field(text: str) -> str:
    """A text cell as ``csv.writer`` writes it (quoted when it must be, quotes doubled)."""
    return _quoted(text) if _SPECIAL.search(text) else text


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
