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
from typing import TextIO

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
    themes = json_safe(
        json.dumps([theme_record(t) for t in data.themes], ensure_ascii=False, indent=2)
    )
    out.write('  "themes": ' + _indented(themes))
    out.write(',\n  "annotations": [')
    first = True
    for ann in ticking(data.annotations, tick):
        text = json_safe(json.dumps(fast_record(ann), ensure_ascii=False, indent=2))
        out.write(("\n    " if first else ",\n    ") + _indented(text, 4))
        first = False
    out.write("\n  ]\n}\n" if not first else "]\n}\n")


def _indented(text: str, by: int = 2) -> str:
    """Indent every line but the first (json.dumps knows no starting depth)."""
    return text.replace("\n", "\n" + " " * by)
