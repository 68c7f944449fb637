"""The ``jsonl`` export: one annotation per line, every field, in the store's field order.

Characters that some readers take as line breaks (U+0085, U+2028, U+2029) or
that act on a terminal (DEL, C1, bidi overrides) are written as ``\\u`` escapes,
so each record is exactly one line. The easiest format to stream, grep and append;
``reader import`` reads it back. The theme set is not included (use ``json`` for that).
"""

from __future__ import annotations

import json
from typing import TextIO

from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, fast_record, json_safe


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write one compact JSON object per line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for ann in ticking(data.annotations, tick):
        out.write(json_safe(dumps(fast_record(ann))) + "\n")
