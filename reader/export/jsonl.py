"""The ``jsonl`` export: one annotation per line, every field, in the store's field order.

Characters that some readers take as line breaks (U+0085, U+2028, U+2029) or
that act on a terminal (DEL, C1, bidi overrides) are written as ``\\u`` escapes,
so each record is exactly one line. The easiest format to stream, grep and append;
``reader import`` reads it back. The theme set is not included (use ``json`` for that).
"""

from __future__ import annotations

import json
from contextlib import closing
from typing import BinaryIO, TextIO

import orjson

from reader.export.ahead import Render
from reader.export.gather import batches
from reader.export.output import binary_stream
from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, fast_record, has_unsafe, json_safe
from reader.store import Annotation

#: Lines joined into one write (and one scan for unsafe characters): few calls, and
#: small enough for the allocator to reuse its memory (1,000 lines, about 1.6 MB of
#: text, were fetched from the system and given back each time: 75,000 page faults
#: and 0.2 s more at 100,000 annotations).
CHUNK = 100
#: The one type the fast path takes for text fields (no subclass, no other type).
_STR = frozenset({str})


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write one compact JSON object per line.

    The lines are built as UTF-8 bytes and, when ``out`` is a UTF-8 text file, written
    to its binary buffer: the text is never decoded and encoded again (1M annotations
    are ~700 MB). A big streamed export has documents ahead rendered by helper processes
    (:func:`render_records` there, :mod:`reader.export.ahead`).
    """
    raw = binary_stream(out)
    chunk: list[bytes] = []
    # Closed at once on an error or Ctrl-C: the helpers, if any, are stopped then.
    with closing(batches(data.annotations, _renderer)) as documents:
        for batch in documents:
            if batch.rendered is not None:
                if chunk:
                    _flush(chunk, out, raw)
                if raw is not None:
                    raw.write(batch.rendered)
                else:
                    out.write(batch.rendered.decode("utf-8"))
                if tick is not None:
                    tick(batch.count)
                continue
            if not batch.records:
                for ann in ticking(batch.annotations, tick):
                    line = _line(ann)
                    chunk.append(_slow_line(fast_record(ann)) if line is None else line)
                    if len(chunk) == CHUNK:
                        _flush(chunk, out, raw)
                continue
            lines = _record_lines(batch.records)
            if chunk:
                _flush(chunk, out, raw)
            for at in range(0, len(lines), CHUNK):
                chunk += lines[at : at + CHUNK]
                _flush(chunk, out, raw)
            if tick is not None:
                tick(len(lines))
    if chunk:
        _flush(chunk, out, raw)


def _record_lines(records: list[dict[str, object]]) -> list[bytes]:
    """Plain records, each exactly its annotation's fast_record: orjson writes them as
    json.dumps does (see _line), mapped over the batch; not yet escaped."""
    try:
        return list(map(orjson.dumps, records))
    except TypeError:  # an integer beyond 64 bits, a lone surrogate: never parsed so
        return [_slow_line(record) for record in records]


def render_records(records: list[dict[str, object]], text: str | None = None) -> bytes:
    """One document's plain records as :func:`write` writes them (in a helper process)."""
    lines = _record_lines(records)
    lines.append(b"")
    data = b"\n".join(lines)
    return json_safe(data.decode("utf-8")).encode("utf-8") if has_unsafe(data) else data


def _renderer(rel: str) -> Render:
    return render_records


#: ``json.dumps`` of a record, compact, not ASCII-escaped: orjson's fallback.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _slow_line(record: dict[str, object]) -> bytes:
    """A record as ``json.dumps`` writes it, escaped (json_safe first: a lone surrogate
    has no UTF-8)."""
    return json_safe(_dumps(record)).encode("utf-8")


def _flush(chunk: list[bytes], out: TextIO, raw: BinaryIO | None) -> None:
    chunk.append(b"")  # the last line's end
    data = b"\n".join(chunk)
    chunk.clear()
    if has_unsafe(data):
        data = json_safe(data.decode("utf-8")).encode("utf-8")
    if raw is not None:
        raw.write(data)
    else:
        out.write(data.decode("utf-8"))


def _line(ann: Annotation) -> bytes | None:
    """``ann`` as compact JSON in UTF-8, byte for byte what ``json.dumps`` writes of its
    record (``ensure_ascii=False``).

    orjson writes such a record of strings, integers and a list of strings exactly as
    ``json.dumps`` does (tested over every kind of character), in a fraction of the time.
    None for anything else — fields of a newer program, values of other types, lone
    surrogates, integers beyond 64 bits — which the caller writes with ``json.dumps``.
    """
    if ann.extra or ann.edits or type(ann.start) is not int or type(ann.end) is not int:
        return None
    if type(ann.themes) is not list:
        return None
    texts = (ann.id, ann.doc, ann.doc_sha256, ann.quote, ann.prefix, ann.suffix, ann.note,
             ann.annotator, ann.created, ann.updated, ann.status, *ann.themes)  # fmt: skip
    if not set(map(type, texts)) <= _STR:
        return None
    try:
        return orjson.dumps(fast_record(ann))
    except TypeError:  # a lone surrogate, an integer beyond 64 bits
        return None
