"""The ``json`` export: the whole store — every annotation field and the theme set.

One JSON object, indented, UTF-8 (Arabic written as itself, not ``\\u`` escapes)::

    {"format": "reader-annotations", "version": 1,
     "themes": [{"key": …, "label_en": …, "label_ar": …, "color": …, "digit": …, "terms": […]}],
     "annotations": [{"id": …, "doc": …, …, "status": …}]}

Line-breaking and terminal-controlling characters are ``\\u``-escaped (see
:func:`reader.export.records.json_safe`). No timestamp of the export itself, so
exporting the same store twice gives the same bytes (golden files and the import
round trip depend on it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from reader.export.progress import Tick, ticking
from reader.export.records import (
    JSON_FORMAT,
    JSON_VERSION,
    ExportData,
    fast_record,
    json_safe,
    theme_record,
)


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write ``data`` as one JSON document."""
    out.write("{\n")
    out.write(f'  "format": "{JSON_FORMAT}",\n  "version": {JSON_VERSION},\n')
    out.write('  "themes": ')
    stream_array(out, (theme_record(t) for t in data.themes), 1)
    out.write(',\n  "annotations": ')
    stream_array(out, (fast_record(ann) for ann in ticking(data.annotations, tick)), 1)
    out.write("\n}\n")


def stream_array(out: TextIO, items: Iterable[Any], depth: int) -> None:
    """A JSON array written one item at a time, laid out as ``json.dumps(indent=2)``
    would lay it out at nesting ``depth``: a big export is never one huge string."""
    pad = "\n" + "  " * (depth + 1)
    first = True
    out.write("[")
    for item in items:
        text = json_safe(json.dumps(item, ensure_ascii=False, indent=2))
        out.write(("" if first else ",") + pad + text.replace("\n", pad))
        first = False
    out.write("]" if first else "\n" + "  " * depth + "]")
