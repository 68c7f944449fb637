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
from collections.abc import Iterator
from typing import TextIO

from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, visible

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
    writer.writerows(_rows(data, tick, excel))


def _rows(data: ExportData, tick: Tick | None, excel: bool) -> Iterator[tuple[object, ...]]:
    cell = neutralise if excel else _same
    # Documents, theme lists and annotators repeat from row to row: each is made
    # visible (and neutralised) once.
    seen: dict[str, str] = {}
    titles: dict[str, str] = {}

    def short(text: str) -> str:
        shown = seen.get(text)
        if shown is None:
            shown = seen[text] = cell(visible(text))
        return shown

    for ann in ticking(data.annotations, tick):
        title = titles.get(ann.doc)
        if title is None:
            title = titles[ann.doc] = cell(visible(data.title(ann.doc)))
        yield (
            short(ann.doc), title, ann.start, ann.end, short(";".join(ann.themes)),
            cell(visible(ann.quote)), cell(visible(ann.note)), short(ann.annotator),
            ann.created, ann.updated, ann.status,
        )  # fmt: skip


def _same(cell: str) -> str:
    return cell
