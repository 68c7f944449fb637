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

import json
import os
import stat
from collections.abc import Iterable
from itertools import chain
from operator import itemgetter, lt, sub
from pathlib import Path
from typing import Any, NamedTuple

from reader.errors import StoreError
from reader.store.journal import Exact, LogStorage, _orjson_loads
from reader.store.logcheck import check_header
from reader.store.model import FIELDS, ORPHANED, STATUSES
from reader.store.names import LOG_SUFFIX

#: A log up to this size is read whole; a bigger one in the store's chunks (memory).
WHOLE = 16 << 20
_WIDTH = len(FIELDS)
_KEYS = list(FIELDS)
#: Where each field is among a record's values (the fields' order is checked first).
_ID_AT, _DOC_AT, _START_AT, _END_AT, _THEMES_AT, _ANNOTATOR_AT, _STATUS_AT = map(
    FIELDS.index, ("id", "doc", "start", "end", "themes", "annotator", "status")
)
_STRING_AT = [at for at in range(_WIDTH) if at not in (_START_AT, _END_AT, _THEMES_AT)]
_ID, _SHA, _START, _END, _QUOTE, _STATUS = map(
    itemgetter, ("id", "doc_sha256", "start", "end", "quote", "status")
)


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


class PlainSource(NamedTuple):
    """Where a document's records are and what they must fit: :func:`plain_records`'s
    arguments, picklable (the export reads documents ahead in helper processes)."""

    folder: Path
    rel: str
    known_themes: frozenset[str]
    text: str | None
    sha: str | None

    def read(self) -> list[dict[str, Any]] | None:
        """:func:`plain_records` of this document."""
        return plain_records(*self)


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
        read = _log(folder / name, rel)
        if read is None:
            return None
        annotator, values = read
        if values and not _plain(values, rel, annotator, known_themes):
            return None
        records += values
    if len(logs) > 1 and len(set(map(_ID, records))) != len(records):
        return None  # an id in two files: the first file's is taken, the other's reported
    if text is not None and records and not _fit(records, text, sha):
        return None
    return records


def _log(path: Path, rel: str) -> tuple[str, list[Any]] | None:
    """A log's annotator and its values after the header, parsed; None unless every line
    is complete and JSON (orjson's reading; the usual read takes ``json``'s for anything
    but a plain record, which :func:`_plain` then refuses) and the header is right."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None  # a link, gone, unreadable: the usual read says which
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        data = os.pread(fd, info.st_size, 0) if info.st_size <= WHOLE else None
    except OSError:
        return None
    finally:
        os.close(fd)
    if data is None:
        return _log_in_chunks(path, rel)
    if not data.endswith(b"\n"):
        return None  # empty, or a torn last line
    cut = data.index(b"\n")
    try:
        head = json.loads(data[:cut].decode("utf-8"))  # the header as the usual read takes it
    except (ValueError, RecursionError):
        return None
    found, annotator, problems = check_header(head, rel, path.parent.name, path.name)
    if problems or found != rel or annotator is None:
        return None
    if cut + 1 == len(data):
        return annotator, []
    # The lines joined into one array, as LogStorage parses them, in two copies of the
    # file, not five (the file is read whole here, not in chunks with a carry).
    joined = b"".join((b"[", memoryview(data.replace(b"\n", b","))[cut + 1 : -1], b"]"))
    try:
        values = _orjson_loads(joined)  # (imported when a log is first read)
    except ValueError:
        return None
    if type(values) is not list or len(values) != data.count(b"\n") - 1:
        return None  # "1,2" on one line makes two values
    return annotator, values


def _log_in_chunks(path: Path, rel: str) -> tuple[str, list[Any]] | None:
    """:func:`_log` of a big file, read by the store's own chunked reader."""
    replay = _Lines(path.parent.name, path.name, rel)
    storage = LogStorage(path, read_only=True)
    try:
        if not storage.poll(replay):
            return None
    except StoreError:
        return None
    if not replay.plain or replay.annotator is None or storage.torn:
        return None
    return replay.annotator, replay.values


def _plain(values: list[Any], rel: str, annotator: str, known_themes: frozenset[str]) -> bool:
    """Whether every value is a plain record of ``rel`` by ``annotator`` with known themes,
    ids unique: what :func:`~reader.store.model.plain_record` accepts, field order included.

    Checked a pass per property over all of them at once, in C: the keys of all the records
    in a row against the fields repeated, then each field's values, sliced out of all the
    values in a row, by type and value.
    """
    count = len(values)
    if set(map(type, values)) != {dict} or set(map(len, values)) != {_WIDTH}:
        return False
    # Against the first record's own keys once they are right: the parser hands out the
    # same key objects again, so the comparison is mostly by identity (twice as fast).
    first = list(values[0])
    if first != _KEYS or list(chain.from_iterable(values)) != first * count:
        return False  # other keys (a deletion, edits, a newer field), or in another order
    flat = list(chain.from_iterable(map(dict.values, values)))
    types = list(map(type, flat))
    if any(set(types[at::_WIDTH]) != {str} for at in _STRING_AT):
        return False
    starts, ends, themes = flat[_START_AT::_WIDTH], flat[_END_AT::_WIDTH], flat[_THEMES_AT::_WIDTH]
    if set(types[_START_AT::_WIDTH]) != {int} or set(types[_END_AT::_WIDTH]) != {int}:
        return False  # (a bool is not an int here: type() is exact)
    if min(starts) < 0 or not all(map(lt, starts, ends)):
        return False
    if set(types[_THEMES_AT::_WIDTH]) != {list} or not all(themes):
        return False
    used = set(chain.from_iterable(themes))
    if set(map(type, used)) != {str} or not used <= known_themes:
        return False  # an unknown key is shown with a warning: the usual way says it
    ids = flat[_ID_AT::_WIDTH]
    if not all(ids) or len(set(ids)) != count:
        return False  # an empty id, or an id replaced later in the journal
    return (
        set(flat[_STATUS_AT::_WIDTH]) <= STATUSES
        and set(flat[_DOC_AT::_WIDTH]) == {rel}
        and set(flat[_ANNOTATOR_AT::_WIDTH]) == {annotator}
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
