"""The ``w3c`` export and import: a W3C Web Annotation ``AnnotationCollection`` (JSON-LD).

One annotation per passage (https://www.w3.org/TR/annotation-model/):

- ``motivation`` ``tagging``, or ``["tagging", "commenting"]`` when there is a note;
- one ``TextualBody`` with ``purpose: tagging`` per theme (its value is the theme key),
  and a second kind of body, ``purpose: commenting``, holding the note;
- ``target``: a ``SpecificResource`` whose ``source`` names the document (its path
  relative to the corpus, as an IRI reference, with the text's SHA-256) and two
  selectors describing the same passage: a ``TextQuoteSelector`` (exact, prefix,
  suffix) and a ``TextPositionSelector`` (start, end in code points, as the model asks).

Terms the model lacks (the text's digest, the anchoring status) are declared in
a second ``@context`` entry under ``urn:reader:terms:``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import quote, unquote

from reader.export.json_ import stream_array
from reader.export.progress import Tick, ticking
from reader.export.records import ExportData, RecordError, from_record, json_safe
from reader.store import Annotation

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
READER_TERMS = {"reader": "urn:reader:terms:", "sha256": "reader:sha256", "status": "reader:status"}
CONTEXT: list[Any] = [ANNO_CONTEXT, READER_TERMS]
_READER_NS = uuid.UUID("6f1c8a52-53b5-4e43-9d0e-6a3c1b0f7e21")
# Characters an IRI reference may hold as they are; anything else ASCII is %-escaped.
_IRI_SAFE = "/-._~!$&'()*+,;=:@"


def doc_iri(rel: str) -> str:
    """A document path as an IRI reference: ASCII specials %-escaped, other letters kept."""
    return "".join(ch if ord(ch) > 0x7F else quote(ch, safe=_IRI_SAFE) for ch in rel)


def annotation_iri(ann_id: str) -> str:
    try:
        return uuid.UUID(ann_id).urn
    except ValueError:
        return "urn:reader:annotation:" + quote(ann_id, safe="")


def to_w3c(ann: Annotation) -> dict[str, Any]:
    """One annotation as a Web Annotation object (without its own ``@context``)."""
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": key} for key in ann.themes
    ]
    if ann.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": ann.note,
                "format": "text/plain",
            }
        )
    item: dict[str, Any] = {
        "id": annotation_iri(ann.id),
        "type": "Annotation",
        "motivation": ["tagging", "commenting"] if ann.note else "tagging",
        "created": ann.created,
        "modified": ann.updated,
    }
    if ann.annotator:
        item["creator"] = {"type": "Person", "name": ann.annotator}
    item["status"] = ann.status
    item["body"] = bodies
    item["target"] = {
        "type": "SpecificResource",
        "source": {
            "id": doc_iri(ann.doc),
            "type": "Text",
            "format": "text/plain",
            "sha256": ann.doc_sha256,
        },
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": ann.quote,
                "prefix": ann.prefix,
                "suffix": ann.suffix,
            },
            {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
        ],
    }
    return item


_ITEMS = "\x00items\x00"
"""Stands for the page's items in the skeleton; they are streamed in its place."""


def write(data: ExportData, out: TextIO, tick: Tick | None = None) -> None:
    """The whole export as one ``AnnotationCollection`` with a single page."""
    # Same annotations → same collection id, so the output is reproducible.
    ident = uuid.uuid5(_READER_NS, "\n".join(ann.id for ann in data.annotations)).urn
    skeleton = {
        "@context": CONTEXT,
        "id": ident,
        "type": "AnnotationCollection",
        "label": "reader annotations",
        "total": len(data.annotations),
        "first": {
            "id": ident + ":page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": _ITEMS,
        },
    }
    head, tail = json_safe(json.dumps(skeleton, ensure_ascii=False, indent=2)).split(
        json.dumps(_ITEMS)
    )
    out.write(head)
    stream_array(out, (to_w3c(ann) for ann in ticking(data.annotations, tick)), 2)
    out.write(tail + "\n")


# --- import ------------------------------------------------------------------


def is_w3c(obj: object) -> bool:
    """Whether a parsed JSON value looks like Web Annotation JSON-LD."""
    if isinstance(obj, list):
        return bool(obj) and all(isinstance(o, Mapping) and _types(o) & {"Annotation"} for o in obj)
    return isinstance(obj, Mapping) and bool(
        _types(obj) & {"Annotation", "AnnotationCollection", "AnnotationPage"}
    )


def items(obj: object) -> Iterator[object]:
    """The annotations of a collection (all embedded pages), a page, a list, or one annotation."""
    if isinstance(obj, list):
        yield from obj
        return
    if not isinstance(obj, Mapping):
        return
    kinds = _types(obj)
    if "Annotation" in kinds:
        yield obj
    elif "AnnotationPage" in kinds:
        yield from obj.get("items") or []
    elif "AnnotationCollection" in kinds:
        page = obj.get("first")
        seen = 0
        while isinstance(page, Mapping) and seen < 100_000:  # `next` pages, if embedded
            yield from page.get("items") or []
            page, seen = page.get("next"), seen + 1


def from_w3c(item: object, now: str | None = None) -> Annotation:
    """One Web Annotation back into an annotation.

    Tolerates what other tools leave out: no position selector (start/end are then
    set so that the import's check re-anchors by the quote), no dates, no creator.

    Raises:
        RecordError: no target source, no quote, no tagging body.
    """
    if not isinstance(item, Mapping):
        raise RecordError("not an object")
    target = item.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, Mapping):
        raise RecordError("no target")
    source = target.get("source")
    source_id = source.get("id") if isinstance(source, Mapping) else source
    if not isinstance(source_id, str) or not source_id:
        raise RecordError("target has no source")
    sha = source.get("sha256", "") if isinstance(source, Mapping) else ""
    selectors = target.get("selector") or []
    if isinstance(selectors, Mapping):
        selectors = [selectors]
    by_type = {s.get("type"): s for s in selectors if isinstance(s, Mapping)}
    text_quote = by_type.get("TextQuoteSelector")
    position = by_type.get("TextPositionSelector")
    if text_quote is None or not isinstance(text_quote.get("exact"), str):
        raise RecordError("no TextQuoteSelector with an exact quote")
    exact: str = text_quote["exact"]
    bodies = item.get("body") or []
    if isinstance(bodies, Mapping):
        bodies = [bodies]
    themes = [
        b.get("value") for b in bodies if isinstance(b, Mapping) and b.get("purpose") == "tagging"
    ]
    notes = [
        b["value"]
        for b in bodies
        if isinstance(b, Mapping)
        and b.get("purpose") == "commenting"
        and isinstance(b.get("value"), str)
    ]
    creator = item.get("creator")
    stamp = now or datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    start = position.get("start") if position else None
    end = position.get("end") if position else None
    if not isinstance(start, int) or not isinstance(end, int):
        start, end = 0, len(exact)  # unknown place: the check finds it by its quote
    record = {
        "id": _plain_id(item.get("id"), f"{source_id}\n{start}\n{end}\n{exact}"),
        "doc": unquote(source_id),
        "doc_sha256": sha if isinstance(sha, str) else "",
        "start": start,
        "end": end,
        "quote": exact,
        "prefix": text_quote.get("prefix", ""),
        "suffix": text_quote.get("suffix", ""),
        "themes": themes,
        "note": "\n\n".join(notes),
        "annotator": creator.get("name", "") if isinstance(creator, Mapping) else "",
        "created": item.get("created") or stamp,
        "updated": item.get("modified") or item.get("created") or stamp,
        "status": item.get("status", "anchored"),
    }
    return from_record(record)


def _plain_id(value: object, content: str) -> str:
    if not isinstance(value, str) or not value:
        # An anonymous annotation gets an id from what it says: importing twice keeps one.
        return str(uuid.uuid5(_READER_NS, content))
    if value.startswith("urn:uuid:"):
        return value[len("urn:uuid:") :]
    if value.startswith("urn:reader:annotation:"):
        return unquote(value[len("urn:reader:annotation:") :])
    return value


def _types(obj: Mapping[str, Any]) -> set[str]:
    kind = obj.get("type", obj.get("@type"))
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()
