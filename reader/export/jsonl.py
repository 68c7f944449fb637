"""The ``jsonl`` export: one annotation per line, every field, in the store's field order.

The easiest format to stream, grep and append; ``reader import`` reads it back.
The theme set is not included (use ``json`` for that).
"""

from __future__ import annotations

import json
from typing import TextIO

from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, to_record


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """Write one compact JSON object per line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for ann in ticking(data.annotations, tick):
        out.write(dumps(to_record(ann)) + "\n")
