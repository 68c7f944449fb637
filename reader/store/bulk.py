"""A document's records as plain dicts, checked in bulk: the export's fast read (issue 13).

Reading a document through :class:`~reader.store.docfile.DocFile` builds an
:class:`~reader.store.model.Annotation` per record, checked field by field in Python, and
then checks each against the document's text (``Store.sync``): about half of exporting a
million annotations. An export of the usual document — every file a compacted or appended
log of plain records, every record made on the text as it is now — needs none of that
machinery: :func:`plain_records` reads its log files with the same
:class:`~reader.store.journal.LogStorage` (no link followed, only regular files, a torn
tail left out, orjson with ``json``'s reading for anything else), checks the records with
C-level passes over all of them (``map``, ``set``, ``itemgetter``), and returns the
parsed dicts themselves.

It returns None — the caller then reads the document the usual way, which names every
problem — whenever the result could differ from that way's in any respect: a schema-1
file, a header or line that is not a plain record of this document and annotator
(deletions, replaced ids, fields of a newer program, edits), an id in two files, a theme
key the theme set does not know (a warning), a record made on another text or orphaned
(re-anchoring), a quote that does not fit the text (a damaged file), a file that cannot be
read. So every document it does take yields the very records, and no problem line, that
the usual way would.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from itertools import chain, repeat
from operator import eq, itemgetter, lt, sub
from pathlib import Path
from typing import Any

from reader.errors import StoreError
from reader.store.journal import Exact, LogStorage
from reader.store.logcheck import check_header
from reader.store.model import FIELDS, ORPHANED, STATUSES
from reader.store.names import LOG_SUFFIX

#: The string fields of a record, fetched together from each.
_STRINGS = itemgetter(
    "id", "doc", "doc_sha256", "quote", "prefix", "suffix", "note", "annotator", "created",
    "updated", "status",
)  # fmt: skip
_ID, _DOC, _SHA, _START, _END, _QUOTE, _THEMES, _ANNOTATOR, _STATUS = map(
    itemgetter, ("id", "doc", "doc_sha256", "start", "end", "quote", "themes", "annotator",
                 "status"),
)  # fmt: skip


class _Lines:
    """A :class:`~reader.store.journal.Replay` that keeps one log's parsed lines."""

    def __init__(self, folder: str, name: str, rel: str) -> None:
        self.folder, self.name, self.rel = folder, name, rel
        self.values: list[Any] = []
        self.annotator: str | None = None
        self.plain = True

    def restart(self) -> None:  # (a first read starts so)
        self.values, self.annotator = [], None

    def line(self, number: int, value: Any) -> None:
        self.plain = False  # only ``json`` could parse the chunk

    def bad_line(self, number: int, reason: str) -> None:
        self.plain = False

    def lines(self, first: int, values: list[Any], exact: Exact | None) -> None:
        if exact is None:  # orjson refused the chunk: its values are json's, not checked here
            self.plain = False
            return
        if first == 1:
            if not values:
                self.plain = False
                return
            head, problem = exact.line(0)  # the header as ``json`` reads it, as the store does
            found, annotator, problems = (
                check_header(head, self.rel, self.folder, self.name)
                if problem is None
                else (None, None, [problem])
            )
            if problems or found != self.rel or annotator is None:
                self.plain = False
                return
            self.annotator = annotator
            values = values[1:]
        self.values += values


def plain_records(
    folder: Path, rel: str, known_themes: frozenset[str], text: str | None, sha: str | None
) -> list[dict[str, Any]] | None:
    """The records of document ``rel`` (its folder ``folder``), each a dict of exactly the
    fields of :data:`~reader.store.model.FIELDS` in that order, as its annotation's
    ``to_record`` would be; or None when the usual read must be taken (module docstring).

    ``text`` and ``sha``: the document's text and digest as the corpus has it now (the
    records must all fit it); None when the document is not in the corpus (nothing is
    checked against a text then, as the usual way checks nothing either).
    """
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    logs = [n for n in names if n.endswith(LOG_SUFFIX) and not n.startswith(".")]
    if not logs:
        return None
    records: list[dict[str, Any]] = []
    for name in logs:
        replay = _Lines(folder.name, name, rel)
        storage = LogStorage(folder / name, read_only=True)
        try:
            if not storage.poll(replay):
                return None
        except StoreError:
            return None
        if not replay.plain or replay.annotator is None or storage.torn:
            return None
        if replay.values and not _plain(replay.values, rel, replay.annotator, known_themes):
            return None
        records += replay.values
    if len(logs) > 1 and len(set(map(_ID, records))) != len(records):
        return None  # an id in two files: the first file's is taken, the other's reported
    if text is not None and records and not _fit(records, text, sha):
        return None
    return records


def _plain(values: list[Any], rel: str, annotator: str, known_themes: frozenset[str]) -> bool:
    """Whether every value is a plain record of ``rel`` by ``annotator`` with known themes,
    ids unique: what :func:`~reader.store.model.plain_record` accepts, field order included,
    checked a pass per property over all of them, at C speed."""
    if set(map(type, values)) != {dict} or not all(map(eq, map(tuple, values), repeat(FIELDS))):
        return False  # not objects, or other keys (a deletion, edits, a newer field), or order
    if set(map(type, chain.from_iterable(map(_STRINGS, values)))) != {str}:
        return False
    starts, ends = list(map(_START, values)), list(map(_END, values))
    if set(map(type, starts)) != {int} or set(map(type, ends)) != {int}:
        return False  # (a bool is not an int here: type() is exact)
    if min(starts) < 0 or not all(map(lt, starts, ends)):
        return False
    themes = list(map(_THEMES, values))
    if set(map(type, themes)) != {list} or not all(themes):
        return False
    used = set(chain.from_iterable(themes))
    if set(map(type, used)) != {str} or not used <= known_themes:
        return False  # an unknown key is shown with a warning: the usual way says it
    ids = list(map(_ID, values))
    if not all(ids) or len(set(ids)) != len(ids):
        return False  # an empty id, or an id replaced later in the journal
    return (
        set(map(_STATUS, values)) <= STATUSES
        and set(map(_DOC, values)) == {rel}
        and set(map(_ANNOTATOR, values)) == {annotator}
    )


def _fit(records: list[dict[str, Any]], text: str, sha: str | None) -> bool:
    """Whether every record was made on this text, is not orphaned, and its quote is the
    text at its offsets: then ``Store.sync`` would neither re-anchor nor refuse any."""
    if set(map(_SHA, records)) != {sha} or ORPHANED in set(map(_STATUS, records)):
        return False
    starts, ends = list(map(_START, records)), list(map(_END, records))
    quotes = list(map(_QUOTE, records))
    if max(ends) > len(text) or list(map(len, quotes)) != list(map(sub, ends, starts)):
        return False
    return all(map(text.startswith, quotes, starts))


def export_order(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records sorted by (start, end, id), the export's order within a document: stable
    sorts on one field each, last key first (no key tuples; ids are unique here)."""
    ordered = list(records)
    for key in (_ID, _END, _START):
        ordered.sort(key=key)
    return ordered
