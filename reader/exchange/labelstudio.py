"""The ``labelstudio`` export: Label Studio tasks (JSON) with their span annotations.

A JSON list, one task per document that has passages (one per line)::

    [{"id": 1, "data": {"text": "…", "doc": "000_….txt"},
      "annotations": [{"completed_by": {"username": "analyst"}, "result": [
        {"id": "…", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 406, "end": 420, "text": "كوريا الشمالية",
                   "labels": ["arms", "china"]}},
        {"id": "…", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 406, "end": 420, "text": ["ملاحظة"]}}]}]}]

- **Offsets are UTF-16 code units**, as Label Studio counts them (JavaScript
  strings): a character outside the Basic Multilingual Plane (an emoji, a
  mathematical letter) counts two. They are converted from the program's code
  points; ``value.text`` is the passage itself.
- One region per passage, with every theme of it in ``labels``; its note as a
  per-region ``textarea`` result with the same ``id`` (the passage's id).
- One Label Studio annotation per annotator of the document, ``completed_by``
  naming them.

The labelling config this matches: ``<Labels name="label" toName="text">`` with
one ``<Label value="KEY"/>`` per theme, ``<TextArea name="note" toName="text"
perRegion="true"/>``, ``<Text name="text" value="$text"/>``.
"""

from __future__ import annotations

import json
from itertools import accumulate
from typing import Any, TextIO

from reader.exchange.placed import place
from reader.export.progress import Tick
from reader.export.records import ExportData, json_safe
from reader.store import Annotation


def utf16_offsets(text: str) -> list[int] | None:
    """Code point → UTF-16 offset table for ``text`` (index ``i`` gives the offset of
    ``text[:i]``); None when every character is in the BMP and the two are equal."""
    if text.isascii() or max(text) <= "\uffff":
        return None
    return [0, *accumulate(2 if ch > "\uffff" else 1 for ch in text)]


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> list[str]:
    """Write the task list, one task per line; returns one-line warnings."""
    placed = place(data, tick)
    dumps = json.JSONEncoder(ensure_ascii=False).encode  # compact: the C encoder
    out.write("[")
    for n, (rel, passages) in enumerate(placed.passages.items(), 1):
        task = _task(n, rel, placed.documents[rel].text, passages)
        out.write(("\n" if n == 1 else ",\n") + json_safe(dumps(task)))
    out.write("\n]\n")
    return placed.warnings("labelstudio")


def _task(number: int, rel: str, text: str, passages: list[Annotation]) -> dict[str, Any]:
    table = utf16_offsets(text)
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    for ann in passages:
        start, end = (ann.start, ann.end) if table is None else (table[ann.start], table[ann.end])
        results = by_annotator.setdefault(ann.annotator, [])
        span = {"start": start, "end": end}
        results.append(
            {
                "id": ann.id,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {**span, "text": ann.quote, "labels": list(ann.themes)},
            }
        )
        if ann.note:
            results.append(
                {
                    "id": ann.id,
                    "from_name": "note",
                    "to_name": "text",
                    "type": "textarea",
                    "value": {**span, "text": [ann.note]},
                }
            )
    return {
        "id": number,
        "data": {"text": text, "doc": rel},
        "annotations": [
            {"completed_by": {"username": name}, "result": results}
            for name, results in sorted(by_annotator.items())
        ],
    }


__all__ = ["utf16_offsets", "write"]
