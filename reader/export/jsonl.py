"""The ``jsonl`` export: one annotation per line, every field, in the store's field order.

Characters that some readers take as line breaks (U+0085, U+2028, U+2029) or
that act on a terminal (DEL, C1, bidi overrides) are written as ``\\u`` escapes,
so each record is exactly one line. The easiest format to stream, grep and append;
``reader import`` reads it back. The theme set is not included (use ``json`` for that).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import TextIO

from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, fast_record, json_safe
from reader.store import Annotation

#: Lines joined into one write (and one scan for unsafe characters): few calls, and
#: small enough for the allocator to reuse its memory (1,000 lines, about 1.6 MB of
#: text, were fetched from the system and given back each time: 75,000 page faults
#: and 0.2 s more at 100,000 annotations).
CHUNK = 100


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write one compact JSON object per line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    chunk: list[str] = []
    for ann in ticking(data.annotations, tick):
        line = _line(ann)
        chunk.append(dumps(fast_record(ann)) if line is None else line)
        if len(chunk) == CHUNK:
            chunk.append("")  # the last line's end
            out.write(json_safe("\n".join(chunk)))
            chunk.clear()
    if chunk:
        chunk.append("")
        out.write(json_safe("\n".join(chunk)))


def _line(ann: Annotation) -> str | None:
    """``ann`` as compact JSON, byte for byte what ``json.dumps`` writes of its record.

    Built from the encoder's own string escaping (the C ``encode_basestring`` that
    ``json.dumps(ensure_ascii=False)`` uses), without making the record dict and
    walking it: half the time. None for anything unusual (fields of a newer program,
    values of other types): the caller then uses ``json.dumps``.
    """
    if ann.extra or ann.edits or type(ann.start) is not int or type(ann.end) is not int:
        return None
    enc = encode_basestring
    try:
        return (
            f'{{"id":{enc(ann.id)},"doc":{enc(ann.doc)},"doc_sha256":{enc(ann.doc_sha256)},'
            f'"start":{int.__repr__(ann.start)},"end":{int.__repr__(ann.end)},'
            f'"quote":{enc(ann.quote)},"prefix":{enc(ann.prefix)},"suffix":{enc(ann.suffix)},'
            f'"themes":[{",".join([enc(key) for key in ann.themes])}],"note":{enc(ann.note)},'
            f'"annotator":{enc(ann.annotator)},"created":{enc(ann.created)},'
            f'"updated":{enc(ann.updated)},"status":{enc(ann.status)}}}'
        )
    except TypeError:  # a value that is not a string
        return None
