"""The ``doccano`` export: JSONL for doccano's sequence-labelling projects.

One line per document that has passages::

    {"text": "…", "label": [[406, 420, "arms"], [406, 420, "china"]],
     "doc": "000_0430b5cc33e0e526.txt", "doc_sha256": "…",
     "annotations": [{"id": "…", "start": 406, "end": 420, "themes": ["arms", "china"],
                      "note": "…", "annotator": "analyst"}]}

``text`` is the document's whole text and ``label`` doccano's span list: one
``[start, end, label]`` per theme of each passage (doccano has one label per
span), offsets in code points as doccano's importer slices Python strings.
The other keys are kept by doccano as the example's metadata, so nothing of the
passage (its id, note, annotator) is lost on the way.
"""

from __future__ import annotations

import json
from typing import TextIO

from reader.exchange.placed import place
from reader.export.progress import Tick
from reader.export.records import ExportData, json_safe


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> list[str]:
    """Write one JSON object per document; returns one-line warnings."""
    placed = place(data, tick)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for rel, passages in placed.passages.items():
        doc = placed.documents[rel]
        record = {
            "text": doc.text,
            "label": [[a.start, a.end, key] for a in passages for key in a.themes],
            "doc": rel,
            "doc_sha256": doc.sha256,
            "annotations": [
                {
                    "id": a.id,
                    "start": a.start,
                    "end": a.end,
                    "themes": list(a.themes),
                    "note": a.note,
                    "annotator": a.annotator,
                }
                for a in passages
            ],
        }
        out.write(json_safe(dumps(record)) + "\n")
    return placed.warnings("doccano")
